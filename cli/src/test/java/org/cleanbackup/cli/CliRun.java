package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the command in this JVM, with what it printed.
 *
 * @param code   the exit code
 * @param stdout what it printed to stdout
 * @param stderr what it printed to stderr
 */
record CliRun(int code, String stdout, String stderr) {

    /**
     * Runs {@code args} with the journal, the hash cache and the log file in {@code dir}, so that a test never
     * touches the user's own (except {@code config}, which takes none of these options).
     */
    static CliRun isolated(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!args[0].equals("config")) {
            all.addAll(List.of("--journal", dir.resolve("journal.db").toString(), "--cache",
                    dir.resolve("cache.db").toString(), "--log-file", dir.resolve("log.txt").toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }
}
