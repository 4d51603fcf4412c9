package org.cleanbackup.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --review}, {@code --no-browser} and {@code --html}: look at the plan before anything changes. */
final class ReviewOptions {

    @Option(names = "--review", description = "Plan, change nothing, and open the plan in a local web page"
            + " (127.0.0.1): pictures side by side, choose what stays, leave groups out, mark 'not duplicates',"
            + " then Apply (journaled) and Undo there. See docs/review.md.")
    boolean review;

    @Option(names = "--no-browser", description = "With --review: only print the page's address (with its token).")
    boolean noBrowser;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the plan as one self-contained, read-only"
            + " web page (thumbnails embedded, nothing loaded from anywhere) and change nothing.")
    Path html;

    /** Whether the command only plans and shows its plan. */
    boolean wanted() {
        return review || html != null;
    }
}
