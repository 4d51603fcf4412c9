package org.cleanbackup.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cleanbackup completion bash|zsh}: a completion script generated from the command model. */
@Command(name = "completion", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Prints a shell completion script for cleanbackup, generated from its own commands and options."},
        footer = {"", "Examples:",
                "  source <(cleanbackup completion bash)                 # this shell",
                "  cleanbackup completion bash > ~/.local/share/bash-completion/completions/cleanbackup",
                "  cleanbackup completion zsh > \"${fpath[1]}/_cleanbackup\"   # zsh (uses bashcompinit)"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "bash|zsh", description = "The shell.")
    String shell;

    @Override
    public Integer call() {
        CommandLine root = CleanBackupCommand.commandLine(); // this run built only its own subcommand
        String script = AutoComplete.bash("cleanbackup", root);
        switch (shell) {
            case "bash" -> spec.commandLine().getOut().print(script);
            // picocli's script is written to run under zsh too, through bashcompinit.
            case "zsh" -> spec.commandLine().getOut().print("#compdef cleanbackup\nautoload -U +X bashcompinit && bashcompinit\n"
                    + script);
            default -> throw new UserException("unknown shell '" + shell + "' (bash or zsh)");
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
