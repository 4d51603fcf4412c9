package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the {@code cleanbackup} command. */
public final class Main {

    private Main() {
    }

    /** Runs the command and exits with its exit code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        if (args.length == 0 && System.console() != null && System.console().isTerminal()) {
            try {
                System.exit(GuidedMode.run(a -> run(out, err, a)));
            } catch (java.io.IOException e) {
                err.println("cleanbackup: cannot open the terminal for the menu: " + e.getMessage());
                System.exit(ExitCodes.USAGE);
            }
        }
        System.exit(run(out, err, args));
    }

    /**
     * Runs the command with the given output streams and returns the exit code ({@link ExitCodes}). Tests call this.
     */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = CleanBackupCommand.commandLineFor(args);
        if (args.length == 0) {
            // No menu without a terminal (a script, a pipe, CI): never wait for input that cannot come.
            cli.usage(err);
            err.println("Run it in a terminal for a guided menu, or give a command (see above).");
            err.flush();
            return ExitCodes.USAGE;
        }
        Settings settings;
        try {
            settings = Settings.load(Settings.defaultFile());
            if (!(args.length > 0 && args[0].equals("config"))) {
                settings.validate(); // 'config' must still run, to repair the file
            }
        } catch (UserException e) {
            err.println("cleanbackup: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        cli.setDefaultValueProvider(settings);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((ex, argv) -> {
            err.println("cleanbackup: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            return ExitCodes.USAGE;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
