package org.cleanbackup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.cleanbackup.internal.Pools;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
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
        try (Pools.Lease<ExecutorService> lease = Pools.fixed(given, request.threads(), "cleanbackup-hash")) {
            ExecutorService pool = lease.executor();
            List<CompletableFuture<Object>> pending = new ArrayList<>();
            for (MediaFile f : files) {
                pending.add(CompletableFuture.supplyAsync(
                        () -> hashOne(f.path(), perceptual, request.perceptual(), reader), pool));
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
                    files.add(new MediaFile(p, p.toAbsolutePath().getParent(), false, attrs.size(),
                            attrs.lastModifiedTime().toMillis(), null));
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

    /** One file's {@link FileHashes}, or its {@link Problem}. */
    private static Object hashOne(Path path, PerceptualHasher hasher,
                                  HashRequest.Perceptual how, ContentReader reader) {
        try {
            List<String> hashes = List.of();
            if (hasher != null) {
                hashes = how == HashRequest.Perceptual.ALL_ORIENTATIONS
                        ? hasher.hashOrientations(path).hashes().stream()
                                .map(PerceptualHash::hex).toList()
                        : List.of(hasher.hash(path).hex());
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
}
