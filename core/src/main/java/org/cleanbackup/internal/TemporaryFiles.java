package org.cleanbackup.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one naming of the files a run writes before they are in place (a compressed result, a copy being written),
 * and the sweep that removes those a killed run left behind. Not API.
 */
public final class TemporaryFiles {

    /*
     * The name: ".cleanbackup-tmp-" + the writing process's id (8 hex digits) + 8 random hex digits + ".part". A dot
     * first and ".part" last, so that no scan takes it for a photo and a person seeing one after a killed run knows
     * what it is.
     *
     * Stale files: a kill -9 or a power cut can leave one behind. The sweep removes only files that cannot belong to
     * a live run: the name is exactly ours (16 hex digits), the process id in its first 8 digits is not a live
     * process, and the file's status-change time is older than the sweeping run's start. Why a process id and not a
     * file lock: a finished compressed file waits, closed, for the executor to place it (possibly for hours on a big
     * library), so a lock would need an open descriptor per file for the whole run. A run on another machine
     * writing into the same folder at the same time is not detected (docs/compress.md says so).
     */

    /** The folder, under each root, where deleted files wait for undo ({@code ScanOptions.TRASH_FOLDER}). */
    public static final String TRASH_FOLDER = ".cleanbackup-trash";

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryFiles.class);

    /** The prefix of every temporary file name. */
    public static final String PREFIX = ".cleanbackup-tmp-";

    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "([0-9a-f]{8})[0-9a-f]{8}\\.part");

    private TemporaryFiles() {
    }

    /** A fresh temporary file name carrying this process's id, so another run can tell it belongs to a live one. */
    public static String newName() {
        HexFormat hex = HexFormat.of();
        return PREFIX + hex.toHexDigits((int) ProcessHandle.current().pid())
                + hex.toHexDigits(ThreadLocalRandom.current().nextInt()) + ".part";
    }

    /** Whether {@code name} is a temporary file's name (any process's). */
    public static boolean isTemporaryName(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * Removes the stale temporary files under {@code root}, at any depth (trash folders aside), and returns how many.
     * Never fails: a file that cannot be read or removed is left, with a log line.
     */
    public static int sweepTree(Path root, Instant runStart) {
        if (root == null || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int[] removed = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    Path name = d.getFileName();
                    return name != null && name.toString().equals(TRASH_FOLDER) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && removeIfStale(file, attrs, runStart)) {
                        removed[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // an unreadable folder holds nothing we could remove anyway
                }
            });
        } catch (IOException e) {
            LOG.warn("could not look for stale temporary files under {}: {}", root, String.valueOf(e.getMessage()));
        }
        report(removed[0], root);
        return removed[0];
    }

    /**
     * Removes the stale temporary files directly in {@code dir} (not below it), and returns how many. Never fails.
     * The executor calls it for each folder before its first copy there: cheap, one listing of that folder.
     */
    public static int sweepFolder(Path dir, Instant runStart) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, PREFIX + "*.part")) {
            for (Path file : entries) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (attrs.isRegularFile() && removeIfStale(file, attrs, runStart)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            LOG.debug("could not look for stale temporary files in {}: {}", dir, String.valueOf(e.getMessage()));
        }
        report(removed, dir);
        return removed;
    }

    private static void report(int removed, Path where) {
        if (removed > 0) {
            LOG.warn("removed {} temporary file(s) ({}*.part) that an earlier, killed run left under {}", removed,
                    PREFIX, where);
        }
    }

    private static boolean removeIfStale(Path file, BasicFileAttributes attrs, Instant runStart) {
        if (!isStale(file, attrs, runStart)) {
            return false;
        }
        try {
            Files.delete(file);
            return true;
        } catch (IOException e) {
            LOG.warn("could not remove the stale temporary file {}: {}", file, String.valueOf(e.getMessage()));
            return false;
        }
    }

    private static boolean isStale(Path file, BasicFileAttributes attrs, Instant runStart) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(1), 16);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false; // a live run (this JVM included) may still place it; a reused id only delays the sweep
        }
        FileTime changed;
        try {
            // The status-change time: set when the file was written, and moved again by setting its modification
            // time (which is set to the original's, so that one says nothing about the file's age).
            changed = (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            changed = attrs.creationTime();
        }
        return changed.toInstant().isBefore(runStart);
    }
}
