package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cleanbackup.FileHashes;
import org.cleanbackup.HashRequest;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.model.Problem;
import org.cleanbackup.model.DisplayNames;
import org.cleanbackup.scan.LeftOut;
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

    @Option(names = "--no-cache", description = "Do not read or write the hash cache (by default perceptual hashes"
            + " are read from and written to the cache dedupe --mode similar uses; see --cache).")
    boolean noCache;

    @Mixin
    JsonOption json;

    @Override
    int run() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        boolean wantPhash = phash || orientations || !content;
        HashRequest request = HashRequest.of(paths).withThreads(common.threads).withPerceptual(!wantPhash
                ? HashRequest.Perceptual.NONE
                : orientations ? HashRequest.Perceptual.ALL_ORIENTATIONS : HashRequest.Perceptual.AS_STORED);
        PerceptualHasher hasher = wantPhash ? Backends.choose(backend) : null;
        if (hasher != null) {
            request = request.withPerceptualHasher(hasher);
            if (!noCache) {
                request = request.withHashCache(common.cacheFile());
            }
        }
        if (content) {
            request = request.withContent(ContentHashers.byName(algorithm));
        }
        boolean human = json.human(common);
        List<FileHashes> done = new ArrayList<>();
        // hashed in parallel, printed in order, each line as soon as it and those before it are done
        LeftOut[] leftOut = {LeftOut.NONE};
        List<Problem> problems = cleanBackup().hash(request, hashes -> {
            done.add(hashes);
            if (human) {
                out.println(text(hashes));
            }
        }, scanned -> leftOut[0] = scanned);
        out.flush();
        problems.forEach(p -> err.println("problem: " + p));
        // stdout holds only path<TAB>hash lines, for scripts: what was left out is a note beside the problems
        if (!common.quiet && leftOut[0].total() > 0) {
            err.println("note: " + leftOut[0].describe());
        }
        if (json.requested()) {
            json.write(out, g -> writeJson(g, done, problems, hasher, leftOut[0]));
        }
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /** The text form: path, then the perceptual hash(es) comma-separated, then the content hash, tab-separated. */
    private static String text(FileHashes hashes) {
        StringBuilder line = new StringBuilder(DisplayNames.of(hashes.path())); // one file, one line
        if (!hashes.perceptual().isEmpty()) {
            line.append('\t').append(String.join(",", hashes.perceptual()));
        }
        hashes.content().ifPresent(c -> line.append('\t').append(c));
        return line.toString();
    }

    private void writeJson(com.fasterxml.jackson.core.JsonGenerator g, List<FileHashes> done, List<Problem> problems,
                           PerceptualHasher hasher, LeftOut leftOut) throws java.io.IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("files");
        for (FileHashes line : done) {
            g.writeStartObject();
            g.writeStringField("path", line.path().toString());
            if (!line.perceptual().isEmpty()) {
                g.writeStringField("phash", line.perceptual().getFirst());
            }
            if (orientations) {
                g.writeArrayFieldStart("orientations");
                for (String hex : line.perceptual()) {
                    g.writeString(hex);
                }
                g.writeEndArray();
            }
            if (line.content().isPresent()) {
                g.writeStringField("content", line.content().get());
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
        JsonOutput.writeLeftOut(g, leftOut);
        g.writeEndObject();
        g.writeEndObject();
    }
}
