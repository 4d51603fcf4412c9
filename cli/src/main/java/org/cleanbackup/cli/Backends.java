package org.cleanbackup.cli;

import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.PerceptualHashers;

/** Picks the perceptual-hash backend for a command: the one named by --backend, else the fastest working one. */
final class Backends {

    private Backends() {
    }

    static PerceptualHasher choose(String name) {
        if (name == null) {
            return PerceptualHashers.fastest();
        }
        try {
            return PerceptualHashers.get(name);
        } catch (IllegalStateException e) {
            throw new UserException("the " + name + " backend cannot be used: " + e.getMessage());
        }
    }
}
