package org.cleanbackup.cli;

import picocli.CommandLine.Command;

/**
 * {@code cleanbackup review}: {@code dedupe --review} under its own name. Takes every option of {@code dedupe}
 * (every mode, {@code --reference}, {@code --keep}, {@code --action}, {@code --to}, ...), plans exactly as it would,
 * and shows the plan on a local page where the person decides, applies and undoes. An organize plan is reviewed with
 * {@code organize --review}.
 */
@Command(name = "review", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Finds duplicates exactly as 'dedupe' does (same options), changes nothing, and opens the plan"
                + " in a local web page: pictures side by side with their facts, choose the copy that stays, leave"
                + " groups out, mark 'not duplicates' (remembered), pick the action, Apply (journaled), Undo."
                + " The page is served on 127.0.0.1 with a random token; see docs/review.md."},
        footer = {"", "Examples:",
                "  cleanbackup review --mode similar ~/Pictures",
                "  cleanbackup review --reference ~/Pictures/library --action move --to ~/dupes ~/Pictures/inbox",
                "  cleanbackup review --no-browser ~/Pictures            # print the address only",
                "  cleanbackup review --html plan.html ~/Pictures        # one read-only page, no server",
                "  cleanbackup organize --review ~/Phone-dump ~/Pictures/Library"})
final class ReviewCommand extends DedupeCommand {

    @Override
    boolean reviewing() {
        return true;
    }
}
