package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cleanbackup.cache.HashCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup cache stats|prune|clear}: the perceptual-hash cache. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"The hash cache remembers each image's perceptual hash by device and inode, size and"
                + " modification time, so unchanged (or merely moved) files are not hashed again. stats: what it holds;"
                + " prune: drop entries of files that are gone or changed; clear: empty it."})
final class CacheCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "stats|prune|clear")
    String verb;

    @Override
    public Integer call() {
        common.validate();
        LoggingSetup.apply(common);
        PrintWriter out = spec.commandLine().getOut();
        if (!verb.equals("stats") && !verb.equals("prune") && !verb.equals("clear")) {
            throw new UserException("unknown cache command '" + verb + "' (stats, prune or clear)");
        }
        try (HashCache cache = HashCache.open(common.cacheFile())) {
            switch (verb) {
                case "stats" -> {
                    HashCache.Stats stats = cache.stats();
                    out.println("Cache " + cache.file() + " (" + Units.bytes(stats.fileBytes()) + "):");
                    if (stats.entries().isEmpty()) {
                        out.println("  empty");
                    }
                    stats.entries().forEach((algorithm, n) -> out.printf("  %-24s %d entries%n", algorithm, n));
                }
                case "prune" -> out.println("Removed " + Units.count(cache.prune(), "entry", "entries")
                        + " of files that are gone or changed.");
                default -> {
                    cache.clear();
                    out.println("Cache cleared.");
                }
            }
        }
        return ExitCodes.OK;
    }
}
