package org.cleanbackup.model;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Something that went wrong with one file or folder. Problems are collected and reported; they never stop a run.
 *
 * @param path    the file or folder concerned
 * @param message one line saying what went wrong, for a person
 */
public record Problem(Path path, String message) {

    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        message = message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    /** A problem that describes an I/O failure in plain words rather than as an exception class name. */
    public static Problem of(Path path, Exception e) {
        String message = describe(e);
        // Many exceptions (ImageDecodeException, FileSystemException's toString) already start with the path.
        String prefix = path + ": ";
        return new Problem(path, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    /**
     * A failure nobody planned for while handling one file: a parser's bug met on a hostile file, say. It is that
     * file's problem and the run goes on; the stack trace goes to the log file (at info), not the terminal.
     *
     * @param doing what was being done, e.g. {@code "reading its dates"}
     */
    public static Problem unexpected(Path path, String doing, Throwable failure) {
        org.slf4j.LoggerFactory.getLogger(Problem.class).info("{} of {} failed", doing, path, failure);
        String why = failure instanceof StackOverflowError ? "its structure is nested too deeply to read"
                : failure.getMessage() == null || failure.getMessage().isBlank() ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage().strip();
        return new Problem(path, doing + " failed (" + why + ")");
    }

    /** One line describing an I/O failure, without the path (which the problem already carries). */
    public static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no longer exists (removed while the run went on?)";
        }
        if (e instanceof java.nio.file.FileSystemLoopException) {
            return "symbolic link loop, not followed";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** One line for a terminal: the path and the message, control characters escaped ({@link DisplayNames}). */
    @Override
    public String toString() {
        return DisplayNames.of(path) + ": " + DisplayNames.of(message);
    }
}
