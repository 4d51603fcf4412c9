package org.cleanbackup.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.plan.Action;

/**
 * The journal in a SQLite database (WAL, synchronous=FULL, so a recorded intent survives a crash or a power cut).
 *
 * <p>One process at a time: opening takes an exclusive lock on {@code <db>.lock}, waiting up to the given time
 * for another run to finish before it says which process holds it. The schema version is kept in
 * {@code PRAGMA user_version}; a journal from a newer version is refused, never rewritten.
 */
public final class SqliteJournal implements Journal {

    /** The schema this code reads and writes: 2 added each action's temporary file (a copy before it is placed). */
    static final int SCHEMA_VERSION = 2;

    private final Path file;
    private final Connection db;
    /**
     * Outcome marks (done, failed, undone) not yet written. They ride along with the next write, so a run makes
     * one commit (one fsync) per action instead of two. This is safe: the contract needs only the intent to be
     * durable before the disk changes; an action whose outcome mark was lost in a crash is still at INTENT, and
     * recovery settles it from the disk.
     */
    private final java.util.List<Object[]> pendingOutcomes = new java.util.ArrayList<>();
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** Stamps the rows (a session's start and end, each action's intent and outcome): real time but for tests. */
    private final Clock clock;

    private SqliteJournal(Path file, Connection db, FileChannel lockChannel, FileLock lock, Clock clock) {
        this.clock = clock;
        this.file = file;
        this.db = db;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens the journal at {@code file}, creating it (and its folder) when {@code create} is true.
     *
     * @param waitMillis how long to wait for another run that holds the journal
     * @throws JournalException with a one-line reason when the journal cannot be used; nothing has been changed
     */
    public static SqliteJournal open(Path file, boolean create, long waitMillis) {
        return open(file, create, waitMillis, Clock.systemUTC());
    }

    /** Like {@link #open(Path, boolean, long)}, stamping the rows with {@code clock}'s time. */
    public static SqliteJournal open(Path file, boolean create, long waitMillis, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (!Files.exists(file)) {
            if (!create) {
                throw new JournalException("no journal at " + file + ": nothing has been recorded there yet");
            }
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new JournalException("cannot create the journal folder for " + file + ": " + e.getMessage(), e);
            }
        } else if (!Files.isWritable(file)) {
            throw new JournalException("the journal " + file + " is read-only: make it writable or pass --journal");
        }
        FileChannel channel = null;
        FileLock lock;
        try {
            Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            lock = acquire(channel, lockFile, waitMillis);
            channel.truncate(0).write(java.nio.ByteBuffer.wrap(
                    Long.toString(ProcessHandle.current().pid()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            closeQuietly(channel);
            throw new JournalException("cannot lock the journal " + file + ": " + e.getMessage(), e);
        } catch (JournalException e) {
            closeQuietly(channel);
            throw e;
        }
        Connection db = null;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
                int version = userVersion(st);
                if (version > SCHEMA_VERSION) {
                    throw new JournalException("the journal " + file + " was written by a newer Clean-Backup (schema "
                            + version + ", this one reads " + SCHEMA_VERSION + "): upgrade Clean-Backup");
                }
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = FULL");
                st.execute("PRAGMA foreign_keys = ON");
                if (version == 0) {
                    createSchema(st);
                } else if (version < SCHEMA_VERSION) {
                    migrate(st, version);
                }
            }
            return new SqliteJournal(file, db, channel, lock, clock);
        } catch (SQLException e) {
            // Whatever failed after the connection was made (a damaged file, a newer schema), the connection and
            // the lock go with it: a caller that goes on (a test, a library user) must not hold the file open.
            closeQuietly(db);
            releaseQuietly(lock);
            closeQuietly(channel);
            throw new JournalException(describe(file, e), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            releaseQuietly(lock);
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock acquire(FileChannel channel, Path lockFile, long waitMillis) throws IOException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM (another journal object): same answer as another process
            }
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                String holder = "";
                try {
                    holder = Files.readString(lockFile).trim();
                } catch (IOException ignored) {
                    // the message below is still true without the pid
                }
                throw new JournalException("another cleanbackup run" + (holder.isEmpty() ? "" : " (process " + holder + ")")
                        + " is using the journal " + lockFile.resolveSibling(lockFile.getFileName().toString()
                        .replaceFirst("\\.lock$", "")) + "; wait for it to finish");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalException("interrupted while waiting for the journal", e);
            }
        }
    }

    private static int userVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void createSchema(Statement st) throws SQLException {
        st.execute("""
                CREATE TABLE IF NOT EXISTS sessions (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  started_at INTEGER NOT NULL,
                  ended_at INTEGER,
                  command TEXT NOT NULL,
                  state TEXT NOT NULL,
                  undo_of INTEGER NOT NULL DEFAULT 0,
                  pid INTEGER NOT NULL)""");
        st.execute("""
                CREATE TABLE IF NOT EXISTS actions (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  session_id INTEGER NOT NULL REFERENCES sessions(id),
                  type TEXT NOT NULL,
                  source TEXT NOT NULL,
                  target TEXT,
                  backup TEXT,
                  size INTEGER NOT NULL,
                  mtime INTEGER NOT NULL,
                  hash TEXT,
                  state TEXT NOT NULL,
                  temp TEXT,
                  message TEXT,
                  updated_at INTEGER NOT NULL)""");
        st.execute("CREATE INDEX IF NOT EXISTS actions_by_session ON actions(session_id, id)");
        st.execute("""
                CREATE TABLE IF NOT EXISTS created_dirs (
                  action_id INTEGER NOT NULL REFERENCES actions(id),
                  seq INTEGER NOT NULL,
                  dir TEXT NOT NULL,
                  PRIMARY KEY (action_id, seq))""");
        st.execute("PRAGMA user_version = " + SCHEMA_VERSION);
    }

    /** Brings a journal of an older schema up to this one, in one transaction. */
    private static void migrate(Statement st, int from) throws SQLException {
        Connection db = st.getConnection();
        db.setAutoCommit(false);
        try {
            if (from < 2) {
                st.execute("ALTER TABLE actions ADD COLUMN temp TEXT");
            }
            st.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private static String describe(Path file, SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("SQLITE_NOTADB") || message.contains("not a database")
                || message.contains("SQLITE_CORRUPT") || message.contains("malformed")) {
            return "the journal " + file + " is damaged (not a readable SQLite database); move it aside to start a"
                    + " new one (undo history in it would be lost)";
        }
        if (message.contains("SQLITE_READONLY") || message.contains("readonly")) {
            return "the journal " + file + " is read-only: make it writable or pass --journal";
        }
        if (message.contains("SQLITE_BUSY") || message.contains("locked")) {
            return "the journal " + file + " is busy: another program holds it";
        }
        return "cannot use the journal " + file + ": " + message;
    }

    /** Where the journal lives. */
    Path file() {
        return file;
    }

    @Override
    public long beginSession(String command) {
        return beginUndoSession(command, 0);
    }

    @Override
    public long beginUndoSession(String command, long undoOf) {
        return insert("INSERT INTO sessions(started_at, command, state, undo_of, pid) VALUES (?, ?, ?, ?, ?)",
                clock.millis(), command, SessionState.RUNNING.name(), undoOf, ProcessHandle.current().pid());
    }

    private static final String INSERT_INTENT = "INSERT INTO actions(session_id, type, source, target, backup, temp,"
            + " size, mtime, hash, state, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @Override
    public long recordIntent(long sessionId, Action action, Path target, Path backup, Path temporary) {
        return insert(INSERT_INTENT, intentRow(sessionId, action, target, backup, temporary));
    }

    /** Every intent in one transaction: one commit, so one wait for the disk, for the whole batch. */
    @Override
    public long[] recordIntents(long sessionId, List<Intent> intents) {
        long[] ids = new long[intents.size()];
        try {
            db.setAutoCommit(false);
            writePendingOutcomes();
            try (PreparedStatement ps = db.prepareStatement(INSERT_INTENT, Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < ids.length; i++) {
                    Intent intent = intents.get(i);
                    bind(ps, intentRow(sessionId, intent.action(), intent.target(), intent.backup(),
                            intent.temporary()));
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        ids[i] = keys.getLong(1);
                    }
                }
            }
            db.commit();
            return ids;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new JournalException(describe(file, e), e);
        } finally {
            autoCommit();
        }
    }

    private Object[] intentRow(long sessionId, Action action, Path target, Path backup, Path temporary) {
        return new Object[] {sessionId, kind(action), action.source().toString(), str(target), str(backup),
                str(temporary), action.size(), action.lastModified(),
                action instanceof Action.Chosen c && c.hash() != null ? c.hash().toString() : null,
                ActionState.INTENT.name(), clock.millis()};
    }

    /*
     * The kind as stored in the type column. These names are on users' disks (journals of every earlier version
     * hold them): never rename one; a new kind gets a new name.
     */
    static String kind(Action action) {
        return switch (action) {
            case Action.Move m -> "MOVE";
            case Action.Copy c -> "COPY";
            case Action.Trash t -> "DELETE";
            case Action.HardLink h -> "HARDLINK";
            case Action.Create c -> "CREATE";
            case Action.Restore r -> "RESTORE";
            case Action.Remove r -> "REMOVE";
            case Action.RemoveFolder f -> "REMOVE_DIR";
            case Action.Purge p -> "PURGE";
        };
    }

    /**
     * The action a stored row describes, with the paths it recorded (see {@link JournalEntry}). The journal has no
     * scan root, kept copy or companion tie: a chosen kind gets its source's folder as its root and neither tie.
     */
    static Action action(String kind, Path source, Path target, long size, long mtime, String hash, long sessionId) {
        String why = "journaled by session " + sessionId;
        Path root = source.getParent() == null ? source : source.getParent();
        ContentHash content = contentHash(hash);
        return switch (kind) {
            case "MOVE" -> new Action.Move(source, root, target, size, mtime, content, why, null, null);
            case "COPY" -> new Action.Copy(source, root, target, size, mtime, content, why, null, null);
            case "DELETE" -> new Action.Trash(source, root, size, mtime, content, why, null, null);
            case "HARDLINK" -> new Action.HardLink(source, root, target, size, mtime, content, why, null);
            case "CREATE" -> new Action.Create(source, target, size, mtime, why);
            case "RESTORE" -> new Action.Restore(source, target, size, mtime, why);
            case "REMOVE" -> new Action.Remove(source, target, size, mtime, why);
            case "REMOVE_DIR" -> new Action.RemoveFolder(source, why);
            case "PURGE" -> new Action.Purge(source, size, mtime, why);
            default -> throw new IllegalArgumentException("an action of unknown kind '" + kind + "'");
        };
    }

    /** "algorithm:hex" as written by {@link ContentHash#toString()}, or null. */
    private static ContentHash contentHash(String stored) {
        int colon = stored == null ? -1 : stored.lastIndexOf(':');
        return colon < 0 ? null : new ContentHash(stored.substring(0, colon), stored.substring(colon + 1));
    }

    @Override
    public void updatePaths(long entryId, Path target, Path backup) {
        update("UPDATE actions SET target = ?, backup = ?, updated_at = ? WHERE id = ?",
                str(target), str(backup), clock.millis(), entryId);
    }

    @Override
    public void recordCreatedDir(long entryId, Path dir) {
        update("INSERT INTO created_dirs(action_id, seq, dir) VALUES (?, "
                + "(SELECT COUNT(*) FROM created_dirs WHERE action_id = ?), ?)", entryId, entryId, dir.toString());
    }

    @Override
    public void recordDone(long entryId) {
        setState(entryId, ActionState.DONE, null);
    }

    @Override
    public void recordFailed(long entryId, String message) {
        setState(entryId, ActionState.FAILED, message);
    }

    @Override
    public void recordUndone(long entryId) {
        setState(entryId, ActionState.UNDONE, null);
    }

    private void setState(long entryId, ActionState state, String message) {
        pendingOutcomes.add(new Object[] {state.name(), message, clock.millis(), entryId});
    }

    /** Writes the pending outcome marks inside the current transaction (auto-commit off). */
    private void writePendingOutcomes() throws SQLException {
        if (pendingOutcomes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE actions SET state = ?, message = ?, updated_at = ? WHERE id = ?")) {
            for (Object[] row : pendingOutcomes) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        pendingOutcomes.clear();
    }

    /** Makes every pending outcome mark durable now. */
    private void flushOutcomes() {
        if (!pendingOutcomes.isEmpty()) {
            update(null);
        }
    }

    @Override
    public void endSession(long sessionId, SessionState state) {
        update("UPDATE sessions SET state = ?, ended_at = ? WHERE id = ?", state.name(), clock.millis(),
                sessionId);
    }

    @Override
    public List<SessionInfo> sessions() {
        flushOutcomes();
        String sql = """
                SELECT s.id, s.started_at, s.ended_at, s.command, s.state, s.undo_of,
                  (SELECT COUNT(*) FROM actions a WHERE a.session_id = s.id AND a.state IN ('DONE', 'UNDONE')),
                  (SELECT COUNT(*) FROM actions a WHERE a.session_id = s.id AND a.state = 'FAILED'),
                  (SELECT COUNT(*) FROM actions a WHERE a.session_id = s.id AND a.state = 'UNDONE')
                FROM sessions s ORDER BY s.id DESC""";
        List<SessionInfo> sessions = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long ended = rs.getLong(3);
                sessions.add(new SessionInfo(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                        rs.wasNull() || ended == 0 ? null : Instant.ofEpochMilli(ended), rs.getString(4),
                        SessionState.valueOf(rs.getString(5)), rs.getLong(6), rs.getInt(7), rs.getInt(8),
                        rs.getInt(9)));
            }
        } catch (SQLException e) {
            throw new JournalException(describe(file, e), e);
        }
        return sessions;
    }

    @Override
    public List<JournalEntry> entries(long sessionId) {
        flushOutcomes();
        Map<Long, List<Path>> dirs = new HashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT d.action_id, d.dir FROM created_dirs d JOIN actions a"
                + " ON a.id = d.action_id WHERE a.session_id = ? ORDER BY d.action_id, d.seq")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dirs.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(Path.of(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new JournalException(describe(file, e), e);
        }
        List<JournalEntry> entries = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT id, type, source, target, backup, temp, size, mtime,"
                + " hash, state, message FROM actions WHERE session_id = ? ORDER BY id")) {
            ps.setLong(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    Action action;
                    try {
                        action = action(rs.getString(2), Path.of(rs.getString(3)), path(rs.getString(4)),
                                rs.getLong(7), rs.getLong(8), rs.getString(9), sessionId);
                    } catch (IllegalArgumentException | NullPointerException e) {
                        throw new JournalException("the journal " + file + " has an unreadable action " + id + ": "
                                + e.getMessage(), e);
                    }
                    entries.add(new JournalEntry(id, sessionId, action, path(rs.getString(5)), path(rs.getString(6)),
                            rs.getString(9), ActionState.valueOf(rs.getString(10)), rs.getString(11),
                            dirs.getOrDefault(id, List.of())));
                }
            }
        } catch (SQLException e) {
            throw new JournalException(describe(file, e), e);
        }
        return entries;
    }

    @Override
    public void close() {
        try {
            flushOutcomes();
            db.close();
        } catch (SQLException e) {
            throw new JournalException(describe(file, e), e);
        } finally {
            releaseQuietly(lock);
            closeQuietly(lockChannel);
        }
    }

    private long insert(String sql, Object... args) {
        try {
            db.setAutoCommit(false);
            writePendingOutcomes();
            long id;
            try (PreparedStatement ps = db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                bind(ps, args);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            db.commit();
            return id;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new JournalException(describe(file, e), e);
        } finally {
            autoCommit();
        }
    }

    /** Runs one statement (or none, when sql is null) in a transaction with the pending outcome marks. */
    private void update(String sql, Object... args) {
        try {
            db.setAutoCommit(false);
            writePendingOutcomes();
            if (sql != null) {
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    bind(ps, args);
                    ps.executeUpdate();
                }
            }
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new JournalException(describe(file, e), e);
        } finally {
            autoCommit();
        }
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one to report
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the next statement reports a broken connection
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static String str(Path path) {
        return path == null ? null : path.toString();
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    private static void releaseQuietly(FileLock lock) {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
    }

    private static void closeQuietly(Connection db) {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // the failure that made us close it is the one to report
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do for a lock file
        }
    }
}
