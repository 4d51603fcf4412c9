package org.cleanbackup.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;

/**
 * Plans the journaled changes that put the compression results in place: CREATE of each smaller file (in place
 * after trashing its original), COPY of the kept files to DEST. Changes nothing.
 */
final class Placement {

    private final Compressors compressors;
    private final CompressionLevel level;
    private final Targets targets;
    private final boolean dryRun;

    Placement(Compressors compressors, CompressionLevel level, Targets targets, boolean dryRun) {
        this.compressors = compressors;
        this.level = level;
        this.targets = targets;
        this.dryRun = dryRun;
    }

    /**
     * The plan for {@code results}. After a stop the caller asked for, it plans nothing: no change is started
     * once a stop was asked for.
     */
    CompressionPlan plan(List<FileResult> results, String command, Stop stop, int swept) {
        boolean inPlace = targets.destination() == null;
        String stopped = stop.reason();
        List<Action> actions = new ArrayList<>();
        List<FileResult> planned = new ArrayList<>();
        for (FileResult r : results) {
            if (stop.interrupted()) {
                planned.add(r);
                continue;
            }
            MediaFile f = r.file();
            List<Action> mine = new ArrayList<>();
            switch (r.status()) {
                case COMPRESSED -> {
                    java.nio.file.Path target = targets.compressed(f, compressors.forFileName(
                            f.path().getFileName().toString()).orElseThrow());
                    String why = String.format(Locale.ROOT, "compressed %s, level %d: %d -> %d bytes (-%d%%)",
                            r.format(), level.number(), f.size(), r.compressedSize(),
                            Math.round(100.0 * (f.size() - r.compressedSize()) / f.size()));
                    if (inPlace) {
                        // Trash first, so the compressed file can take the original's name; undo plays this
                        // backwards: the new file is removed, then the original comes back from the trash.
                        mine.add(new Action.Trash(f.path(), f.root(), f.size(), f.lastModified(), null,
                                "replaced by its compressed version", null, null));
                    }
                    mine.add(new Action.Create(r.temporary(), target, r.compressedSize(), f.lastModified(), why));
                }
                case NOT_SMALLER, UNSUPPORTED, FAILED -> {
                    if (!inPlace && stopped != null) {
                        // The disk is full: copies would only fail one after another. Placing the finished
                        // compressed files needs no space (a rename), so those still happen.
                        if (r.status() != FileResult.Status.FAILED) {
                            r = new FileResult(f, r.format(), FileResult.Status.NOT_TRIED, -1, null,
                                    "not copied: " + stopped, List.of());
                        }
                    } else if (!inPlace) {
                        // DEST is meant to hold the whole library: what is not compressed is copied as it is.
                        mine.add(new Action.Copy(f.path(), f.root(), targets.copy(f), f.size(),
                                f.lastModified(), null, r.reason(), null, null));
                    }
                }
                case SKIPPED, NOT_TRIED -> {
                    // left where it is and reported
                }
            }
            actions.addAll(mine);
            planned.add(r.withActions(mine));
        }
        return new CompressionPlan(new Plan(command, actions), planned, inPlace, dryRun, stopped, swept);
    }
}
