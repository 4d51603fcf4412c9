package org.cleanbackup.internal.hash;

/** SHA-256, for users who want a cryptographic hash. */
public final class Sha256Hasher extends MessageDigestHasher {

    /** Used by ServiceLoader. */
    public Sha256Hasher() {
        super("SHA-256");
    }

    @Override
    public String name() {
        return "sha256";
    }
}
