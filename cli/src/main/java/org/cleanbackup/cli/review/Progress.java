package org.cleanbackup.cli.review;

import java.util.concurrent.atomic.AtomicLong;
import org.cleanbackup.model.ProgressListener;

/** Where Apply or Undo is, for the page's progress bar: the phase and its counts, read while the executor writes. */
final class Progress implements ProgressListener {

    private volatile String phase = "";
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();

    @Override
    public void phase(String name, long total, String unit) {
        this.phase = name;
        this.total.set(total);
        this.done.set(0);
    }

    @Override
    public void advance(long amount) {
        done.addAndGet(amount);
    }

    String phase() {
        return phase;
    }

    long done() {
        return done.get();
    }

    long total() {
        return total.get();
    }
}
