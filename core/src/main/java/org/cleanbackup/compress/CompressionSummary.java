package org.cleanbackup.compress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.plan.Action;
import org.cleanbackup.model.Problem;

/**
 * What a compress run did, file by file and in total: for the summary on the terminal and for {@code --json}.
 *
 * @param files          one entry per file considered, in scan order
 * @param formats        counts per format ("jpeg", "png", "video", or the extension of an unsupported one), sorted
 * @param inPlace        true for {@code --in-place}
 * @param dryRun         true when nothing was changed (sizes are those the run would produce)
 * @param sessionId      the journal session of the changes, or 0 when none was made
 * @param stoppedBecause why the run stopped early, or null
 * @param staleTemporariesRemoved temporary files that killed earlier runs had left in the output folder, removed
 *                                by this one
 */
public record CompressionSummary(List<Entry> files, Map<String, FormatCounts> formats, boolean inPlace,
                                 boolean dryRun, long sessionId, String stoppedBecause, int staleTemporariesRemoved) {

    /** The end state of one file. */
    public enum Result {
        /** Replaced (in place) or represented in DEST by a smaller compressed file. */
        COMPRESSED,
        /** Kept as it was (not smaller, or a format that is not compressed): copied to DEST, or left in place. */
        KEPT,
        /** Not handled (ffmpeg missing, changed during the run, the run stopped); nothing changed for it. */
        SKIPPED,
        /** Could not be compressed or placed; what is on disk for it is reported in the note. */
        FAILED
    }

    /**
     * One file.
     *
     * @param source the original
     * @param output where its result is (the compressed file, the copy, or the original itself when kept in
     *               place), or null when there is none
     * @param format the format name
     * @param result the end state
     * @param before the original's size
     * @param after  the size of the output (equal to {@code before} when kept), or -1 when there is none
     * @param note   why kept, skipped or failed, or null
     */
    public record Entry(Path source, Path output, String format, Result result, long before, long after, String note) {
    }

    /**
     * How many files of one format ended in each state.
     *
     * @param compressed made smaller
     * @param kept       kept as they were
     * @param skipped    not handled
     * @param failed     failed
     */
    public record FormatCounts(int compressed, int kept, int skipped, int failed) {

        FormatCounts plus(Result result) {
            return switch (result) {
                case COMPRESSED -> new FormatCounts(compressed + 1, kept, skipped, failed);
                case KEPT -> new FormatCounts(compressed, kept + 1, skipped, failed);
                case SKIPPED -> new FormatCounts(compressed, kept, skipped + 1, failed);
                case FAILED -> new FormatCounts(compressed, kept, skipped, failed + 1);
            };
        }
    }

    public CompressionSummary {
        files = List.copyOf(files);
        formats = Map.copyOf(formats);
    }

    /**
     * Sums up a prepared plan and what the executor did with it.
     *
     * @param execution the executor's report; null for a dry run (every planned action counts as done) or when
     *                  the plan was empty
     */
    public static CompressionSummary of(CompressionPlan prepared, ExecutionReport execution) {
        boolean dryRun = prepared.dryRun();
        Map<Action, Outcome> outcomes = new IdentityHashMap<>();
        if (execution != null) {
            for (Outcome o : execution.outcomes()) {
                outcomes.put(o.action(), o);
            }
        }
        List<Entry> entries = new ArrayList<>();
        Map<String, FormatCounts> formats = new TreeMap<>();
        for (FileResult r : prepared.files()) {
            Entry e = entry(r, outcomes, dryRun, prepared.inPlace());
            entries.add(e);
            formats.merge(e.format(), new FormatCounts(0, 0, 0, 0).plus(e.result()),
                    (a, b) -> new FormatCounts(a.compressed() + b.compressed(), a.kept() + b.kept(),
                            a.skipped() + b.skipped(), a.failed() + b.failed()));
        }
        String stopped = prepared.stoppedBecause();
        if (stopped == null && execution != null) {
            stopped = execution.stoppedBecause();
        }
        return new CompressionSummary(entries, formats, prepared.inPlace(), dryRun,
                execution == null ? 0 : execution.sessionId(), stopped, prepared.staleTemporariesRemoved());
    }

    private static Entry entry(FileResult r, Map<Action, Outcome> outcomes, boolean dryRun, boolean inPlace) {
        Path source = r.file().path();
        long before = r.file().size();
        switch (r.status()) {
            case SKIPPED, NOT_TRIED -> {
                return new Entry(source, null, r.format(), Result.SKIPPED, before, -1, r.reason());
            }
            case NOT_SMALLER, UNSUPPORTED, FAILED -> {
                if (inPlace || r.actions().isEmpty()) {
                    Result result = r.status() == FileResult.Status.FAILED ? Result.FAILED : Result.KEPT;
                    return new Entry(source, result == Result.KEPT ? source : null, r.format(), result, before,
                            result == Result.KEPT ? before : -1, r.reason());
                }
                Action.Copy copy = (Action.Copy) r.actions().getFirst(); // what is not compressed is copied
                Outcome o = outcomes.get(copy);
                if (!dryRun && (o == null || o.status() != Outcome.Status.DONE)) {
                    return new Entry(source, null, r.format(), Result.FAILED, before, -1,
                            "could not be copied: " + message(o));
                }
                Path output = dryRun ? copy.target() : o.finalPath();
                // A file that failed to compress was still copied, but its failure is what the user must hear about.
                return new Entry(source, output, r.format(), r.status() == FileResult.Status.FAILED ? Result.FAILED
                        : Result.KEPT, before, before, r.reason() + (r.status() == FileResult.Status.FAILED
                        ? "; copied unchanged" : ""));
            }
            case COMPRESSED -> {
                Action.Create create = (Action.Create) r.actions().getLast(); // after the trashed original
                if (dryRun) {
                    return new Entry(source, create.target(), r.format(), Result.COMPRESSED, before,
                            r.compressedSize(), null);
                }
                Outcome placed = outcomes.get(create);
                Outcome trashed = inPlace ? outcomes.get(r.actions().getFirst()) : null;
                boolean createDone = placed != null && placed.status() == Outcome.Status.DONE;
                boolean trashDone = trashed != null && trashed.status() == Outcome.Status.DONE;
                if (inPlace && !trashDone) {
                    // The executor never puts the smaller file in place unless the original was moved away first.
                    return new Entry(source, source, r.format(), Result.SKIPPED, before, before,
                            "left as it was: it could not be moved to the trash (" + message(trashed)
                                    + "), so its compressed version was not put in place");
                }
                if (inPlace && !createDone && trashDone) {
                    return new Entry(source, null, r.format(), Result.FAILED, before, -1,
                            "the compressed file could not be put in place (" + message(placed) + "); the original"
                                    + " is in the trash at " + trashed.finalPath() + " and undo puts it back");
                }
                if (!createDone) {
                    return new Entry(source, null, r.format(), Result.FAILED, before, -1,
                            "the compressed file could not be put in place: " + message(placed));
                }
                return new Entry(source, placed.finalPath(), r.format(), Result.COMPRESSED, before,
                        r.compressedSize(), null);
            }
        }
        throw new AssertionError(r.status());
    }

    private static String message(Outcome o) {
        if (o == null) {
            return "not run";
        }
        return o.message() != null ? o.message() : o.status().name().toLowerCase(Locale.ROOT);
    }

    /** How many files ended in this state. */
    public long count(Result result) {
        return files.stream().filter(e -> e.result() == result).count();
    }

    /** The originals' bytes of the files compressed or kept (skipped and failed ones are not counted). */
    public long bytesBefore() {
        return files.stream().filter(CompressionSummary::counted).mapToLong(Entry::before).sum();
    }

    /** The bytes of their outputs: the compressed sizes, and the originals' sizes for files kept. */
    public long bytesAfter() {
        return files.stream().filter(CompressionSummary::counted).mapToLong(Entry::after).sum();
    }

    /** {@link #bytesBefore()} minus {@link #bytesAfter()}. */
    public long bytesSaved() {
        return bytesBefore() - bytesAfter();
    }

    /** After divided by before (1.0 when nothing was counted). */
    public double ratio() {
        long before = bytesBefore();
        return before == 0 ? 1.0 : (double) bytesAfter() / before;
    }

    private static boolean counted(Entry e) {
        return e.result() == Result.COMPRESSED || e.result() == Result.KEPT && e.after() >= 0;
    }

    /** Skipped files with the reason, for the problem lines. */
    public List<Problem> skipped() {
        return files.stream().filter(e -> e.result() == Result.SKIPPED)
                .map(e -> new Problem(e.source(), e.note())).toList();
    }

    /** Failed files with the reason. */
    public List<Problem> failed() {
        return files.stream().filter(e -> e.result() == Result.FAILED)
                .map(e -> new Problem(e.source(), e.note())).toList();
    }

    /**
     * Writes the summary as JSON: {@code {"files":[...],"summary":{...}}} (documented in docs/compress.md).
     */
    public void writeJson(Writer out) throws IOException {
        try (JsonGenerator json = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("files");
            for (Entry e : files) {
                json.writeStartObject();
                json.writeStringField("source", e.source().toString());
                if (e.output() != null) {
                    json.writeStringField("output", e.output().toString());
                }
                json.writeStringField("format", e.format());
                json.writeStringField("result", e.result().name().toLowerCase(Locale.ROOT));
                json.writeNumberField("before", e.before());
                if (e.after() >= 0) {
                    json.writeNumberField("after", e.after());
                }
                if (e.note() != null) {
                    json.writeStringField("note", e.note());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("files", files.size());
            json.writeNumberField("compressed", count(Result.COMPRESSED));
            json.writeNumberField("kept", count(Result.KEPT));
            json.writeNumberField("skipped", count(Result.SKIPPED));
            json.writeNumberField("failed", count(Result.FAILED));
            json.writeNumberField("bytesBefore", bytesBefore());
            json.writeNumberField("bytesAfter", bytesAfter());
            json.writeNumberField("bytesSaved", bytesSaved());
            json.writeNumberField("ratio", Math.round(ratio() * 10_000) / 10_000.0);
            json.writeBooleanField("inPlace", inPlace);
            json.writeBooleanField("dryRun", dryRun);
            if (sessionId > 0) {
                json.writeNumberField("session", sessionId);
            }
            if (stoppedBecause != null) {
                json.writeStringField("stoppedBecause", stoppedBecause);
            }
            json.writeNumberField("staleTemporariesRemoved", staleTemporariesRemoved);
            json.writeObjectFieldStart("formats");
            for (Map.Entry<String, FormatCounts> f : new TreeMap<>(formats).entrySet()) {
                json.writeObjectFieldStart(f.getKey());
                json.writeNumberField("compressed", f.getValue().compressed());
                json.writeNumberField("kept", f.getValue().kept());
                json.writeNumberField("skipped", f.getValue().skipped());
                json.writeNumberField("failed", f.getValue().failed());
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        }
    }
}
