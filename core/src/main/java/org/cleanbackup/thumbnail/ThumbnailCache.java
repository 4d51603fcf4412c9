package org.cleanbackup.thumbnail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;
import org.cleanbackup.internal.TemporaryFiles;
import org.cleanbackup.model.FileId;

/**
 * Thumbnails kept on disk between runs, one small file each, so a second review of the same tree decodes nothing.
 *
 * <p>Keyed as {@code cache.HashCache} keys a hash: by the file's device and inode (a moved or renamed photo keeps
 * its thumbnail), used only while its size and modification time (milliseconds) are what they were, and by a
 * version ({@link #VERSION}, in the folder's name) that changes whenever the way thumbnails are made changes. The
 * entry for one inode and one {@code maxSide} lives at one name, so a changed file replaces its old thumbnail
 * instead of piling up beside it:
 * {@code <folder>/thumbnails-v1/<inode % 256, 2 hex>/<device hex>-<inode>-<maxSide>.jpg}, holding a 24-byte header
 * ({@link #MAGIC}, size, modification time) and the JPEG.
 *
 * <p>Why files and not a table in the hash cache's SQLite: thumbnails are tens of kilobytes each, read whole by a
 * web server, and written from many threads at once; files need no lock and a lost one costs one decode. Each is
 * written under a temporary name ({@link TemporaryFiles#newName()}) and moved into place atomically, so a reader
 * (another process too) sees a whole entry or none. A file with no device and inode is never cached. Any failure
 * to read or write is a miss, never an error: the cache only saves time.
 */
final class ThumbnailCache {

    static final int VERSION = 1;
    private static final byte[] MAGIC = {'C', 'B', 'T', 'H', 'U', 'M', 'B', '1'};
    private static final int HEADER = MAGIC.length + 16;
    /** Far above any thumbnail of at most 4096 pixels a side; a larger file is not ours. */
    private static final long MAX_ENTRY = 32L << 20;

    private final Path folder;

    ThumbnailCache(Path cacheFolder) {
        this.folder = cacheFolder.resolve("thumbnails-v" + VERSION);
    }

    /** The key of {@code file} as it is now, or empty when it has no device and inode. */
    static Optional<Key> key(BasicFileAttributes attributes, int maxSide) {
        FileId id = FileId.fromFileKey(attributes.fileKey());
        return id == null ? Optional.empty()
                : Optional.of(new Key(id, attributes.size(), attributes.lastModifiedTime().toMillis(), maxSide));
    }

    /** A file's identity and state, and the thumbnail size asked for. */
    record Key(FileId id, long size, long lastModified, int maxSide) {
    }

    Path entry(Key key) {
        return folder.resolve(String.format("%02x", key.id().inode() & 0xFF))
                .resolve(Long.toHexString(key.id().device()) + "-" + Long.toUnsignedString(key.id().inode()) + "-"
                        + key.maxSide() + ".jpg");
    }

    Optional<byte[]> get(Key key) {
        Path entry = entry(key);
        try (InputStream in = Files.newInputStream(entry)) {
            byte[] header = in.readNBytes(HEADER);
            if (header.length < HEADER || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return Optional.empty();
            }
            ByteBuffer b = ByteBuffer.wrap(header, MAGIC.length, 16);
            if (b.getLong() != key.size() || b.getLong() != key.lastModified()) {
                return Optional.empty(); // the file changed since: the next put replaces this entry
            }
            byte[] jpeg = in.readNBytes((int) MAX_ENTRY);
            return jpeg.length >= 4 && (jpeg[0] & 0xFF) == 0xFF && (jpeg[1] & 0xFF) == 0xD8 ? Optional.of(jpeg)
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Stores {@code jpeg} under {@code key}; true when it was written. */
    boolean put(Key key, byte[] jpeg) {
        Path entry = entry(key);
        Path temp = null;
        try {
            Files.createDirectories(entry.getParent());
            temp = entry.resolveSibling(TemporaryFiles.newName());
            ByteBuffer header = ByteBuffer.allocate(HEADER).put(MAGIC).putLong(key.size()).putLong(key.lastModified());
            try (var out = Files.newOutputStream(temp, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                out.write(header.array());
                out.write(jpeg);
            }
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a stray temporary file in the cache costs a few kilobytes and is never read as an entry
                }
            }
        }
    }

    @Override
    public String toString() {
        return folder.toString();
    }
}
