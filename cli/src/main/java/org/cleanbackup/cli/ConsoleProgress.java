package org.cleanbackup.cli;

import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cleanbackup.model.ProgressListener;

/**
 * Progress bars on the terminal (stderr), one per phase; nothing at all when the output is not a terminal or the user
 * asked for quiet, so logs and pipes stay clean. Plain ASCII bars, without colour, when {@code NO_COLOR} is set
 * (https://no-color.org), as picocli's help does.
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintStream stream;
    private ProgressBar bar;

    private ConsoleProgress(PrintStream stream) {
        this.stream = stream;
    }

    /** A progress display when one makes sense, else {@link ProgressListener#NONE}. */
    static ProgressListener forTerminal(boolean quiet) {
        if (quiet || !interactive()) {
            return ProgressListener.NONE;
        }
        return new ConsoleProgress(System.err);
    }

    /**
     * Whether stdin, stdout and stderr are all a terminal. {@link java.io.Console#isTerminal()} looks at stdin and
     * stdout only, and the bars go to stderr: {@code cleanbackup dedupe ... 2>log} must not fill the log with bars.
     */
    static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null || !console.isTerminal() || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle isatty = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(2) == 1;
        } catch (Throwable e) { // no libc isatty (not POSIX) or no native access: trust the console
            return true;
        }
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
