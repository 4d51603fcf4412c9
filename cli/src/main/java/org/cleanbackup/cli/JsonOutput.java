package org.cleanbackup.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code --json FILE|-} goes: the named file (UTF-8), or the command's stdout, which is never closed. */
final class JsonOutput {

    private JsonOutput() {
    }

    /** Whether {@code --json -} sends the report to stdout, so the human summary must stay out of it. */
    static boolean toStdout(String json) {
        return "-".equals(json);
    }

    /** A writer for the report; closing it flushes stdout but closes only a file. */
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
}
