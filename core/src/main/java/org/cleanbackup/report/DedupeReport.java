package org.cleanbackup.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cleanbackup.group.DuplicateGroup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.names.NameCopy;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.Problem;
import org.cleanbackup.scan.LeftOut;

/**
 * Everything a dedupe run found and did, for the summary and for {@code --json}. Made with {@link #builder()}:
 *
 * <pre>{@code
 * DedupeReport report = DedupeReport.builder()
 *         .scanned(scan.files().size(), scan.totalBytes())
 *         .groups(found.groups())
 *         .plan(plan)
 *         .execution(execution)        // what was done; leave it out for a dry run or a report-only run
 *         .problems(problems)
 *         .hash("xxh3", false)
 *         .build();
 * }</pre>
 */
public final class DedupeReport {

    private final long filesScanned;
    private final long bytesScanned;
    private final List<DuplicateGroup> groups;
    private final Plan plan;
    private final ExecutionReport execution;
    private final List<Problem> problems;
    private final String algorithm;
    private final boolean partialHash;
    private final boolean dryRun;
    private final List<NameCopy> nameCopies;
    private final LeftOut leftOut;

    private DedupeReport(Builder b) {
        this.filesScanned = b.filesScanned;
        this.bytesScanned = b.bytesScanned;
        this.groups = List.copyOf(b.groups);
        this.plan = Objects.requireNonNull(b.plan, "plan");
        this.execution = b.execution;
        this.problems = List.copyOf(b.problems);
        this.algorithm = Objects.requireNonNull(b.algorithm, "algorithm: call hash(...)");
        this.partialHash = b.partialHash;
        this.dryRun = b.dryRun;
        this.nameCopies = List.copyOf(b.nameCopies);
        this.leftOut = b.leftOut;
    }

    /** A builder; {@link Builder#plan(Plan)} and {@link Builder#hash(String, boolean)} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The parts of a report, each named. */
    public static final class Builder {
        private long filesScanned;
        private long bytesScanned;
        private List<DuplicateGroup> groups = List.of();
        private Plan plan;
        private ExecutionReport execution;
        private List<Problem> problems = List.of();
        private String algorithm;
        private boolean partialHash;
        private boolean dryRun;
        private List<NameCopy> nameCopies = List.of();
        private LeftOut leftOut = LeftOut.NONE;

        private Builder() {
        }

        /** How many files passed the filters, and their total size. */
        public Builder scanned(long files, long bytes) {
            this.filesScanned = files;
            this.bytesScanned = bytes;
            return this;
        }

        /** The groups of identical files (none by default). */
        public Builder groups(List<DuplicateGroup> groups) {
            this.groups = Objects.requireNonNull(groups, "groups");
            return this;
        }

        /** The actions planned (empty for a report-only run). Required. */
        public Builder plan(Plan plan) {
            this.plan = Objects.requireNonNull(plan, "plan");
            return this;
        }

        /** What was done; not called (or null) for a dry run or a report-only run. */
        public Builder execution(ExecutionReport execution) {
            this.execution = execution;
            return this;
        }

        /** Files that could not be scanned, read or acted on (none by default). */
        public Builder problems(List<Problem> problems) {
            this.problems = Objects.requireNonNull(problems, "problems");
            return this;
        }

        /**
         * The content hash used, and whether only the first {@code maxHashBytes} bytes were compared. Required.
         */
        public Builder hash(String algorithm, boolean partial) {
            this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
            this.partialHash = partial;
            return this;
        }

        /** Marks a run that changed nothing on purpose. */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** Files with OS copy names and their originals ({@code --mode names}; none by default). */
        public Builder nameCopies(List<NameCopy> nameCopies) {
            this.nameCopies = Objects.requireNonNull(nameCopies, "nameCopies");
            return this;
        }

        /** What the run did not consider, and why ({@link LeftOut#NONE} by default). */
        public Builder leftOut(LeftOut leftOut) {
            this.leftOut = Objects.requireNonNull(leftOut, "leftOut");
            return this;
        }

        /** The report. */
        public DedupeReport build() {
            return new DedupeReport(this);
        }
    }

    /** Files that passed the filters. */
    public long filesScanned() {
        return filesScanned;
    }

    /** Their total size. */
    public long bytesScanned() {
        return bytesScanned;
    }

    /** Groups of identical files. */
    public List<DuplicateGroup> groups() {
        return groups;
    }

    /** The actions planned (empty for a report-only run). */
    public Plan plan() {
        return plan;
    }

    /** What was done, or null for a dry run or report-only run. */
    public ExecutionReport execution() {
        return execution;
    }

    /** Files that could not be scanned, read or acted on. */
    public List<Problem> problems() {
        return problems;
    }

    /** The content hash used. */
    public String algorithm() {
        return algorithm;
    }

    /** True when only the first {@code maxHashBytes} bytes were compared. */
    public boolean partialHash() {
        return partialHash;
    }

    /** True when nothing was changed on purpose. */
    public boolean dryRun() {
        return dryRun;
    }

    /** Files with OS copy names and their originals ({@code --mode names}), else empty. */
    public List<NameCopy> nameCopies() {
        return nameCopies;
    }

    /** What the run did not consider, and why. */
    public LeftOut leftOut() {
        return leftOut;
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
                if (g.sameAudioOtherTags()) {
                    writePaths(json, "otherTags", g.otherTags());
                }
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
                } else if (a.targetPath() != null) {
                    json.writeStringField("target", a.targetPath().toString());
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
            writeLeftOut(json, leftOut);
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
        }
    }

    /**
     * {@code "leftOut":{"byExtension":{"pdf":2},"empty":1,"linksOrSpecial":0,"unreadable":0,"notImage":0}}: what a
     * run did not consider, and why (docs/json.md; the hash command writes the same object).
     */
    private static void writeLeftOut(JsonGenerator json, LeftOut leftOut) throws IOException {
        json.writeObjectFieldStart("leftOut");
        json.writeObjectFieldStart("byExtension");
        for (var e : new java.util.TreeMap<>(leftOut.byExtension()).entrySet()) {
            json.writeNumberField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("empty", leftOut.empty());
        json.writeNumberField("linksOrSpecial", leftOut.notRegular());
        json.writeNumberField("unreadable", leftOut.unreadable());
        json.writeNumberField("notImage", leftOut.notImage());
        json.writeEndObject();
    }

    private static void writePaths(JsonGenerator json, String name, List<MediaFile> files) throws IOException {
        json.writeArrayFieldStart(name);
        for (MediaFile f : files) {
            json.writeString(f.path().toString());
        }
        json.writeEndArray();
    }
}
