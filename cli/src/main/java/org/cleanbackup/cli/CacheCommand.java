package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.cleanbackup.cache.HashCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cleanbackup cache stats|prune|clear}: the perceptual-hash cache. */
@Command(name = "cache", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"The hash cache remembers each image's perceptual hash by device and inode, size and"
                + " modification time, so unchanged (or merely moved) files are not hashed again. stats: what it holds;"
                + " prune: drop entries of files that are gone or changed; clear: empty it."},
        footer = {"", "Examples:", "  cleanbackup cache stats", "  cleanbackup cache prune --json -"})
final class CacheCommand extends BaseCommand {

    @Parameters(paramLabel = "stats|prune|clear")
    String verb;

    @Mixin
    JsonOption json;

    @Override
    int run() throws IOException {
        PrintWriter out = out();
        if (!verb.equals("stats") && !verb.equals("prune") && !verb.equals("clear")) {
            throw new UserException("unknown cache command '" + verb + "' (stats, prune or clear)");
        }
        boolean human = json.human(common);
        try (HashCache cache = HashCache.open(common.cacheFile())) {
            long removed = 0;
            switch (verb) {
                case "prune" -> removed = cache.prune();
                case "clear" -> {
                    removed = cache.stats().entries().values().stream().mapToLong(Number::longValue).sum();
                    cache.clear();
                }
                default -> { }
            }
            HashCache.Stats stats = cache.stats();
            if (human) {
                switch (verb) {
                    case "stats" -> {
                        out.println("Cache " + cache.file() + " (" + Units.bytes(stats.fileBytes()) + "):");
                        if (stats.entries().isEmpty()) {
                            out.println("  empty");
                        }
                        stats.entries().forEach((algorithm, n) -> out.printf("  %-24s %d entries%n", algorithm, n));
                    }
                    case "prune" -> out.println("Removed " + Units.count(removed, "entry", "entries")
                            + " of files that are gone or changed.");
                    default -> out.println("Cache cleared.");
                }
            }
            if (json.requested()) {
                long gone = removed;
                json.write(out, g -> {
                    g.writeStartObject();
                    g.writeStringField("command", verb);
                    g.writeStringField("file", cache.file().toString());
                    g.writeNumberField("fileBytes", stats.fileBytes());
                    g.writeObjectFieldStart("entries");
                    for (var e : stats.entries().entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue().longValue());
                    }
                    g.writeEndObject();
                    g.writeNumberField("removed", gone);
                    g.writeEndObject();
                });
            }
        }
        return ExitCodes.OK;
    }
}
