package org.cleanbackup.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.cleanbackup.hash.ContentHash;

/**
 * Pairs of contents the user said are not duplicates (in a review), so a later scan never offers them again.
 *
 * <p>Kept in the hash cache's database file, in a table of its own ({@code not_duplicates}), keyed by the two
 * content hashes (algorithm and value: a pair remembered under xxh3 is not known to an md5 run), stored in sorted
 * order so that the pair is the same whichever file came first. Keyed by content, not by path: a renamed or moved
 * copy is still recognised, and an edited one is a new content that may be offered again. {@code cache clear}
 * empties only the hashes, never these decisions. Two identical files (an exact group) are the pair of one hash with
 * itself: "these copies are meant to be there".
 */
public final class NotDuplicates implements AutoCloseable {

    private final Path file;
    private final Connection db;

    private NotDuplicates(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating) the table in the cache database {@code file}. */
    public static NotDuplicates open(Path file) {
        try {
            return new NotDuplicates(file, CacheDatabase.open(file, """
                    CREATE TABLE IF NOT EXISTS not_duplicates (
                      first TEXT NOT NULL,
                      second TEXT NOT NULL,
                      decided INTEGER NOT NULL,
                      PRIMARY KEY (first, second)) WITHOUT ROWID"""));
        } catch (IOException | SQLException e) {
            throw new HashCache.CacheException("cannot open the cache " + file + " for the pairs marked not duplicates: "
                    + e.getMessage(), e);
        }
    }

    /** Remembers that {@code a} and {@code b} are not duplicates (durable when this returns; again is harmless). */
    public synchronized void remember(ContentHash a, ContentHash b) {
        String[] key = key(a, b);
        try (PreparedStatement st = db.prepareStatement(
                "INSERT OR IGNORE INTO not_duplicates (first, second, decided) VALUES (?, ?, ?)")) {
            st.setString(1, key[0]);
            st.setString(2, key[1]);
            st.setLong(3, System.currentTimeMillis());
            st.executeUpdate();
        } catch (SQLException e) {
            throw new HashCache.CacheException("the cache " + file + " failed: " + e.getMessage(), e);
        }
    }

    /** Every remembered pair, for one filter pass over a run's groups (a few hundred entries at most in practice). */
    public synchronized Pairs pairs() {
        Set<String> all = new HashSet<>();
        try (Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT first, second FROM not_duplicates")) {
            while (rs.next()) {
                all.add(rs.getString(1) + "\n" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new HashCache.CacheException("the cache " + file + " failed: " + e.getMessage(), e);
        }
        return new Pairs(Set.copyOf(all));
    }

    /**
     * A snapshot of the remembered pairs.
     *
     * @param keys each pair as its two sorted keys joined by a newline
     */
    public record Pairs(Set<String> keys) {

        public Pairs {
            keys = Set.copyOf(keys);
        }

        /** Whether {@code a} and {@code b} were marked not duplicates, in either order. */
        public boolean contains(ContentHash a, ContentHash b) {
            String[] key = key(a, b);
            return keys.contains(key[0] + "\n" + key[1]);
        }

        /** Whether no pair is remembered. */
        public boolean isEmpty() {
            return keys.isEmpty();
        }
    }

    private static String[] key(ContentHash a, ContentHash b) {
        String x = Objects.requireNonNull(a, "a").algorithm() + ":" + a.hex();
        String y = Objects.requireNonNull(b, "b").algorithm() + ":" + b.hex();
        return x.compareTo(y) <= 0 ? new String[] {x, y} : new String[] {y, x};
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new HashCache.CacheException("cannot close the cache " + file + ": " + e.getMessage(), e);
        }
    }
}
