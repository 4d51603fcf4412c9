package org.cleanbackup.cli.review;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.cleanbackup.model.DisplayNames;

/**
 * The JSON the page reads: a summary, pages of groups with each file's facts, the progress of Apply and Undo. One
 * writer for the served page and the static one, so both show the same facts. Paths are for a person to read; the
 * page names a file to the server only by its id.
 */
final class ReviewJson {

    static final int THUMBNAIL_SIDE = 240;

    private static final JsonFactory FACTORY = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ReviewJson() {
    }

    static JsonGenerator open(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static JsonGenerator open(Writer out) throws IOException {
        return FACTORY.createGenerator(out);
    }

    static void summary(JsonGenerator g, Review r) throws IOException {
        g.writeStartObject();
        g.writeStringField("mode", r.mode());
        g.writeNumberField("groups", r.size());
        g.writeStringField("action", r.requestedAction());
        g.writeStringField("to", r.requestedFolder());
        g.writeBooleanField("dryRun", r.dryRun());
        g.writeEndObject();
    }

    /** The entries matching the page's filters: a folder (part of any file's folder), a kind, a largest distance. */
    static List<Review.Entry> filter(Review r, String folder, String kind, Integer maxDistance) {
        String f = folder == null ? "" : folder.trim();
        return r.entries().stream()
                .filter(e -> kind == null || kind.isBlank() || e.kind().equals(kind) || e.items().stream()
                        .anyMatch(i -> i.role().equals(kind)))
                .filter(e -> maxDistance == null || e.maxDistance() <= maxDistance)
                .filter(e -> f.isEmpty() || e.items().stream().anyMatch(i -> String.valueOf(i.file().path().getParent())
                        .contains(f)))
                .toList();
    }

    static void page(JsonGenerator g, Review r, List<Review.Entry> matching, int offset, int limit, boolean embed)
            throws IOException {
        g.writeStartObject();
        g.writeNumberField("total", matching.size());
        g.writeNumberField("offset", offset);
        g.writeArrayFieldStart("groups");
        for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
            entry(g, r, matching.get(i), embed);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static void entry(JsonGenerator g, Review r, Review.Entry e, boolean embed) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", e.index());
        g.writeStringField("kind", e.kind());
        g.writeStringField("reason", e.reason());
        String keeper = r.keeper(e);
        if (keeper != null) {
            g.writeStringField("keeper", keeper);
            g.writeStringField("toolKeeper", e.keeper().id());
        }
        g.writeBooleanField("leftOut", r.leftOut(e.index()));
        g.writeBooleanField("notDuplicates", r.notDuplicates(e.index()));
        g.writeArrayFieldStart("files");
        for (Review.Item item : e.items()) {
            item(g, r, item, embed);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void item(JsonGenerator g, Review r, Review.Item item, boolean embed) throws IOException {
        Path path = item.file().path();
        FileFacts facts = r.facts(item);
        g.writeStartObject();
        g.writeStringField("id", item.id());
        g.writeStringField("role", item.role());
        g.writeStringField("name", String.valueOf(path.getFileName()));
        g.writeStringField("path", DisplayNames.of(path));
        g.writeStringField("folder", DisplayNames.of(path.getParent() == null ? path : path.getParent()));
        g.writeNumberField("bytes", item.file().size());
        if (item.distance() >= 0) {
            g.writeNumberField("distance", item.distance());
        }
        if (facts.width() > 0) {
            g.writeNumberField("width", facts.width());
            g.writeNumberField("height", facts.height());
        }
        g.writeStringField("format", facts.format());
        if (facts.date() != null) {
            g.writeStringField("date", facts.date());
            g.writeStringField("dateSource", facts.dateSource());
        }
        if (facts.camera() != null) {
            g.writeStringField("camera", facts.camera());
        }
        if (embed) {
            var jpeg = r.thumbnails().jpeg(path, THUMBNAIL_SIDE);
            if (jpeg.isPresent()) {
                g.writeStringField("thumb", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg.get()));
            }
        }
        g.writeEndObject();
    }

    static void status(JsonGenerator g, Review.Status s) throws IOException {
        g.writeStartObject();
        g.writeStringField("stage", s.stage().name().toLowerCase(Locale.ROOT));
        g.writeStringField("message", s.message());
        g.writeNumberField("session", s.session());
        g.writeStringField("phase", s.phase());
        g.writeNumberField("done", s.done());
        g.writeNumberField("total", s.total());
        g.writeEndObject();
    }
}
