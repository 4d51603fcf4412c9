package org.cleanbackup.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.phash.PerceptualHash;

/**
 * The job's arguments: {@code dedupe --input URI... --output URI [--threshold BITS] [--every-file] [--master M]}.
 *
 * @param inputs    the folders to look at ({@code file://}, {@code hdfs://}, {@code s3a://}, or a plain path)
 * @param output    the folder the tables and the plans go to (must not exist yet)
 * @param threshold the look-alike threshold in bits, 0 to 32 (as {@code dedupe --threshold})
 * @param everyFile every regular file, not only media files (as {@code dedupe --types all})
 * @param master    a Spark master for a plain {@code java} run ({@code local[2]}); null under spark-submit
 * @param maxCandidates the most pairs the look-alike join may compare before it refuses (docs/scale.md)
 */
public record JobOptions(List<String> inputs, String output, int threshold, boolean everyFile, String master,
                         long maxCandidates)
        implements Serializable {

    /** Checks the values. */
    public JobOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("dedupe needs --input URI (one or more)");
        }
        if (output == null) {
            throw new IllegalArgumentException("dedupe needs --output URI");
        }
        if (maxCandidates < 0) {
            throw new IllegalArgumentException("--max-candidates takes 0 or more");
        }
        if (threshold < 0 || threshold > 32) {
            throw new IllegalArgumentException("--threshold is a number of bits from 0 to 32, was " + threshold);
        }
    }

    /** The default limit of the look-alike join: ten billion pairs, hours on a cluster of a hundred cores. */
    public static final long DEFAULT_MAX_CANDIDATES = 10_000_000_000L;

    /** Parses the command line (after the job's name). */
    public static JobOptions parse(String... args) {
        if (args.length == 0 || !args[0].equals("dedupe")) {
            throw new IllegalArgumentException(
                    "usage: dedupe --input URI... --output URI [--threshold BITS] [--every-file] [--master M]"
                    + " [--max-candidates N]");
        }
        List<String> inputs = new ArrayList<>();
        String output = null;
        String master = null;
        int threshold = PerceptualHash.DEFAULT_THRESHOLD;
        boolean every = false;
        long maxCandidates = DEFAULT_MAX_CANDIDATES;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        inputs.add(args[++i]);
                    }
                }
                case "--output" -> output = value(args, ++i, "--output");
                case "--master" -> master = value(args, ++i, "--master");
                case "--threshold" -> threshold = Integer.parseInt(value(args, ++i, "--threshold"));
                case "--every-file" -> every = true;
                case "--max-candidates" -> maxCandidates = Long.parseLong(value(args, ++i, "--max-candidates"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new JobOptions(inputs, output, threshold, every, master, maxCandidates);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
