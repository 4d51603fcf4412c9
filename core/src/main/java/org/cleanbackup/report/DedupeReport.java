package org.cleanbackup.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;

/**
 * Everything a dedupe run found and did, for the summary and for {@code --json}.
 *
 * @param filesScanned files that passed the filters
 * @param bytesScanned their total size
 * @param groups       groups of identical files
 * @param plan         the actions planned (empty for a report-only run)
 * @param execution    what was done, or null for a dry run or report-only run
 * @param problems     files that could not be scanned, read or acted on
 * @param algorithm    the content hash used
 * @param partialHash  true when only the first {@code maxHashBytes} bytes were compared
 * @param dryRun       true when nothing was changed on purpose
 * @param nameCopies   files with OS copy names and their originals ({@code --mode names}), else empty
 */
public record DedupeReport(long filesScanned, long bytesScanned, List<DuplicateGroup> groups, Plan plan,
                           ExecutionReport execution, List<Problem> problems, String algorithm,
                           boolean partialHash, boolean dryRun, List<NameCopy> nameCopies) {

    public DedupeReport {
        groups = List.copyOf(groups);
        problems = List.copyOf(problems);
        nameCopies = List.copyOf(nameCopies);
    }

    /** Duplicates found (copies beyond the kept one, reference copies excluded). */
    public long duplicateCount() {
        return groups.stream().mapToLong(g -> g.duplicates().size()).sum();
    }

    /** Bytes that acting on every duplicate would free. */
    public long reclaimableBytes() {
        return groups.stream().mapToLong(DuplicateGroup::reclaimableBytes).sum();
    }

    /**
     * Bytes of the duplicates (and their companions) actually acted on; a sidecar copied to a kept copy frees
     * nothing and is not counted.
     */
    public long reclaimedBytes() {
        return execution == null ? 0 : execution.outcomes().stream().filter(o -> o.status() == Outcome.Status.DONE
                && !givenToKept(o.action())).mapToLong(o -> o.action().size()).sum();
    }

    /**
     * Companions (sidecars, Live Photo videos) that went with their duplicate, and those copied to a kept copy that
     * lacked them: done when the plan was carried out, else planned.
     *
     * @return {moved, copied or trashed with their file; given to kept copies}
     */
    public long[] companionCounts() {
        long with = 0;
        long given = 0;
        for (int i = 0; i < plan.actions().size(); i++) {
            Action a = plan.actions().get(i);
            if (companion(a) == null || (execution != null
                    && execution.outcomes().get(i).status() != Outcome.Status.DONE)) {
                continue;
            }
            if (givenToKept(a)) {
                given++;
            } else {
                with++;
            }
        }
        return new long[] {with, given};
    }

    /** Duplicates (not their companions) whose action ended with {@code status}; 0 when nothing was carried out. */
    public long duplicates(Outcome.Status status) {
        return execution == null ? 0 : execution.outcomes().stream().filter(o -> o.status() == status
                && companion(o.action()) == null).count();
    }

    private static boolean givenToKept(Action a) {
        return companion(a) != null && companion(a).givenToKept();
    }

    /** The tie of a companion's action to its file's, or null (a duplicate's own action, or not a chosen kind). */
    private static Action.Companion companion(Action a) {
        return a instanceof Action.Chosen chosen ? chosen.companion() : null;
    }

    /** The path a dry run shows as an action's target: where it goes, or the file it is linked to; else null. */
    private static Path plannedTarget(Action a) {
        return switch (a) {
            case Action.Placing p -> p.target();
            case Action.HardLink h -> h.linkTo();
            case Action.Remove r -> r.contentAt();
            case Action.Trash t -> null;
            case Action.RemoveFolder f -> null;
            case Action.Purge p -> null;
        };
    }

    /** Problems of every stage, including failed and skipped actions. */
    public List<Problem> allProblems() {
        List<Problem> all = new java.util.ArrayList<>(problems);
        if (execution != null) {
            for (Outcome o : execution.outcomes()) {
                if (o.status() != Outcome.Status.DONE && !ExecutionReport.notTriedAfterInterrupt(o)) {
                    all.add(new Problem(o.action().source(), o.message()));
                }
            }
        }
        return all;
    }

    /**
     * Writes the report as JSON (the schema is in docs/json.md):
     * {@code {"groups":[{"hash","size","keep","duplicates":[...]}],"actions":[...],"problems":[...],"summary":{...}}}.
     */
    public void writeJson(Writer out) throws IOException {
        try (JsonGenerator json = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeArrayFieldStart("groups");
            for (DuplicateGroup g : groups) {
                json.writeStartObject();
                json.writeStringField("hash", g.hash().toString());
                json.writeNumberField("size", g.size());
                json.writeStringField("keep", g.keep().path().toString());
                json.writeStringField("keepReason", g.keepReason());
                writePaths(json, "duplicates", g.duplicates());
                writePaths(json, "protected", g.protectedCopies());
                writePaths(json, "hardLinks", g.hardLinks());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (!nameCopies.isEmpty()) {
                json.writeArrayFieldStart("nameCopies");
                for (NameCopy c : nameCopies) {
                    json.writeStartObject();
                    json.writeStringField("copy", c.copy().path().toString());
                    json.writeStringField("original", c.original().path().toString());
                    json.writeStringField("verdict", c.verdict().name().toLowerCase(java.util.Locale.ROOT));
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeArrayFieldStart("actions");
            for (int i = 0; i < plan.actions().size(); i++) {
                Action a = plan.actions().get(i);
                Outcome o = execution == null ? null : execution.outcomes().get(i);
                json.writeStartObject();
                json.writeStringField("action", a.userName());
                json.writeStringField("source", a.source().toString());
                if (o != null && o.finalPath() != null) {
                    json.writeStringField("target", o.finalPath().toString());
                } else if (plannedTarget(a) != null) {
                    json.writeStringField("target", plannedTarget(a).toString());
                }
                json.writeNumberField("size", a.size());
                json.writeStringField("reason", a.reason());
                if (companion(a) != null) {
                    json.writeStringField("companionOf", companion(a).of().toString());
                    if (companion(a).givenToKept()) {
                        json.writeBooleanField("givenToKept", true);
                    }
                }
                json.writeStringField("status", o == null ? (dryRun ? "planned" : "not-run") : o.status().name().toLowerCase(java.util.Locale.ROOT));
                if (o != null && o.message() != null) {
                    json.writeStringField("message", o.message());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("problems");
            for (Problem p : allProblems()) {
                json.writeStartObject();
                json.writeStringField("path", p.path().toString());
                json.writeStringField("message", p.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("filesScanned", filesScanned);
            json.writeNumberField("bytesScanned", bytesScanned);
            json.writeNumberField("groups", groups.size());
            json.writeNumberField("duplicates", duplicateCount());
            json.writeNumberField("bytesReclaimable", reclaimableBytes());
            json.writeNumberField("bytesReclaimed", reclaimedBytes());
            json.writeNumberField("actionsDone", execution == null ? 0 : execution.count(Outcome.Status.DONE));
            json.writeNumberField("actionsFailed", execution == null ? 0 : execution.count(Outcome.Status.FAILED));
            json.writeNumberField("actionsSkipped", execution == null ? 0 : execution.count(Outcome.Status.SKIPPED));
            json.writeNumberField("problems", allProblems().size());
            json.writeStringField("algorithm", algorithm);
            json.writeBooleanField("partialHash", partialHash);
            json.writeBooleanField("dryRun", dryRun);
            if (execution != null) {
                json.writeNumberField("session", execution.sessionId());
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    private static void writePaths(JsonGenerator json, String name, List<MediaFile> files) throws IOException {
        json.writeArrayFieldStart(name);
        for (MediaFile f : files) {
            json.writeString(f.path().toString());
        }
        json.writeEndArray();
    }
}
