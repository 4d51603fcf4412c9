package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.internal.hash.ContentReader;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanResult;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.cleanbackup.model.DisplayNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup hash}: prints the perceptual and/or content hash of files, one line each. */
@Command(name = "hash", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Prints one line per file: path<TAB>hash. The perceptual hash (--phash, the default) is 16"
                + " hex digits; two pictures are alike when few of their 64 bits differ. Problems go to stderr."},
        footer = {"", "Examples:", "  cleanbackup hash photo.jpg", "  cleanbackup hash --content --algorithm sha256 ~/Music",
                "  cleanbackup hash --orientations --backend scalar IMG_1.HEIC",
                "  cleanbackup hash --json - ~/Pictures/2024 | jq -r '.files[].phash'"})
final class HashCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Files, or folders to hash the images (or with"
            + " --content, the media files) in.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--phash", description = "Perceptual hash of images (the default when --content is not given).")
    boolean phash;

    @Option(names = "--content", description = "Content hash (XXH3-128 unless --algorithm).")
    boolean content;

    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "xxh3", description = "Content hash: xxh3, md5, sha256.")
    String algorithm;

    @Option(names = "--backend", paramLabel = "NAME", description = "native, vector or scalar (default: fastest).")
    String backend;

    @Option(names = "--orientations", description = "Print the hashes of all eight flips and rotations, comma-separated"
            + " (identity, then the EXIF orientations 2-8).")
    boolean orientations;

    @Mixin
    JsonOption json;

    @Override
    int run() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        boolean wantPhash = phash || orientations || !content;
        List<ScanRoot> roots = new ArrayList<>();
        List<MediaFile> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path p : paths) {
            if (java.nio.file.Files.isDirectory(p)) {
                roots.add(ScanRoot.source(p));
            } else if (java.nio.file.Files.isRegularFile(p)) {
                var attrs = java.nio.file.Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                files.add(new MediaFile(p, p.toAbsolutePath().getParent(), false, attrs.size(),
                        attrs.lastModifiedTime().toMillis(), null));
            } else {
                problems.add(new Problem(p, java.nio.file.Files.exists(p) ? "not a regular file" : "does not exist"));
            }
        }
        if (!roots.isEmpty()) {
            var types = wantPhash && !content ? java.util.Set.of(MediaType.IMAGE) : MediaType.all();
            ScanResult scan = new Scanner(ScanOptions.of(roots, types)).scan();
            files.addAll(scan.files());
            problems.addAll(scan.problems());
        }
        PerceptualHasher hasher = wantPhash ? Backends.choose(backend) : null;
        ContentReader reader = content ? new ContentReader(ContentHashers.byName(algorithm)) : null;
        boolean human = json.human(common);
        List<Line> done = new ArrayList<>();
        // Each file on its own line as soon as it is done would interleave; hash in parallel, print in order.
        List<java.util.concurrent.Future<Line>> lines = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(common.threads)) {
            for (MediaFile f : files) {
                lines.add(pool.submit(() -> {
                    try {
                        List<String> hashes = List.of();
                        if (hasher != null) {
                            hashes = orientations
                                    ? hasher.hashOrientations(f.path()).hashes().stream().map(PerceptualHash::hex).toList()
                                    : List.of(hasher.hash(f.path()).hex());
                        }
                        String contentHex = null;
                        if (reader != null) {
                            ContentHash h = reader.hashFile(f.path(), java.nio.file.Files.size(f.path()));
                            contentHex = h.hex();
                        }
                        return new Line(f.path(), hashes, contentHex, null);
                    } catch (java.io.IOException e) {
                        return new Line(f.path(), List.of(), null, Problem.of(f.path(), e));
                    } catch (RuntimeException | StackOverflowError e) {
                        return new Line(f.path(), List.of(), null, Problem.unexpected(f.path(), "hashing it", e));
                    }
                }));
            }
            for (var future : lines) {
                Line line = future.get();
                if (line.problem() != null) {
                    problems.add(line.problem());
                    continue;
                }
                done.add(line);
                if (human) {
                    out.println(line.text());
                }
            }
        }
        out.flush();
        problems.forEach(p -> err.println("problem: " + p));
        if (json.requested()) {
            json.write(out, g -> writeJson(g, done, problems, hasher));
        }
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    private void writeJson(com.fasterxml.jackson.core.JsonGenerator g, List<Line> done, List<Problem> problems,
                           PerceptualHasher hasher) throws java.io.IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("files");
        for (Line line : done) {
            g.writeStartObject();
            g.writeStringField("path", line.path().toString());
            if (!line.phashes().isEmpty()) {
                g.writeStringField("phash", line.phashes().getFirst());
            }
            if (orientations) {
                g.writeArrayFieldStart("orientations");
                for (String hex : line.phashes()) {
                    g.writeString(hex);
                }
                g.writeEndArray();
            }
            if (line.content() != null) {
                g.writeStringField("content", line.content());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        JsonOutput.writeProblems(g, problems);
        g.writeObjectFieldStart("summary");
        g.writeNumberField("files", done.size());
        g.writeNumberField("problems", problems.size());
        if (hasher != null) {
            g.writeStringField("backend", hasher.name());
        }
        if (content) {
            g.writeStringField("algorithm", algorithm.toLowerCase(java.util.Locale.ROOT));
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * One file's hashes, or its problem.
     *
     * @param phashes the perceptual hash, or with {@code --orientations} all eight (identity first); empty without
     * @param content the content hash in hex, or null without {@code --content}
     */
    private record Line(Path path, List<String> phashes, String content, Problem problem) {

        /** The text form: path, then the perceptual hash(es) comma-separated, then the content hash, tab-separated. */
        String text() {
            StringBuilder line = new StringBuilder(DisplayNames.of(path)); // one file, one line
            if (!phashes.isEmpty()) {
                line.append('\t').append(String.join(",", phashes));
            }
            if (content != null) {
                line.append('\t').append(content);
            }
            return line.toString();
        }
    }
}
