package org.cleanbackup.scan;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The identity of a file on disk: its device and inode. Two paths with the same id are hard links to one file.
 *
 * @param device the device number
 * @param inode  the inode number
 */
public record FileId(long device, long inode) {

    private static final Pattern UNIX_KEY = Pattern.compile("\\(dev=(\\p{XDigit}+),ino=(\\d+)\\)");

    /**
     * Reads the id from {@link java.nio.file.attribute.BasicFileAttributes#fileKey()}. The walk already paid for
     * that stat; asking for {@code unix:dev} and {@code unix:ino} would cost a second one per file.
     *
     * @return the id, or {@code null} when the platform gives no key of the known form
     */
    public static FileId fromFileKey(Object fileKey) {
        if (fileKey == null) {
            return null;
        }
        Matcher m = UNIX_KEY.matcher(fileKey.toString());
        if (!m.matches()) {
            return null;
        }
        return new FileId(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2)));
    }
}
