package org.cleanbackup.organize;

import java.util.List;
import java.util.Map;
import org.cleanbackup.model.MediaFile;

/**
 * Finds images that look the same as others (perceptual duplicates), for {@code organize --skip-similar}.
 * Implemented on top of the perceptual-hash engine; organize itself knows no hashing.
 */
@FunctionalInterface
public interface SimilarImageFilter {

    /**
     * Which of {@code candidates} (source images about to be imported, each distinct in content) need not be
     * imported because they look the same as an image in {@code destination} or as a better copy among the
     * candidates.
     *
     * @return each redundant candidate mapped to the image it duplicates; never null
     */
    Map<MediaFile, MediaFile> redundant(List<MediaFile> candidates, List<MediaFile> destination);

    /** No filter: every distinct image is imported (the default). */
    SimilarImageFilter NONE = (candidates, destination) -> Map.of();
}
