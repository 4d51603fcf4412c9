package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup config list|get|set|unset}: settings that persist between runs. */
@Command(name = "config", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Settings that persist between runs, stored in ~/.config/cleanbackup/config.properties"
                + " ($XDG_CONFIG_HOME honoured). A command-line flag beats the file; the file beats the built-in"
                + " default."},
        footer = {"", "Examples:", "  cleanbackup config list", "  cleanbackup config set threads 1",
                "  cleanbackup config set action move", "  cleanbackup config unset threads",
                "  cleanbackup config list --json -"})
final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    // Not the CommonOptions mixin: its --threads would take its default from the very file this command repairs,
    // and a bad value there would stop the repair before it starts.
    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "list|get|set|unset")
    String verb;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE")
    String value;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the settings (list) or the one key (get, set,"
            + " unset) as JSON to FILE, or to stdout with '-'.")
    String json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        boolean human = !quiet && !JsonOutput.toStdout(json);
        Settings settings = Settings.load(Settings.defaultFile());
        List<String> shown;
        switch (verb) {
            case "list" -> {
                shown = Settings.KEYS.stream().map(Settings.Key::name).toList();
                if (human) {
                    out.printf("%-12s  %-40s  %s%n", "key", "value", "from");
                    for (Settings.Key k : Settings.KEYS) {
                        var fromFile = settings.get(k.name());
                        out.printf("%-12s  %-40s  %s%n", k.name(), fromFile.orElse(k.builtIn()),
                                fromFile.isPresent() ? settings.file() : "built-in default");
                    }
                    out.println("(a flag on the command line beats both)");
                }
            }
            case "get" -> {
                Settings.Key k = requireKey();
                shown = List.of(k.name());
                if (human) {
                    out.println(settings.get(k.name()).orElse(k.builtIn()));
                }
            }
            case "set" -> {
                Settings.Key k = requireKey();
                if (value == null) {
                    throw new UserException("config set " + k.name() + " needs a VALUE (" + k.expected() + ")");
                }
                if (!k.valid().test(value)) {
                    throw new UserException("bad value '" + value + "' for '" + k.name() + "': expected " + k.expected());
                }
                settings.put(k.name(), value);
                shown = List.of(k.name());
                if (human) {
                    out.println(k.name() + " = " + value + "  (saved in " + settings.file() + ")");
                }
            }
            case "unset" -> {
                // Any key, known or not: this is how a bad line in the file is removed.
                if (key == null) {
                    throw new UserException("config unset needs a KEY");
                }
                settings.put(key, null);
                shown = List.of(key);
                if (human) {
                    out.println(key + " unset; the built-in default applies");
                }
            }
            default -> throw new UserException("unknown config command '" + verb + "' (list, get, set, unset)");
        }
        if (json != null) {
            JsonOutput.write(json, out, g -> {
                g.writeStartObject();
                g.writeStringField("file", settings.file().toString());
                g.writeArrayFieldStart("settings");
                for (String name : shown) {
                    var fromFile = settings.get(name);
                    String builtIn = Settings.key(name).map(Settings.Key::builtIn).orElse(null);
                    g.writeStartObject();
                    g.writeStringField("key", name);
                    if (fromFile.isPresent() || builtIn != null) {
                        g.writeStringField("value", fromFile.orElse(builtIn));
                    } else {
                        g.writeNullField("value");
                    }
                    g.writeStringField("from", fromFile.isPresent() ? "file" : "default");
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        }
        return ExitCodes.OK;
    }

    private Settings.Key requireKey() {
        if (key == null) {
            throw new UserException("name a KEY: " + String.join(", ", Settings.KEYS.stream().map(Settings.Key::name).toList()));
        }
        return Settings.key(key).orElseThrow(() -> new UserException("unknown key '" + key + "' (known: "
                + String.join(", ", Settings.KEYS.stream().map(Settings.Key::name).toList()) + ")"));
    }
}
