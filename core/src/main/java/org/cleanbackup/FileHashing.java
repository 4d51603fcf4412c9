package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.cache.PerceptualEntries;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.phash.ImageDecodeException;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;
import org.cleanbackup.scan.LeftOut;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;

/** {@link CleanBackup#hash}: the files a {@link HashRequest} names or holds, hashed in parallel, reported in order. */
final class FileHashing {

    private FileHashing() {
    }

    static List<Problem> run(HashRequest request, ExecutorService given, Consumer<FileHashes> each,
                             Consumer<LeftOut> leftOut) {
        if (request.perceptual() == HashRequest.Perceptual.NONE && request.content().isEmpty()) {
            throw new IllegalArgumentException("ask for a perceptual hash, a content hash or both");
        }
        List<Problem> problems = new ArrayList<>();
        List<MediaFile> files = filesToHash(request, problems, leftOut);
        var perceptual = request.perceptual() == HashRequest.Perceptual.NONE ? null
                : request.backend().orElseGet(PerceptualHashers::fastest);
        var reader = request.content().map(ContentReader::new).orElse(null);
        HashCache cache = perceptual == null ? null : request.hashCache().map(HashCache::open).orElse(null);
        try (cache; Pools.Lease<ExecutorService> lease = Pools.fixed(given, request.threads(), "cleanbackup-hash")) {
            ExecutorService pool = lease.executor();
            boolean orientations = request.perceptual() == HashRequest.Perceptual.ALL_ORIENTATIONS;
            Perceptual how = perceptual == null ? null : new Perceptual(perceptual, orientations, cache,
                    PerceptualEntries.algorithm(perceptual.name(), orientations));
            Map<MediaFile, String> cached = cache == null ? Map.of() : cache.lookupAll(files, how.algorithm());
            List<CompletableFuture<Object>> pending = new ArrayList<>();
            for (MediaFile f : files) {
                pending.add(CompletableFuture.supplyAsync(() -> hashOne(f, how, cached.get(f), reader), pool));
            }
            for (var future : pending) {
                if (future.join() instanceof FileHashes done) {
                    each.accept(done);
                } else {
                    problems.add((Problem) future.join());
                }
            }
        }
        return List.copyOf(problems);
    }

    private static List<MediaFile> filesToHash(HashRequest request, List<Problem> problems,
                                               Consumer<LeftOut> leftOut) {
        List<ScanRoot> roots = new ArrayList<>();
        List<MediaFile> files = new ArrayList<>();
        for (Path p : request.paths()) {
            if (Files.isDirectory(p)) {
                roots.add(ScanRoot.source(p));
            } else if (Files.isRegularFile(p)) {
                try {
                    var attrs = Files.readAttributes(p,
                            BasicFileAttributes.class);
                    // device and inode as the scan gives them: the cache's key
                    files.add(new MediaFile(p, p.toAbsolutePath().getParent(), false, attrs.size(),
                            attrs.lastModifiedTime().toMillis(), FileId.fromFileKey(attrs.fileKey())));
                } catch (IOException e) {
                    problems.add(Problem.of(p, e));
                }
            } else {
                problems.add(new Problem(p, Files.exists(p) ? "not a regular file"
                        : "does not exist"));
            }
        }
        if (!roots.isEmpty()) {
            var types = request.content().isEmpty() ? Set.of(MediaType.IMAGE) : MediaType.all();
            ScanResult scan = new Scanner(ScanOptions.of(roots, types)).scan();
            files.addAll(scan.files());
            problems.addAll(scan.problems());
            leftOut.accept(scan.leftOut());
        } else {
            leftOut.accept(LeftOut.NONE);
        }
        return files;
    }

    /**
     * How images are hashed: the backend, whether all eight orientations, and the cache (null for none) with the
     * algorithm its entries are under.
     */
    private record Perceptual(PerceptualHasher hasher, boolean orientations, HashCache cache, String algorithm) {
    }

    /** One file's {@link FileHashes}, or its {@link Problem}; {@code cached} is its cache entry, or null. */
    private static Object hashOne(MediaFile file, Perceptual how, String cached, ContentReader reader) {
        Path path = file.path();
        try {
            List<String> hashes = List.of();
            if (how != null) {
                long[] codes = cached != null ? fromCache(path, cached) : hashAndStore(file, how);
                // an entry with orientations holds the upright hash first, then the eight the user asked for
                LongStream asked = how.orientations() ? Arrays.stream(codes, 1, codes.length) : LongStream.of(codes[0]);
                hashes = asked.mapToObj(c -> new PerceptualHash(c).hex()).toList();
            }
            Optional<String> content = Optional.empty();
            if (reader != null) {
                content = Optional.of(reader.hashFile(path, Files.size(path)).hex());
            }
            return new FileHashes(path, hashes, content);
        } catch (IOException e) {
            return Problem.of(path, e);
        } catch (RuntimeException | StackOverflowError e) {
            return Problem.unexpected(path, "hashing it", e);
        }
    }

    /** The codes of a cache entry; a remembered decode failure is that failure again. */
    private static long[] fromCache(Path path, String cached) throws ImageDecodeException {
        Optional<String> failed = PerceptualEntries.failureReason(cached);
        if (failed.isPresent()) {
            throw new ImageDecodeException(path, failed.get());
        }
        return PerceptualEntries.decode(cached);
    }

    private static long[] hashAndStore(MediaFile file, Perceptual how) throws IOException {
        try {
            long[] codes = PerceptualEntries.hash(how.hasher(), file.path(), how.orientations());
            if (how.cache() != null) {
                how.cache().store(file, how.algorithm(), PerceptualEntries.encode(codes));
            }
            return codes;
        } catch (ImageDecodeException e) {
            if (how.cache() != null) { // damaged or unsupported: not decoded again while unchanged
                how.cache().store(file, how.algorithm(), PerceptualEntries.failure(Problem.of(file.path(), e).message()));
            }
            throw e;
        }
    }
}
