package org.cleanbackup.phash;

/**
 * What {@link PerceptualHashers#backends()} knows about one backend, for a {@code backends} listing.
 *
 * @param name           the backend's {@link PerceptualHasher#name()}
 * @param implementation the implementing class
 * @param available      whether it can run here at all (native library loaded, Vector API module present, ...)
 * @param selfTestPassed whether it gave the known answers (false when not available)
 * @param reason         why it cannot be used, one line; empty when it can
 * @param active         whether {@link PerceptualHashers#fastest()} picks it
 * @since 0.1
 */
public record BackendStatus(String name, String implementation, boolean available, boolean selfTestPassed,
                            String reason, boolean active) {

    /** Whether the backend is available and passed its self-test. */
    public boolean usable() {
        return available && selfTestPassed;
    }
}
