package org.cleanbackup.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;

/**
 * Lists the files under the inputs through Hadoop's {@code FileSystem} API: the driver lists the first level of each
 * input, the executors walk the sub-folders (one task per folder), so a tree of millions of files is not listed by
 * one thread. The rules of the local scan: regular files only, not empty, not in a trash folder, media files by
 * extension unless every file is asked for.
 */
final class Listing {

    /** path (URI string), size, mtime (ms), image (by extension). */
    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("size", DataTypes.LongType, false)
            .add("mtime", DataTypes.LongType, false)
            .add("image", DataTypes.BooleanType, false);

    private Listing() {
    }

    static Dataset<Row> list(SparkSession spark, JobOptions options) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        HadoopConf shipped = HadoopConf.of(conf);
        List<Row> top = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        for (String input : options.inputs()) {
            Path root = new Path(input);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(root);
            if (!status.isDirectory()) {
                throw new IOException("input " + input + " is not a folder");
            }
            for (FileStatus child : fs.listStatus(root)) {
                if (child.isDirectory()) {
                    if (!child.getPath().getName().equals(ScanOptions.TRASH_FOLDER)) {
                        folders.add(child.getPath().toString());
                    }
                } else {
                    row(child, options.everyFile(), top);
                }
            }
        }
        Dataset<Row> files = spark.createDataFrame(top, SCHEMA);
        if (folders.isEmpty()) {
            return files;
        }
        boolean every = options.everyFile();
        Dataset<String> dirs = spark.createDataset(folders, Encoders.STRING())
                .repartition(Math.max(1, Math.min(folders.size(), spark.sparkContext().defaultParallelism() * 4)));
        Dataset<Row> deeper = dirs.mapPartitions((Iterator<String> it) -> {
            Configuration c = shipped.configuration();
            List<Row> out = new ArrayList<>();
            while (it.hasNext()) {
                walk(new Path(it.next()), c, every, out);
            }
            return out.iterator();
        }, Encoders.row(SCHEMA));
        return files.union(deeper);
    }

    private static void walk(Path folder, Configuration conf, boolean every, List<Row> out) throws IOException {
        FileSystem fs = folder.getFileSystem(conf);
        // listFiles(recursive) would walk into trash folders; a stack of listStatus calls skips them
        List<Path> todo = new ArrayList<>(List.of(folder));
        while (!todo.isEmpty()) {
            Path dir = todo.removeLast();
            // listStatus, not listLocatedStatus: on a local disk without Hadoop's native library, a located status
            // reads each file's permissions by running a process (`stat`) per file; 200,000 files took minutes.
            for (FileStatus child : fs.listStatus(dir)) {
                if (child.isDirectory()) {
                    if (!child.getPath().getName().equals(ScanOptions.TRASH_FOLDER)) {
                        todo.add(child.getPath());
                    }
                } else {
                    row(child, every, out);
                }
            }
        }
    }

    private static void row(FileStatus status, boolean every, List<Row> out) {
        if (!status.isFile() || status.getLen() == 0) {
            return;
        }
        String name = status.getPath().getName();
        MediaType type = MediaType.ofFileName(name).orElse(null);
        if (type == null && !every) {
            return;
        }
        out.add(RowFactory.create(status.getPath().toString(), status.getLen(), status.getModificationTime(),
                type == MediaType.IMAGE));
    }

    /** The driver's Hadoop settings (credentials for s3a included), shipped to the executors. */
    record HadoopConf(Map<String, String> entries) implements Serializable {
        static HadoopConf of(Configuration conf) {
            Map<String, String> entries = new HashMap<>();
            for (Map.Entry<String, String> e : conf) {
                entries.put(e.getKey(), e.getValue());
            }
            return new HadoopConf(entries);
        }

        Configuration configuration() {
            Configuration conf = new Configuration(false);
            entries.forEach(conf::set);
            return conf;
        }
    }
}
