package org.cleanbackup.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the cache database file the way every table in it needs: its folder created, a busy timeout (several
 * processes share the file), WAL, then the caller's statements (its pragmas, its table). A connection that fails
 * half-way is closed, so a damaged file is not left open (and locked) for the rest of the run.
 */
final class CacheDatabase {

    private CacheDatabase() {
    }

    static Connection open(Path file, String... statements) throws IOException, SQLException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute("PRAGMA journal_mode = WAL");
            for (String statement : statements) {
                st.execute(statement);
            }
            return db;
        } catch (SQLException | RuntimeException e) {
            try {
                db.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
