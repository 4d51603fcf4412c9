package org.cleanbackup.spark;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * The job's plans, in the JSON of {@code cleanbackup dedupe --json} (docs/json.md, docs/json/dedupe.schema.json):
 * the groups, one {@code delete} action per duplicate (to the trash of its folder tree, so undo brings it back), with
 * status {@code planned}: the cluster plans, {@code cleanbackup apply} acts.
 */
final class Plans {

    private Plans() {
    }

    /** A file of a group as the job saw it; {@code distance}: bits from the kept image's hash (look-alikes). */
    record Member(String uri, long size, long mtime, int distance) {
        String path() {
            return jsonPath(uri);
        }
    }

    /** A group: its hash ({@code xxh3:...} or {@code phash:...}), the copy kept and the duplicates. */
    record Group(String hash, Member keep, String keepReason, List<Member> duplicates) {
        long reclaimable() {
            return duplicates.stream().mapToLong(Member::size).sum();
        }
    }

    /** A local file's path for a {@code file:} URI or a plain path; for other schemes the path part. */
    static java.nio.file.Path displayPath(String uri) {
        java.nio.file.Path local = FileStages.localPath(uri);
        return local != null ? local : java.nio.file.Path.of(new Path(uri).toUri().getPath());
    }

    /** How the plan names a file: a local path where it is one, else the URI (apply refuses those). */
    static String jsonPath(String uri) {
        java.nio.file.Path local = FileStages.localPath(uri);
        return local != null ? local.toString() : URI.create(uri).toString();
    }

    static void write(OutputStream out, List<Group> groups, List<Row> problems, long files, long bytes,
                      String algorithm) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeArrayFieldStart("groups");
            long duplicates = 0;
            long reclaimable = 0;
            for (Group group : groups) {
                g.writeStartObject();
                g.writeStringField("hash", group.hash());
                g.writeNumberField("size", group.keep().size());
                g.writeStringField("keep", group.keep().path());
                g.writeStringField("keepReason", group.keepReason());
                g.writeArrayFieldStart("duplicates");
                for (Member m : group.duplicates()) {
                    g.writeString(m.path());
                }
                g.writeEndArray();
                g.writeArrayFieldStart("protected");
                g.writeEndArray();
                g.writeArrayFieldStart("hardLinks");
                g.writeEndArray();
                g.writeEndObject();
                duplicates += group.duplicates().size();
                reclaimable += group.reclaimable();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("actions");
            for (Group group : groups) {
                for (Member m : group.duplicates()) {
                    g.writeStartObject();
                    g.writeStringField("action", "delete");
                    g.writeStringField("source", m.path());
                    g.writeNumberField("size", m.size());
                    g.writeStringField("reason", (group.hash().startsWith("phash:") ? "looks like " : "same content as ")
                            + group.keep().path());
                    g.writeStringField("status", "planned");
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("problems");
            for (Row p : problems) {
                g.writeStartObject();
                g.writeStringField("path", jsonPath(p.getString(0)));
                g.writeStringField("message", p.getString(1));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("filesScanned", files);
            g.writeNumberField("bytesScanned", bytes);
            g.writeNumberField("groups", groups.size());
            g.writeNumberField("duplicates", duplicates);
            g.writeNumberField("bytesReclaimable", reclaimable);
            g.writeNumberField("bytesReclaimed", 0);
            g.writeNumberField("actionsDone", 0);
            g.writeNumberField("actionsFailed", 0);
            g.writeNumberField("actionsSkipped", 0);
            g.writeNumberField("problems", problems.size());
            g.writeStringField("algorithm", algorithm);
            g.writeBooleanField("partialHash", false);
            g.writeBooleanField("dryRun", true);
            g.writeObjectFieldStart("leftOut");
            g.writeObjectFieldStart("byExtension");
            g.writeEndObject();
            g.writeNumberField("empty", 0);
            g.writeNumberField("linksOrSpecial", 0);
            g.writeNumberField("unreadable", 0);
            g.writeNumberField("notImage", 0);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
