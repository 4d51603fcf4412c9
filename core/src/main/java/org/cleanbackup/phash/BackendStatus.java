package org.cleanbackup.phash;

import java.util.List;

/**
 * What {@link PerceptualHashers#backends()} knows about one backend, for a {@code backends} listing.
 *
 * @param name           the backend's name, its {@link DctKernel#name() kernel's}
 * @param implementation the kernel's class
 * @param available      whether it can run here at all (native library loaded, Vector API module present, ...)
 * @param selfTestPassed whether it gave the known answers (false when not available)
 * @param reason         why it cannot be used, one line; empty when it can
 * @param active         whether {@link PerceptualHashers#fastest()} picks it
 * @param decoders       the names of the {@link LumaDecoder}s it asks, in order; empty when it is not usable
 * @since 0.1
 */
public record BackendStatus(String name, String implementation, boolean available, boolean selfTestPassed,
                            String reason, boolean active, List<String> decoders) {

    public BackendStatus {
        decoders = List.copyOf(decoders);
    }

    /** Whether the backend is available and passed its self-test. */
    public boolean usable() {
        return available && selfTestPassed;
    }
}
