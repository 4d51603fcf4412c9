package org.cleanbackup.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.Problem;

/**
 * Compresses one file into a finished temporary file, or says why not. Never throws for a file: whatever one file
 * causes becomes its {@link FileResult}. A full disk stops the run ({@link Stop}) after rolling the file back.
 */
final class FileCompression {

    private final Compressors compressors;
    private final CompressionLevel level;
    private final boolean inPlace;
    private final Targets targets;
    private final TemporaryOutputs outputs;
    private final DiskSpace diskSpace;
    private final Stop stop;

    FileCompression(Compressors compressors, CompressionLevel level, boolean inPlace, Targets targets,
                    TemporaryOutputs outputs, DiskSpace diskSpace, Stop stop) {
        this.compressors = compressors;
        this.level = level;
        this.inPlace = inPlace;
        this.targets = targets;
        this.outputs = outputs;
        this.diskSpace = diskSpace;
        this.stop = stop;
    }

    FileResult compress(MediaFile file) {
        String name = file.path().getFileName().toString();
        Optional<Compressor> found = compressors.forFileName(name);
        if (found.isEmpty()) {
            String ext = MediaType.extensionOf(name);
            return result(file, ext.isEmpty() ? "none" : ext, FileResult.Status.UNSUPPORTED,
                    (ext.isEmpty() ? "files without extension" : "." + ext + " files") + " are not compressed");
        }
        Compressor compressor = found.get();
        String stopped = stop.check();
        if (stopped != null) {
            return result(file, compressor.name(), FileResult.Status.NOT_TRIED, "not tried: " + stopped);
        }
        Optional<String> unavailable = compressor.unavailableReason();
        if (unavailable.isPresent()) {
            return result(file, compressor.name(), FileResult.Status.SKIPPED, unavailable.get());
        }
        String changed = changedSinceScan(file);
        if (changed != null) {
            return result(file, compressor.name(), FileResult.Status.SKIPPED, changed);
        }
        Path temp;
        try {
            temp = outputs.newTemporaryFor(targets.compressed(file, compressor));
        } catch (IOException e) {
            return result(file, compressor.name(), FileResult.Status.FAILED, "no folder for the output: "
                    + Problem.describe(e));
        }
        boolean keep = false;
        try {
            compressor.compress(file.path(), temp, level);
            long size = Files.size(temp);
            if (size >= file.size()) {
                return new FileResult(file, compressor.name(), FileResult.Status.NOT_SMALLER, size, null,
                        "not smaller when compressed (" + file.size() + " -> " + size + " bytes): "
                                + (inPlace ? "kept as it is" : "copied unchanged"), List.of());
            }
            // The executor checks a CREATE's source against the size and time planned; the time must be final now.
            Files.setLastModifiedTime(temp, FileTime.fromMillis(file.lastModified()));
            keep = outputs.keepsResults();
            return new FileResult(file, compressor.name(), FileResult.Status.COMPRESSED, size, temp, null, List.of());
        } catch (CompressionException e) {
            return result(file, compressor.name(), e.isUnsupported() ? FileResult.Status.UNSUPPORTED
                    : FileResult.Status.FAILED, e.getMessage());
        } catch (IOException e) {
            if (diskSpace.ranOut(e, temp.getParent())) {
                stop.stop("not enough disk space " + outputs.describeFolder(temp) + " while compressing "
                        + file.path() + "; that file was rolled back and the run stopped (nothing was lost)");
                return result(file, compressor.name(), FileResult.Status.FAILED,
                        "not enough disk space; its partial output was removed");
            }
            return result(file, compressor.name(), FileResult.Status.FAILED, Problem.describe(e));
        } catch (RuntimeException | StackOverflowError e) {
            // Image decoders throw unchecked exceptions on some damaged files; one file must not end the run. Memory
            // is bounded before decoding (the compressors check declared sizes), never caught as a control path.
            return result(file, compressor.name(), FileResult.Status.FAILED,
                    Problem.unexpected(file.path(), "compressing it", e).message());
        } finally {
            if (!keep) {
                TemporaryOutputs.deleteQuietly(temp);
            }
        }
    }

    /** The media type a file is compressed as: its compressor's, else its extension's. */
    MediaType typeOf(MediaFile file) {
        String name = file.path().getFileName().toString();
        return compressors.forFileName(name).map(Compressor::mediaType)
                .orElseGet(() -> MediaType.ofFileName(name).orElse(MediaType.IMAGE));
    }

    static FileResult result(MediaFile file, String format, FileResult.Status status, String reason) {
        return new FileResult(file, format, status, -1, null, reason, List.of());
    }

    private static String changedSinceScan(MediaFile file) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attrs.size() != file.size() || attrs.lastModifiedTime().toMillis() != file.lastModified()) {
                return "changed since it was scanned; left alone";
            }
            return null;
        } catch (IOException e) {
            return Problem.describe(e);
        }
    }
}
