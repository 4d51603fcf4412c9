package org.cleanbackup.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.RequestRefusedException;
import org.cleanbackup.journal.Journal;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that works on files does once: it checks the shared options and {@code --json} before
 * anything happens, sets up logging, runs, and turns a request the library refuses into the one-line message of
 * {@link UserException} (exit code 2; {@link ErrorHandler} maps the rest). A command builds a request, calls the
 * library's front door ({@link #cleanBackup()}) and prints the result.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Override
    public final Integer call() throws Exception {
        common.validate();
        mixin(JsonOption.class).ifPresent(JsonOption::checkWritable);
        mixin(RetryOptions.class).ifPresent(RetryOptions::validate);
        LoggingSetup.apply(common);
        try {
            return run();
        } catch (RequestRefusedException e) {
            throw new UserException(refusal(e));
        }
    }

    /** Does the command's work and returns its exit code ({@link ExitCodes}). */
    abstract int run() throws Exception;

    /** How the command names the folder its results go to, in a refusal: {@code DEST} unless it says otherwise. */
    String outputName() {
        return "DEST";
    }

    /** A refusal of the library in the command line's words: the flags and arguments the user typed. */
    String refusal(RequestRefusedException e) {
        String out = outputName() + " " + e.path();
        return switch (e.rule()) {
            case OUTPUT_FOLDER_MISSING -> "--action " + e.detail() + " needs --to DIR, the folder the duplicates go to";
            case OUTPUT_HOLDS_SOURCE -> out + " holds the scanned folder " + e.other()
                    + ": refused, choose a folder outside what is scanned (nothing was changed)";
            case OUTPUT_HOLDS_REFERENCE -> out + " holds the reference folder " + e.other()
                    + ": refused, reference folders are never changed";
            case OUTPUT_INSIDE_REFERENCE -> out + " is inside the reference folder " + e.other()
                    + ": refused, reference folders are never changed";
            case DEST_INSIDE_SOURCE -> out + " is inside SOURCE " + e.other() + ": refused (" + e.detail() + ")";
            case SOURCE_INSIDE_DEST -> "SOURCE " + e.other() + " is inside " + out + ": refused (" + e.detail() + ")";
            case SOURCE_NOT_A_FOLDER -> "source " + e.path() + " is not a folder"
                    + (e.detail() == null ? "" : " (" + e.detail() + ")");
            case FOLDER_UNUSABLE -> "cannot use " + e.path() + ": " + e.detail();
            case OUTPUT_NOT_A_FOLDER -> "cannot use " + out + ": " + e.other() + " is not a folder";
            case OUTPUT_READ_ONLY -> "cannot write to " + out + " (" + e.other() + " is read-only); nothing was changed";
        };
    }

    /** The mixin of this type, when the command has one. */
    final <T> java.util.Optional<T> mixin(Class<T> type) {
        return spec.mixins().values().stream().map(m -> m.userObject()).filter(type::isInstance).map(type::cast)
                .findFirst();
    }

    /** The library, with the retries the command was given ({@code --retries}, {@code --retry-delay}). */
    final CleanBackup cleanBackup() {
        if (cleanBackup == null) {
            CleanBackup.Builder builder = CleanBackup.builder();
            cleanBackup = mixin(RetryOptions.class).map(r -> builder.retryPolicy(r.policy())).orElse(builder).build();
        }
        return cleanBackup;
    }

    /** Built once the options are parsed and checked (the retries come from them). */
    private CleanBackup cleanBackup;

    /**
     * Opens the journal (creating it when asked) through the library, which settles first whatever a crashed
     * earlier run left half done; each settled change is a note on stderr (in the log only, with {@code --quiet}).
     */
    final Journal openJournal(CleanBackup.IfMissing ifMissing) {
        return cleanBackup().openJournal(common.journalFile(), ifMissing, note -> {
            if (!common.quiet) {
                err().println("note: " + note);
            }
        });
    }

    /** The command as typed, for the journal. */
    final String commandLine() {
        return "cleanbackup " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    final PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
