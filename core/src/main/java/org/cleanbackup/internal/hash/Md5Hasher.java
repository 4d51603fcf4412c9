package org.cleanbackup.internal.hash;

/** MD5, for comparing with lists made by other tools. */
public final class Md5Hasher extends MessageDigestHasher {

    /** Used by ServiceLoader. */
    public Md5Hasher() {
        super("MD5");
    }

    @Override
    public String name() {
        return "md5";
    }
}
