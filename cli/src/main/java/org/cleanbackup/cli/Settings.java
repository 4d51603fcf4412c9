package org.cleanbackup.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import picocli.CommandLine;

/**
 * The user's persistent settings in {@code ~/.config/cleanbackup/config.properties} ({@code $XDG_CONFIG_HOME}
 * honoured). A command-line flag beats the file; the file beats the built-in default. Each key stands for one
 * option, in every command that has it.
 */
final class Settings implements CommandLine.IDefaultValueProvider {

    /** A known key: the option it sets, what values it takes, and its built-in default. */
    record Key(String name, String option, String builtIn, String expected, Predicate<String> valid) {
    }

    static final List<Key> KEYS = List.of(
            new Key("threads", "--threads", Integer.toString(Runtime.getRuntime().availableProcessors()),
                    "a whole number from 1 to 256", v -> v.matches("\\d{1,3}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 256),
            new Key("action", "--action", "report", "report, move, copy, delete or hardlink",
                    v -> List.of("report", "move", "copy", "delete", "hardlink").contains(v)),
            new Key("keep", "--keep", "oldest", "oldest, newest, shortest-path or first",
                    v -> List.of("oldest", "newest", "shortest-path", "first").contains(v)),
            new Key("algorithm", "--algorithm", "xxh3", "xxh3, md5 or sha256", v -> List.of("xxh3", "md5", "sha256").contains(v)),
            new Key("retries", "--retries", "3", "a whole number from 0 to 100",
                    v -> v.matches("\\d{1,3}") && Integer.parseInt(v) <= 100),
            new Key("retry-delay", "--retry-delay", "1s", "a duration such as 500ms, 1s or 2m",
                    v -> v.matches("\\d+(\\.\\d+)?\\s*(ms|s|m|h)?")),
            new Key("backend", "--backend", "(fastest)", "native, vector or scalar",
                    v -> List.of("native", "vector", "scalar").contains(v)),
            new Key("sensitivity", "--sensitivity", "standard", "exact, standard or aggressive",
                    v -> List.of("exact", "standard", "aggressive").contains(v)),
            new Key("threshold", "--threshold", "(from sensitivity)", "a whole number from 0 to 32",
                    v -> v.matches("\\d{1,2}") && Integer.parseInt(v) <= 32),
            new Key("cache", "--cache", "(" + AppDirs.fromEnvironment().data().resolve("cleanbackup-cache.db") + ")",
                    "an absolute path",
                    v -> Path.of(v).isAbsolute()),
            new Key("max-pixels", "--max-pixels", Long.toString(org.cleanbackup.phash.PerceptualHashers.DEFAULT_MAX_PIXELS), "a whole number of pixels, at least 1",
                    v -> v.matches("\\d{1,18}") && Long.parseLong(v) >= 1),
            new Key("journal", "--journal", "(" + AppDirs.fromEnvironment().database() + ")", "an absolute path",
                    v -> Path.of(v).isAbsolute()));

    private final Path file;
    private final Map<String, String> values;

    private Settings(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /** The settings file of this user; the system property {@code cleanbackup.config} names another. */
    static Path defaultFile() {
        String override = System.getProperty("cleanbackup.config");
        return override != null ? Path.of(override) : AppDirs.fromEnvironment().config().resolve("config.properties");
    }

    /** Reads the file (a missing file is no settings), without judging the values. */
    static Settings load(Path file) {
        Map<String, String> values = new TreeMap<>();
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserException("cannot read the settings file " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        }
        return new Settings(file, values);
    }

    Path file() {
        return file;
    }

    /**
     * Checks every value; the first bad one stops the command before it touches anything, naming the key and
     * the file.
     */
    void validate() {
        for (Map.Entry<String, String> e : values.entrySet()) {
            Key key = key(e.getKey()).orElseThrow(() -> new UserException("unknown setting '" + e.getKey() + "' in "
                    + file + " (known: " + String.join(", ", KEYS.stream().map(Key::name).toList())
                    + "); fix it with 'cleanbackup config unset " + e.getKey() + "'"));
            if (!key.valid().test(e.getValue())) {
                throw new UserException("bad value '" + e.getValue() + "' for '" + key.name() + "' in " + file
                        + ": expected " + key.expected() + " (fix it with 'cleanbackup config set " + key.name()
                        + " VALUE' or 'config unset " + key.name() + "')");
            }
        }
    }

    static Optional<Key> key(String name) {
        return KEYS.stream().filter(k -> k.name().equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Sets (value non-null) or removes a key and writes the file atomically (temp file, then rename). */
    void put(String name, String value) throws IOException {
        Map<String, String> next = new LinkedHashMap<>(values);
        if (value == null) {
            next.remove(name);
        } else {
            next.put(name, value);
        }
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "config", ".tmp");
        try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            w.write("# Clean-Backup settings: see 'cleanbackup config list'. A command-line flag beats these.\n");
            for (Map.Entry<String, String> e : new TreeMap<>(next).entrySet()) {
                w.write(e.getKey() + "=" + e.getValue().replace("\\", "\\\\") + "\n");
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        values.clear();
        values.putAll(next);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option) {
            for (Key key : KEYS) {
                if (option.longestName().equals(key.option()) && values.containsKey(key.name())) {
                    return values.get(key.name());
                }
            }
        }
        return null; // picocli falls back to the annotation's default
    }
}
