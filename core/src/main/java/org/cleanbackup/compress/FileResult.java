package org.cleanbackup.compress;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.MediaFile;

/**
 * What the compression step made of one file, before anything was placed.
 *
 * @param file           the original
 * @param format         the compressor's name ("jpeg", "png", "video"), or the file's extension when no compressor
 *                       takes it
 * @param status         what happened
 * @param compressedSize the size of the compressed version, or -1 when there is none (it was not smaller, it
 *                       failed, ...)
 * @param temporary      the finished compressed file under its temporary name, or null; removed again by
 *                       {@link CompressionPlan#discardTemporaryFiles()} unless the executor placed it
 * @param reason         for a person: why it was kept, skipped or failed; null when it was compressed
 * @param actions        the planned actions for this file (in the {@link CompressionPlan#plan()}), possibly none
 */
public record FileResult(MediaFile file, String format, Status status, long compressedSize, Path temporary,
                         String reason, List<Action> actions) {

    /** What the compression step made of a file. */
    public enum Status {
        /** Compressed to a smaller file. */
        COMPRESSED,
        /** Compressed, but the result was not smaller: the original is kept (copied to DEST, or left in place). */
        NOT_SMALLER,
        /** No compressor takes this format or variant: the original is kept (copied to DEST, or left in place). */
        UNSUPPORTED,
        /** Not compressed for a reason outside the file (ffmpeg missing, file changed during the run). */
        SKIPPED,
        /** Damaged, or the compressor failed on it; any partial output was removed. */
        FAILED,
        /** Not tried: the run stopped before its turn (a full disk). */
        NOT_TRIED
    }

    public FileResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(status, "status");
        actions = List.copyOf(actions);
        if ((status == Status.COMPRESSED) != (temporary != null)) {
            throw new IllegalArgumentException("a compressed file, and only that, has a temporary file: " + file.path());
        }
    }

    /** The same result with its planned actions. */
    FileResult withActions(List<Action> planned) {
        return new FileResult(file, format, status, compressedSize, temporary, reason, planned);
    }
}
