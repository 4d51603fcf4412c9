package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.model.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Parallel hashing of many files where one bad file never stops the others. */
final class BatchHashing {

    private static final Logger LOG = LoggerFactory.getLogger(BatchHashing.class);

    private BatchHashing() {
    }

    /** Hashes {@code files} on {@code executor}, or when it is null on {@code threads} threads of our own. */
    static List<HashResult> run(PerceptualHasher hasher, List<Path> files, int threads, ExecutorService executor,
                                Consumer<? super HashResult> progress) throws InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (files.isEmpty()) {
            return List.of();
        }
        // Decoding is CPU-bound: platform threads, as many as asked; daemon so a forgotten pool never blocks exit.
        try (Pools.Lease<ExecutorService> lease = Pools.fixed(executor, Math.min(threads, files.size()),
                "phash-" + hasher.name())) {
            ExecutorService pool = lease.executor();
            List<Future<HashResult>> futures = new ArrayList<>(files.size());
            for (Path file : files) {
                futures.add(pool.submit(() -> {
                    HashResult result = hashOne(hasher, file);
                    try {
                        progress.accept(result);
                    } catch (RuntimeException e) {
                        LOG.warn("progress callback failed for {}", file, e);
                    }
                    return result;
                }));
            }
            List<HashResult> results = new ArrayList<>(files.size());
            for (Future<HashResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    // hashOne catches everything a decoder can throw; reaching here is a bug worth a stack trace
                    throw new IllegalStateException("batch hashing failed unexpectedly", e.getCause());
                }
            }
            return results;
        }
    }

    static HashResult hashOne(PerceptualHasher hasher, Path file) {
        try {
            return new HashResult.Hashed(file, hasher.hash(file));
        } catch (ImageDecodeException e) {
            LOG.debug("cannot hash {}", file, e);
            return new HashResult.Failed(file, e.reason());
        } catch (IOException e) {
            LOG.debug("cannot hash {}", file, e);
            return new HashResult.Failed(file, Problem.describe(e));
        } catch (RuntimeException | StackOverflowError e) {
            // Memory is bounded before decoding (pixel limits, structure checks), never caught here.
            return new HashResult.Failed(file, Problem.unexpected(file, "decoding the image", e).message());
        }
    }
}
