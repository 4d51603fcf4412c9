package org.cleanbackup.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cleanbackup.model.FileId;
import org.cleanbackup.model.MediaFile;

/**
 * Remembers hashes between runs, in SQLite, so a second run over an unchanged tree hashes nothing.
 *
 * <p>Keyed by device and inode, so a file that was moved or renamed is not hashed again, and by the algorithm
 * (with its version and backend: {@code "phash-v1/native"}), so a changed definition never serves stale values.
 * An entry is used only while the file's size and modification time are what they were; a changed file is always
 * hashed again. Beside a hash, under the same key and an algorithm of their own, other facts read from the file
 * can be kept the same way (similar dedupe keeps what its keep rule and report need, {@code keep-facts-v1}), and
 * {@link #lookupAll(List, List)} fetches both in one query. Entries are written in small transactions as a run
 * goes, so a run killed halfway keeps what it computed. Safe for use from several threads, and by several processes (SQLite WAL with a busy timeout).
 */
public final class HashCache implements AutoCloseable {

    private static final int BATCH = 256;
    private static final long BATCH_MILLIS = 1000;

    private final Path file;
    private final Connection db;
    private final List<Object[]> pending = new ArrayList<>();
    private long lastFlush = System.currentTimeMillis();

    private HashCache(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating) the cache database. */
    public static HashCache open(Path file) {
        try {
            // A lost cache entry costs one re-hash; not worth an fsync per batch.
            return new HashCache(file, CacheDatabase.open(file, "PRAGMA synchronous = NORMAL", """
                    CREATE TABLE IF NOT EXISTS hashes (
                      device INTEGER NOT NULL,
                      inode INTEGER NOT NULL,
                      algorithm TEXT NOT NULL,
                      size INTEGER NOT NULL,
                      mtime INTEGER NOT NULL,
                      value TEXT NOT NULL,
                      path TEXT NOT NULL,
                      PRIMARY KEY (device, inode, algorithm)) WITHOUT ROWID"""));
        } catch (IOException | SQLException e) {
            throw new CacheException("cannot open the hash cache " + file + ": " + e.getMessage()
                    + " (use --no-cache, or 'cleanbackup cache clear')", e);
        }
    }

    /** Where the cache lives. */
    public Path file() {
        return file;
    }

    /** The cached value for this file and algorithm, if the file is unchanged since it was stored. */
    public synchronized Optional<String> lookup(MediaFile f, String algorithm) {
        return Optional.ofNullable(lookupAll(List.of(f), algorithm).get(f));
    }

    /** Looks up many files at once under one algorithm (see {@link #lookupAll(List, List)}). */
    public synchronized Map<MediaFile, String> lookupAll(List<MediaFile> files, String algorithm) {
        return lookupAll(files, List.of(algorithm)).get(algorithm);
    }

    /**
     * Looks up many files under several algorithms at once (a hash and what was kept beside it), one query per file
     * in one read transaction with one prepared statement: a second run over 8,000 files takes a few tens of
     * milliseconds here. Files without a device and inode are never found.
     *
     * @return for each algorithm, in the order given, the files found under it and their values
     */
    public synchronized Map<String, Map<MediaFile, String>> lookupAll(List<MediaFile> files, List<String> algorithms) {
        Map<String, Map<MediaFile, String>> found = new LinkedHashMap<>();
        for (String algorithm : algorithms) {
            found.put(algorithm, new LinkedHashMap<>());
        }
        String sql = "SELECT algorithm, value FROM hashes WHERE device = ? AND inode = ? AND size = ? AND mtime = ?"
                + " AND algorithm IN (" + String.join(", ", java.util.Collections.nCopies(algorithms.size(), "?")) + ")";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int a = 0; a < algorithms.size(); a++) {
                ps.setString(5 + a, algorithms.get(a));
            }
            db.setAutoCommit(false);
            try {
                for (MediaFile f : files) {
                    FileId id = f.id();
                    if (id == null) {
                        continue;
                    }
                    ps.setLong(1, id.device());
                    ps.setLong(2, id.inode());
                    ps.setLong(3, f.size());
                    ps.setLong(4, f.lastModified());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.get(rs.getString(1)).put(f, rs.getString(2));
                        }
                    }
                }
            } finally {
                db.commit();
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new CacheException("the hash cache " + file + " failed: " + e.getMessage(), e);
        }
        return found;
    }

    /** Remembers a value; written within about a second, or at {@link #flush()} / {@link #close()}. */
    public synchronized void store(MediaFile f, String algorithm, String value) {
        if (f.id() == null) {
            return;
        }
        pending.add(new Object[] {f.id().device(), f.id().inode(), algorithm, f.size(), f.lastModified(), value,
                f.path().toString()});
        if (pending.size() >= BATCH || System.currentTimeMillis() - lastFlush > BATCH_MILLIS) {
            flush();
        }
    }

    /** Writes what is pending. */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            db.setAutoCommit(false);
            try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO hashes(device, inode, algorithm,"
                    + " size, mtime, value, path) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (Object[] row : pending) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            db.commit();
            db.setAutoCommit(true);
            pending.clear();
            lastFlush = System.currentTimeMillis();
        } catch (SQLException e) {
            throw new CacheException("cannot write the hash cache " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the cache holds.
     *
     * @param entries      entries per algorithm
     * @param fileBytes    the database's size on disk
     */
    public record Stats(Map<String, Long> entries, long fileBytes) {
    }

    /** Counts entries. */
    public synchronized Stats stats() {
        flush();
        Map<String, Long> entries = new LinkedHashMap<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT algorithm, COUNT(*) FROM hashes GROUP BY algorithm ORDER BY 1")) {
            while (rs.next()) {
                entries.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new CacheException("the hash cache " + file + " failed: " + e.getMessage(), e);
        }
        long bytes = 0;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                bytes += Files.size(file.resolveSibling(file.getFileName() + suffix));
            } catch (IOException ignored) {
                // the WAL may not exist
            }
        }
        return new Stats(entries, bytes);
    }

    /** Removes entries whose file is gone or changed; returns how many. */
    public synchronized int prune() {
        flush();
        List<Object[]> stale = new ArrayList<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT device, inode, algorithm, size, mtime, path FROM hashes")) {
            while (rs.next()) {
                Path path = Path.of(rs.getString(6));
                boolean valid;
                try {
                    BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    FileId id = FileId.fromFileKey(a.fileKey());
                    valid = a.size() == rs.getLong(4) && a.lastModifiedTime().toMillis() == rs.getLong(5)
                            && id != null && id.device() == rs.getLong(1) && id.inode() == rs.getLong(2);
                } catch (IOException e) {
                    valid = false;
                }
                if (!valid) {
                    stale.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            throw new CacheException("the hash cache " + file + " failed: " + e.getMessage(), e);
        }
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM hashes WHERE device = ? AND inode = ? AND algorithm = ?")) {
            db.setAutoCommit(false);
            for (Object[] key : stale) {
                ps.setObject(1, key[0]);
                ps.setObject(2, key[1]);
                ps.setObject(3, key[2]);
                ps.addBatch();
            }
            ps.executeBatch();
            db.commit();
            db.setAutoCommit(true);
        } catch (SQLException e) {
            throw new CacheException("the hash cache " + file + " failed: " + e.getMessage(), e);
        }
        return stale.size();
    }

    /** Removes every entry. */
    public synchronized void clear() {
        pending.clear();
        try (Statement st = db.createStatement()) {
            st.execute("DELETE FROM hashes");
            st.execute("VACUUM");
        } catch (SQLException e) {
            throw new CacheException("the hash cache " + file + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            flush();
        } finally {
            try {
                db.close();
            } catch (SQLException e) {
                throw new CacheException("cannot close the hash cache " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The cache cannot be used; the message says what to do. */
    public static final class CacheException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CacheException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
