package org.cleanbackup.compress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.ProgressListener;

/**
 * Runs {@link FileCompression} over a scan on threads: images first on {@code threads} threads, then videos on half
 * as many (ffmpeg is itself multi-threaded), or both on the caller's executor when one was given.
 */
final class ParallelCompression {

    private final FileCompression one;
    private final Set<MediaType> only;
    private final int threads;
    private final ExecutorService executor;

    ParallelCompression(FileCompression one, Set<MediaType> only, int threads, ExecutorService executor) {
        this.one = one;
        this.only = only;
        this.threads = threads;
        this.executor = executor;
    }

    /** One result per file, in the order of {@code files}. */
    List<FileResult> run(List<MediaFile> files, ProgressListener progress) {
        List<FileResult> results = new ArrayList<>(Collections.nCopies(files.size(), null));
        for (MediaType type : List.of(MediaType.IMAGE, MediaType.VIDEO)) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                if (one.typeOf(files.get(i)) == type) {
                    mine.add(i);
                }
            }
            if (mine.isEmpty() || !only.contains(type)) {
                continue;
            }
            int poolSize = type == MediaType.IMAGE ? threads : Math.max(1, threads / 2);
            progress.phase(type == MediaType.IMAGE ? "Compressing images" : "Compressing videos", mine.size(), "files");
            try (Pools.Lease<ExecutorService> pool = Pools.fixed(executor, poolSize,
                    "compress-" + type.name().toLowerCase(Locale.ROOT))) {
                List<Future<FileResult>> futures = new ArrayList<>();
                for (int i : mine) {
                    MediaFile file = files.get(i);
                    futures.add(pool.executor().submit(() -> {
                        try {
                            return one.compress(file);
                        } finally {
                            progress.advance(1);
                        }
                    }));
                }
                for (int k = 0; k < mine.size(); k++) {
                    results.set(mine.get(k), await(futures.get(k), files.get(mine.get(k))));
                }
            } finally {
                progress.phaseDone();
            }
        }
        for (int i = 0; i < files.size(); i++) {
            if (results.get(i) == null) {
                MediaFile f = files.get(i);
                results.set(i, new FileResult(f, MediaType.extensionOf(f.path().getFileName().toString()),
                        FileResult.Status.SKIPPED, -1, null, "not selected by --only", List.of()));
            }
        }
        return results;
    }

    private static FileResult await(Future<FileResult> future, MediaFile file) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FileResult(file, "?", FileResult.Status.NOT_TRIED, -1, null, "interrupted", List.of());
        } catch (ExecutionException e) {
            // FileCompression catches all a file can cause; this is a bug, reported on the file rather than losing the run
            return new FileResult(file, "?", FileResult.Status.FAILED, -1, null,
                    Problem.unexpected(file.path(), "compressing it", e.getCause()).message(), List.of());
        }
    }
}
