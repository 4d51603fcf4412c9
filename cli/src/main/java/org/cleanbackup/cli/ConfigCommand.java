package org.cleanbackup.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup config list|get|set|unset}: settings that persist between runs. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Settings that persist between runs, stored in ~/.config/cleanbackup/config.properties"
                + " ($XDG_CONFIG_HOME honoured). A command-line flag beats the file; the file beats the built-in"
                + " default."},
        footer = {"", "Examples:", "  cleanbackup config list", "  cleanbackup config set threads 1",
                "  cleanbackup config set action move", "  cleanbackup config unset threads"})
final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "list|get|set|unset")
    String verb;

    @Parameters(index = "1", arity = "0..1", paramLabel = "KEY")
    String key;

    @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE")
    String value;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Settings settings = Settings.load(Settings.defaultFile());
        switch (verb) {
            case "list" -> {
                out.printf("%-12s  %-40s  %s%n", "key", "value", "from");
                for (Settings.Key k : Settings.KEYS) {
                    var fromFile = settings.get(k.name());
                    out.printf("%-12s  %-40s  %s%n", k.name(), fromFile.orElse(k.builtIn()),
                            fromFile.isPresent() ? settings.file() : "built-in default");
                }
                out.println("(a flag on the command line beats both)");
            }
            case "get" -> out.println(settings.get(requireKey().name()).orElse(requireKey().builtIn()));
            case "set" -> {
                Settings.Key k = requireKey();
                if (value == null) {
                    throw new UserException("config set " + k.name() + " needs a VALUE (" + k.expected() + ")");
                }
                if (!k.valid().test(value)) {
                    throw new UserException("bad value '" + value + "' for '" + k.name() + "': expected " + k.expected());
                }
                settings.put(k.name(), value);
                out.println(k.name() + " = " + value + "  (saved in " + settings.file() + ")");
            }
            case "unset" -> {
                // Any key, known or not: this is how a bad line in the file is removed.
                if (key == null) {
                    throw new UserException("config unset needs a KEY");
                }
                settings.put(key, null);
                out.println(key + " unset; the built-in default applies");
            }
            default -> throw new UserException("unknown config command '" + verb + "' (list, get, set, unset)");
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
