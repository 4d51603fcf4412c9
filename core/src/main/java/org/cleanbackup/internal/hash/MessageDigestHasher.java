package org.cleanbackup.internal.hash;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.cleanbackup.hash.ContentHasher;

/** Base for the JDK's MessageDigest algorithms. */
abstract class MessageDigestHasher implements ContentHasher {

    private final String jdkName;

    MessageDigestHasher(String jdkName) {
        this.jdkName = jdkName;
    }

    @Override
    public Digest newDigest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK must provide " + jdkName, e);
        }
        return new Digest() {
            @Override
            public void update(byte[] bytes, int offset, int length) {
                md.update(bytes, offset, length);
            }

            @Override
            public void update(ByteBuffer data) {
                md.update(data);
            }

            @Override
            public byte[] finish() {
                return md.digest();
            }
        };
    }
}
