package org.cleanbackup.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.LeftOut;

/**
 * Where {@code --json FILE|-} goes: the named file (UTF-8), or the command's stdout, which is never closed. Every
 * document is pretty-printed and ends with a newline; its schema is in docs/json/ (docs/json.md describes them).
 */
final class JsonOutput {

    private static final JsonFactory FACTORY = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonOutput() {
    }

    /** What writes one JSON document. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Whether {@code --json -} sends the report to stdout, so the human summary must stay out of it. */
    static boolean toStdout(String json) {
        return "-".equals(json);
    }

    /** Whether the human text goes to stdout: neither {@code --quiet} nor {@code --json -} was given. */
    static boolean human(CommonOptions common, String json) {
        return !common.quiet && !toStdout(json);
    }

    /** A writer for the report; closing it flushes stdout but closes only a file. */
    /**
     * Refuses, before anything is changed, a {@code --json FILE} that could not be written at the end (its folder
     * missing or read-only, the name a folder): found only after the run, the report of what changed would be lost.
     */
    static void checkWritable(String json) {
        if (json == null || toStdout(json)) {
            return;
        }
        Path file = Path.of(json).toAbsolutePath();
        Path folder = file.getParent();
        if (Files.isDirectory(file)) {
            throw new UserException("--json " + json + " is a folder; name a file (nothing was changed)");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UserException("--json " + json + ": the folder " + folder + " does not exist (nothing was changed)");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(folder)) {
            throw new UserException("--json " + json + " cannot be written (read-only); nothing was changed");
        }
    }

    static Writer open(String json, PrintWriter stdout) throws IOException {
        if (!toStdout(json)) {
            return Files.newBufferedWriter(Path.of(json), StandardCharsets.UTF_8);
        }
        return new FilterWriter(stdout) {
            @Override
            public void flush() {
                stdout.flush();
            }

            @Override
            public void close() {
                stdout.flush();
            }
        };
    }

    /** Writes one pretty-printed document followed by a newline to {@code json} (a file, or stdout for '-'). */
    static void write(String json, PrintWriter stdout, Body body) throws IOException {
        try (Writer w = open(json, stdout)) {
            JsonGenerator g = FACTORY.createGenerator(w);
            g.useDefaultPrettyPrinter();
            body.write(g);
            g.flush();
            w.write('\n');
        }
    }

    /** The {@code "problems": [{"path","message"}]} array every report has. */
    static void writeProblems(JsonGenerator g, List<Problem> problems) throws IOException {
        g.writeArrayFieldStart("problems");
        for (Problem p : problems) {
            g.writeStartObject();
            g.writeStringField("path", p.path().toString());
            g.writeStringField("message", p.message());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code "leftOut": {"byExtension","empty","linksOrSpecial","unreadable","notImage"}}: what a scan did not
     * consider, and why; the same object as dedupe's {@code summary.leftOut} (written in core by DedupeReport).
     */
    static void writeLeftOut(JsonGenerator g, LeftOut leftOut) throws IOException {
        g.writeObjectFieldStart("leftOut");
        g.writeObjectFieldStart("byExtension");
        for (var e : new java.util.TreeMap<>(leftOut.byExtension()).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("empty", leftOut.empty());
        g.writeNumberField("linksOrSpecial", leftOut.notRegular());
        g.writeNumberField("unreadable", leftOut.unreadable());
        g.writeNumberField("notImage", leftOut.notImage());
        g.writeEndObject();
    }
}
