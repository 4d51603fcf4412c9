package org.cleanbackup.execute;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.function.BooleanSupplier;
import org.cleanbackup.internal.hash.ContentReader;

/**
 * The file-system calls the executor and crash recovery make, behind an interface so that tests can make one fail
 * (a full disk, a flaky network share, a file that changes between a check and the change) without a real fault.
 * None of them ever replaces an existing file.
 *
 * <p>The reads have defaults that go to the real file system, so a fake that only breaks writes need not repeat
 * them; override one to make a check see what a test needs.
 */
public interface FileOperations {

    /**
     * A file's attributes, links not followed: what the executor compares with the plan (kind, size, modification
     * time) before it acts, and with the source after a copy.
     *
     * @throws java.nio.file.NoSuchFileException when nothing is there
     */
    default BasicFileAttributes attributes(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether anything (a file, a folder, a dangling link) stands at {@code path}; links not followed. */
    default boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code a} and {@code b} are one file (two names of one inode count as one). */
    default boolean isSameFile(Path a, Path b) throws IOException {
        return Files.isSameFile(a, b);
    }

    /**
     * Whether two files hold the same bytes, compared byte for byte (never by a hash): the check before a copy
     * counts as done, and before a duplicate is taken away while its kept copy must still be the same.
     */
    default boolean sameContent(Path a, Path b) throws IOException {
        return ContentReader.sameContent(a, b);
    }

    /**
     * Whether two audio files hold the same sound, its bytes found anew in each ({@code metadata.AudioPayload}) and
     * compared byte for byte (never by a hash): the check before a duplicate with other tags is taken away. False
     * when either has no sound to find (another format, or a structure that no longer holds).
     */
    default boolean sameAudio(Path a, Path b) throws IOException {
        org.cleanbackup.metadata.AudioPayload.Found pa = org.cleanbackup.metadata.AudioPayload.of(a);
        org.cleanbackup.metadata.AudioPayload.Found pb = org.cleanbackup.metadata.AudioPayload.of(b);
        return pa != null && pb != null && ContentReader.sameBytes(a, pa.ranges(), b, pb.ranges());
    }

    /** Creates {@code link} as a hard link to {@code existing}; fails if {@code link} exists (atomically). */
    void link(Path link, Path existing) throws IOException;

    /** Renames within one file system; fails if {@code target} exists. */
    void rename(Path source, Path target) throws IOException;

    /**
     * Copies the bytes of {@code source} to a new file {@code target} (CREATE_NEW). On failure the caller removes
     * the partial target. The bytes are not forced to disk: see {@link #force(Path)}.
     */
    void copy(Path source, Path target) throws IOException;

    /**
     * Like {@link #copy(Path, Path)}, but gives up once {@code stop} says so (the run was asked to stop), throwing an
     * {@link InterruptedIOException}; the caller removes the partial target. The default never gives up: it copies
     * the whole file.
     */
    default void copy(Path source, Path target, BooleanSupplier stop) throws IOException {
        copy(source, target);
    }

    /** Forces a file's bytes to disk: done before a source is deleted after copying it. */
    default void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Deletes a file. */
    void delete(Path path) throws IOException;

    /** Creates one folder; fails if it exists. */
    void createDirectory(Path dir) throws IOException;

    /** Sets a file's modification time. */
    void setLastModified(Path path, FileTime time) throws IOException;

    /** Whether {@code file} and the folder {@code dir} are on one file system, so a rename or link can work. */
    boolean sameFileSystem(Path file, Path dir) throws IOException;

    /** The real file system. */
    static FileOperations system() {
        return SystemFileOperations.INSTANCE;
    }
}

/** The real calls. */
final class SystemFileOperations implements FileOperations {

    static final SystemFileOperations INSTANCE = new SystemFileOperations();

    @Override
    public void link(Path link, Path existing) throws IOException {
        Files.createLink(link, existing);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        // Without REPLACE_EXISTING the JDK refuses an existing target; without ATOMIC_MOVE it never uses
        // rename(2)'s silent replace. On one file system this is a rename.
        Files.move(source, target);
    }

    @Override
    public void copy(Path source, Path target) throws IOException {
        copy(source, target, () -> false);
    }

    @Override
    public void copy(Path source, Path target, BooleanSupplier stop) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            KernelCopy.copy(in, out, stop, KernelCopy.KERNEL);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
    }

    @Override
    public void setLastModified(Path path, FileTime time) throws IOException {
        Files.setLastModifiedTime(path, time);
    }

    @Override
    public boolean sameFileSystem(Path file, Path dir) throws IOException {
        FileStore a = Files.getFileStore(file);
        FileStore b = Files.getFileStore(dir);
        return a.equals(b);
    }
}
