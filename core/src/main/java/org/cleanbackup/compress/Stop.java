package org.cleanbackup.compress;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Why no further file is started: the caller asked to stop, or the disk filled up; shared by the workers. */
final class Stop {

    /** The reason given for an interrupted run (the executor's words). */
    static final String INTERRUPTED = "the run was interrupted";

    private final BooleanSupplier requested;
    private final AtomicReference<String> reason = new AtomicReference<>();
    private volatile boolean interrupted;

    Stop(BooleanSupplier requested) {
        this.requested = requested;
    }

    /** Why to start nothing more, or null to go on; asks the caller's supplier first. */
    String check() {
        if (reason.get() == null && requested.getAsBoolean()) {
            interrupted = true;
            reason.compareAndSet(null, INTERRUPTED);
        }
        return reason.get();
    }

    /** Stops the run for {@code why}, unless it was stopped already. */
    void stop(String why) {
        reason.compareAndSet(null, why);
    }

    /** The reason the run stopped, or null. */
    String reason() {
        return reason.get();
    }

    /** True when the caller asked to stop (as opposed to a full disk). */
    boolean interrupted() {
        return interrupted;
    }
}
