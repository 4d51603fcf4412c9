package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Option;

/**
 * {@code --json FILE}, shared by the commands that write a report (a picocli mixin). {@link BaseCommand} refuses a
 * file that could not be written before the command starts.
 */
final class JsonOption {

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON to FILE, or to stdout"
            + " with '-'.")
    String file;

    /** Whether a JSON report was asked for. */
    boolean requested() {
        return file != null;
    }

    /** Whether the report goes to stdout, so the human summary must stay out of it. */
    boolean toStdout() {
        return JsonOutput.toStdout(file);
    }

    /** Whether the human text goes to stdout: neither {@code --quiet} nor {@code --json -} was given. */
    boolean human(CommonOptions common) {
        return JsonOutput.human(common, file);
    }

    /** Refuses, before anything is changed, a file that could not be written at the end. */
    void checkWritable() {
        JsonOutput.checkWritable(file);
    }

    /** A writer for the report; closing it flushes stdout but closes only a file. */
    Writer open(PrintWriter stdout) throws IOException {
        return JsonOutput.open(file, stdout);
    }

    /** Writes one pretty-printed document followed by a newline, when a report was asked for. */
    void write(PrintWriter stdout, JsonOutput.Body body) throws IOException {
        if (file != null) {
            JsonOutput.write(file, stdout, body);
        }
    }
}
