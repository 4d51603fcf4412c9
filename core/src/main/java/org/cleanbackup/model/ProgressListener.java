package org.cleanbackup.model;

/**
 * Hears how far a long phase has come, so a front end can draw a progress bar. Called from worker threads:
 * implementations must be thread-safe and cheap.
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void phase(String name, long total, String unit) {
        }

        @Override
        public void advance(long amount) {
        }
    };

    /**
     * A new phase starts.
     *
     * @param name  what is being done, for example "Hashing"
     * @param total the amount of work, or -1 when unknown
     * @param unit  what the amounts count: "files" or "bytes"
     */
    void phase(String name, long total, String unit);

    /** {@code amount} more units of the current phase are done. */
    void advance(long amount);

    /** The current phase is over. */
    default void phaseDone() {
    }
}
