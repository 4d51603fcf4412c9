package org.cleanbackup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command shares. */
final class CommonOptions {

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--journal", paramLabel = "FILE",
            description = "Journal database (default: $XDG_DATA_HOME/cleanbackup/cleanbackup.db, else ~/.local/share/cleanbackup/cleanbackup.db).")
    Path journal;

    @Option(names = "--cache", paramLabel = "FILE",
            description = "Hash cache database (default: cleanbackup-cache.db beside the journal's default place).")
    Path cache;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Also log to this file (default: ~/.local/state/cleanbackup/logs/cleanbackup-YYYYMMDD.log).")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "Level of the log file: error, warn, info, debug, trace (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--max-pixels", paramLabel = "N",
            description = "Largest image, in pixels, that is decoded; a larger one (or a small file that declares one: "
                    + "a decompression bomb) is refused from its header, before anything is allocated (default: "
                    + org.cleanbackup.phash.PerceptualHashers.DEFAULT_MAX_PIXELS + ").")
    Long maxPixels;

    @Option(names = {"-v", "--verbose"}, description = "Show progress details and stack traces on the terminal.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    /** The journal file to use. */
    Path journalFile() {
        return journal != null ? journal : AppDirs.fromEnvironment().database();
    }

    /** The hash cache file to use. */
    Path cacheFile() {
        return cache != null ? cache : AppDirs.fromEnvironment().data().resolve("cleanbackup-cache.db");
    }

    /** The review page's thumbnails, kept in the hash cache's folder (and made again for a changed file). */
    org.cleanbackup.thumbnail.Thumbnails thumbnails() {
        return org.cleanbackup.thumbnail.Thumbnails.create(cacheFile().toAbsolutePath().getParent());
    }

    /** Validates what picocli cannot. */
    void validate() {
        if (threads < 1) {
            throw new UserException("--threads must be at least 1");
        }
        if (verbose && quiet) {
            throw new UserException("--verbose and --quiet cannot be used together");
        }
        if (maxPixels != null) {
            if (maxPixels < 1) {
                throw new UserException("--max-pixels must be at least 1");
            }
            // every decoder reads the limit from this property (a library user sets it the same way)
            System.setProperty(org.cleanbackup.phash.PerceptualHashers.MAX_PIXELS_PROPERTY, Long.toString(maxPixels));
        }
    }
}
