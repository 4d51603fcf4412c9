package org.cleanbackup.phash;

import java.nio.file.Path;
import java.util.Objects;
import org.cleanbackup.model.Problem;

/**
 * The outcome of hashing one file in a {@linkplain PerceptualHasher#hashAll batch}: either a hash or a problem.
 *
 * @since 0.1
 */
public sealed interface HashResult permits HashResult.Hashed, HashResult.Failed {

    /** The file this result is about. */
    Path path();

    /**
     * The file was hashed.
     *
     * @param path the file
     * @param hash its hash, the EXIF orientation applied
     */
    record Hashed(Path path, PerceptualHash hash) implements HashResult {
        public Hashed {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(hash, "hash");
        }
    }

    /**
     * The file could not be hashed.
     *
     * @param path    the file
     * @param message one line saying why, without the file name
     */
    record Failed(Path path, String message) implements HashResult {
        public Failed {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }

        /** The failure as a {@link Problem} for the run's report. */
        public Problem problem() {
            return new Problem(path, message);
        }
    }
}
