package org.cleanbackup.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cleanbackup.plan.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compression work done and the changes that would put it in place.
 *
 * @param plan           what the executor is to do: CREATE of each smaller file, COPY of kept files to DEST, or in
 *                       place DELETE (to the trash) of each original followed by CREATE of its compressed version
 * @param files          one result per file considered, in scan order
 * @param inPlace        true for {@code --in-place}
 * @param dryRun         true when nothing is to be placed (the compressed files were measured and thrown away)
 * @param stoppedBecause why compression stopped early (a full disk), or null
 * @param staleTemporariesRemoved how many temporary files of earlier, killed runs were removed from the folder this
 *                                run writes into before it started (0 on a dry run)
 */
public record CompressionPlan(Plan plan, List<FileResult> files, boolean inPlace, boolean dryRun,
                              String stoppedBecause, int staleTemporariesRemoved) {

    private static final Logger LOG = LoggerFactory.getLogger(CompressionPlan.class);

    public CompressionPlan {
        Objects.requireNonNull(plan, "plan");
        files = List.copyOf(files);
    }

    /**
     * Deletes the temporary files the executor did not place (all of them after a dry run, those of failed actions
     * otherwise). Call it once the plan has been executed, or instead of executing it.
     */
    public void discardTemporaryFiles() {
        for (FileResult r : files) {
            if (r.temporary() != null) {
                try {
                    Files.deleteIfExists(r.temporary());
                } catch (IOException e) {
                    LOG.warn("could not remove the temporary file {}: {}", r.temporary(), e.getMessage());
                }
            }
        }
    }

    /** The temporary files still on disk (a test and a crash report use this). */
    public List<Path> leftoverTemporaryFiles() {
        return files.stream().map(FileResult::temporary).filter(Objects::nonNull).filter(Files::exists).toList();
    }
}
