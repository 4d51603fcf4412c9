package org.cleanbackup.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Internal: not part of the API. When this JVM may hand paths to the C library through the Foreign Function &amp;
 * Memory API, and how: shared by the file reads ({@link LibcFiles}) and the scan's folder listing.
 *
 * <p>The kernel takes a path as bytes, and a Java {@link Path} gives its text: a path is only handed over when that
 * text turns back into exactly its bytes (the JVM's {@code sun.jnu.encoding} UTF-8, and no U+FFFD that stood for a
 * byte that is not UTF-8). Callers use Java's own calls for every other path.
 */
public final class LibcPaths {

    /** Longest path the kernel takes, with its NUL ({@code PATH_MAX}). */
    public static final int PATH_MAX = 4096;

    private LibcPaths() {
    }

    /**
     * Whether the C library's file calls may be used: Linux, native access enabled for this code (otherwise the JVM
     * would warn), UTF-8 file names, and the system property {@code cleanbackup.io} not set to {@code java}.
     */
    public static boolean enabled() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                && "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))
                && !"java".equals(System.getProperty("cleanbackup.io"))
                && LibcPaths.class.getModule().isNativeAccessEnabled();
    }

    /**
     * Writes {@code path} into {@code buffer} (at least {@link #PATH_MAX} bytes) as a C string.
     *
     * @return false, writing nothing, when the path's text is not exactly its bytes or is too long for the kernel
     */
    public static boolean write(Path path, MemorySegment buffer) {
        String text = path.toString();
        if (text.indexOf('\uFFFD') >= 0) {
            return false;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= PATH_MAX) {
            return false;
        }
        MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
        buffer.set(JAVA_BYTE, bytes.length, (byte) 0);
        return true;
    }
}
