package org.cleanbackup.cli;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import org.cleanbackup.cli.review.Review;
import org.cleanbackup.cli.review.ReviewServer;

/**
 * Runs a {@link Review} for a command: writes the {@code --html} page, or serves the page, opens it in the user's
 * browser and waits until the page's Finish (or Ctrl-C, which stops a running Apply between files first; the JVM then
 * exits with 130). Closing the page changes nothing: the command keeps serving until Finish or Ctrl-C.
 */
final class ReviewLauncher {

    private ReviewLauncher() {
    }

    static int run(Review review, ReviewOptions options, boolean quiet, PrintWriter out, PrintWriter err)
            throws IOException {
        if (options.html != null) {
            review.writeHtml(options.html);
            if (!quiet) {
                out.println("Wrote " + options.html + " (" + review.size() + " group(s); read-only, nothing changed).");
            }
            if (!options.review) {
                return ExitCodes.OK;
            }
        }
        ReviewServer server = review.serve();
        Thread hook = new Thread(() -> {
            try {
                review.stop(30_000); // a running Apply finishes its file or rolls it back, and is journaled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
        }, "review-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        URI url = server.url();
        String opened = options.noBrowser ? null : open(url);
        out.println((opened == null ? "Review the plan at " : "Opened the review in " + opened + ": ") + url);
        out.println("Nothing changes until you press Apply on the page. Finish on the page (or Ctrl-C) ends the review.");
        out.flush();
        try {
            server.awaitFinished();
            review.stop(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the server itself
            }
        }
        return ExitCodes.OK;
    }

    /** Opens {@code url} in the user's browser; returns how, or null when none could be opened. */
    private static String open(URI url) {
        try {
            if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
                    && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(url);
                return "your browser";
            }
        } catch (IOException | RuntimeException e) {
            // no desktop integration: try xdg-open below
        }
        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            return null; // no graphical session: xdg-open would start a text browser in this terminal
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File xdgOpen = new File(dir, "xdg-open");
            if (xdgOpen.canExecute()) {
                try {
                    new ProcessBuilder(xdgOpen.getPath(), url.toString()).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    return "your browser (xdg-open)";
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
