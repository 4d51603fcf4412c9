package org.cleanbackup.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cleanbackup.report.ProgressListener;

/**
 * Progress bars on the terminal (stderr), one per phase; nothing at all when stderr is not a terminal or the user
 * asked for quiet, so logs and pipes stay clean.
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream stream;
    private ProgressBar bar;

    private ConsoleProgress(PrintStream stream) {
        this.stream = stream;
    }

    /** A progress display when one makes sense, else {@link ProgressListener#NONE}. */
    static ProgressListener forTerminal(boolean quiet) {
        java.io.Console console = System.console();
        if (quiet || console == null || !console.isTerminal()) {
            return ProgressListener.NONE;
        }
        return new ConsoleProgress(System.err);
    }

    @Override
    public synchronized void phase(String name, long total, String unit) {
        phaseDone();
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setUpdateIntervalMillis(200)
                .setStyle(System.getenv("NO_COLOR") != null ? ProgressBarStyle.ASCII : ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(stream))
                .clearDisplayOnFinish();
        if ("bytes".equals(unit)) {
            builder.setUnit(" MiB", 1 << 20);
        }
        bar = builder.build();
    }

    @Override
    public void advance(long amount) {
        ProgressBar current = bar;
        if (current != null) {
            current.stepBy(amount);
        }
    }

    @Override
    public synchronized void phaseDone() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
