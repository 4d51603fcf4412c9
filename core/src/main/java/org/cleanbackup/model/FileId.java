package org.cleanbackup.model;

/**
 * The identity of a file on disk: its device and inode. Two paths with the same id are hard links to one file.
 *
 * @param device the device number
 * @param inode  the inode number
 */
public record FileId(long device, long inode) {

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
        if (fileKey instanceof FileId id) { // attributes read by this library's own listing
            return id;
        }
        // The form is "(dev=<hex>,ino=<decimal>)". Parsed by hand: this runs once per scanned file, and a regex
        // here cost more JIT time than the whole scan saves by reusing the walk's stat.
        String key = fileKey.toString();
        int comma = key.indexOf(",ino=");
        if (!key.startsWith("(dev=") || comma < 0 || !key.endsWith(")")) {
            return null;
        }
        try {
            return new FileId(Long.parseUnsignedLong(key, 5, comma, 16),
                    Long.parseUnsignedLong(key, comma + 5, key.length() - 1, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // Written out rather than the record's generated ones, which go through method handles: these run for every
    // file of a same-size group, often before the JIT has compiled anything.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileId other && device == other.device && inode == other.inode;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(device * 31 + inode);
    }
}
