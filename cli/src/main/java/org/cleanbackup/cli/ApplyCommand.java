package org.cleanbackup.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.execute.ExecutionReport;
import org.cleanbackup.execute.Outcome;
import org.cleanbackup.hash.ContentHash;
import org.cleanbackup.hash.ContentHasher;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.journal.Journal;
import org.cleanbackup.model.Problem;
import org.cleanbackup.plan.Action;
import org.cleanbackup.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cleanbackup apply PLAN.json}: carries out a plan made elsewhere (the Spark job's {@code plan.json}, or a
 * saved {@code dedupe --dry-run --json}) on a machine that mounts the files, through the journal, so {@code undo}
 * reverses it. Each file is checked again first: it must exist with the planned size, be no newer than the plan,
 * and (exact groups) still have the group's content hash; the copy that stays must be there with the group's size.
 * A file that fails a check is left alone with a one-line problem; the others go on.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Carries out a dedupe plan in the JSON of 'dedupe --json' (e.g. the plan.json the Spark job"
                + " writes), journaled: 'undo' reverses it. Every file is checked again before it is touched (size,"
                + " time, content hash); a file changed since the plan was made is left alone."},
        footer = {"", "Examples:", "  cleanbackup apply --dry-run /mnt/out/plan.json",
                "  cleanbackup apply /mnt/out/plan.json", "  cleanbackup undo"})
final class ApplyCommand extends BaseCommand {

    @Mixin
    DryRunOption dryRun;

    @Mixin
    JsonOption json;

    @Parameters(paramLabel = "PLAN.json", description = "The plan: a document of 'dedupe --json'.")
    Path planFile;

    @Option(names = "--root", paramLabel = "DIR",
            description = "The folder tree the plan covers; the trash goes to DIR/.cleanbackup-trash"
                    + " (default: the deepest folder holding every file of the plan).")
    Path root;

    /** A group of the plan: its hash, its size and the copy that stays. */
    private record Group(String hash, long size, Path keep) {
    }

    @Override
    int run() throws IOException {
        Map<String, Object> document;
        try (InputStream in = Files.newInputStream(planFile);
             JsonParser parser = new JsonFactory().createParser(in)) {
            parser.nextToken();
            Object read = value(parser);
            if (!(read instanceof Map<?, ?> map) || !(map.get("actions") instanceof List<?>)
                    || !(map.get("groups") instanceof List<?>)) {
                throw new UserException(planFile + " is not a plan of 'dedupe --json' (no groups and actions)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) read;
            document = cast;
        } catch (NoSuchFileException e) {
            throw new UserException("no such plan: " + planFile);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserException(planFile + " is not JSON: " + e.getOriginalMessage());
        }
        long planTime = Files.getLastModifiedTime(planFile).toMillis();

        Map<Path, Group> groupOf = new HashMap<>();
        List<Path> everyPath = new ArrayList<>();
        for (Object o : (List<?>) document.get("groups")) {
            Map<?, ?> g = (Map<?, ?>) o;
            Group group = new Group((String) g.get("hash"), ((Number) g.get("size")).longValue(),
                    Path.of((String) g.get("keep")));
            everyPath.add(group.keep());
            for (Object d : (List<?>) g.get("duplicates")) {
                groupOf.put(Path.of((String) d), group);
            }
        }
        List<Problem> problems = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        Map<Path, String[]> results = new HashMap<>(); // source -> status, message, target
        List<Map<?, ?>> planned = new ArrayList<>();
        for (Object o : (List<?>) document.get("actions")) {
            Map<?, ?> a = (Map<?, ?>) o;
            planned.add(a);
            everyPath.add(Path.of((String) a.get("source")));
        }
        Path trashRoot = root != null ? root.toAbsolutePath().normalize() : commonFolder(everyPath);
        for (Map<?, ?> a : planned) {
            Path source = Path.of((String) a.get("source"));
            Group group = groupOf.get(source);
            String refused = group == null ? "not a duplicate of any group of the plan"
                    : !"delete".equals(a.get("action")) ? "action '" + a.get("action") + "' is not applied (only delete)"
                    : !source.startsWith(trashRoot) ? "outside --root " + trashRoot
                    : null;
            if (refused == null) {
                refused = recheck(source, ((Number) a.get("size")).longValue(), group, planTime);
            }
            if (refused != null) {
                problems.add(new Problem(source, refused + "; left alone"));
                results.put(source, new String[] {"skipped", refused + "; left alone", null});
                continue;
            }
            BasicFileAttributes now = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes kept = Files.readAttributes(group.keep(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            boolean identical = !group.hash().startsWith("phash:");
            String[] parts = group.hash().split(":", 2);
            actions.add(new Action.Trash(source, trashRoot, now.size(), now.lastModifiedTime().toMillis(),
                    identical ? new ContentHash(parts[0], parts[1]) : null, (String) a.get("reason"),
                    new Action.KeptCopy(group.keep(), kept.size(), kept.lastModifiedTime().toMillis(), identical),
                    null));
        }
        for (Problem p : problems) {
            err().println("problem: " + p);
        }
        boolean human = json.human(common);
        if (dryRun.requested() || actions.isEmpty()) {
            for (Action action : actions) {
                results.put(action.source(), new String[] {"planned", null, null});
                if (human && dryRun.requested()) {
                    out().println("would delete " + action.source() + " (" + action.reason() + ")");
                }
            }
            if (human) {
                out().println((dryRun.requested() ? "Dry run: " + actions.size() + " of " + planned.size()
                        + " actions would be applied, " + problems.size() + " refused; nothing was changed."
                        : "Nothing to apply: " + problems.size() + " of " + planned.size() + " actions refused."));
            }
            writeJson(document, planned, results, problems, 0, -1);
            return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
        ExecutionReport report;
        try (Journal journal = openJournal(CleanBackup.IfMissing.CREATE)) {
            report = cleanBackup().execute(new Plan(commandLine(), actions), journal,
                    ConsoleProgress.forTerminal(common.quiet));
        }
        for (Outcome o : report.outcomes()) {
            String status = switch (o.status()) {
                case DONE -> "done";
                case FAILED -> "failed";
                case SKIPPED, CONFLICT -> "skipped";
            };
            results.put(o.action().source(), new String[] {status, o.message(),
                    o.finalPath() == null ? null : o.finalPath().toString()});
            if (o.status() != Outcome.Status.DONE) {
                err().println("problem: " + o.action().source() + ": " + o.message());
            }
        }
        long done = report.count(Outcome.Status.DONE);
        if (human) {
            out().println("Applied " + done + " of " + planned.size() + " actions (" + Units.bytes(report.bytesDone())
                    + " to the trash), " + (planned.size() - done) + " not; 'cleanbackup undo' reverses it.");
        }
        writeJson(document, planned, results, problems, report.bytesDone(), report.sessionId());
        return done == planned.size() ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /**
     * The report: the plan's own document (the JSON of {@code dedupe --json}) with each action's outcome, the
     * problems found on the way and the summary's counts brought up to date.
     */
    private void writeJson(Map<String, Object> document, List<Map<?, ?>> planned, Map<Path, String[]> results,
                           List<Problem> problems, long bytesDone, long session) throws IOException {
        if (!json.requested()) {
            return;
        }
        json.write(out(), g -> {
            g.writeStartObject();
            g.writeFieldName("groups");
            writeValue(g, document.get("groups"));
            g.writeArrayFieldStart("actions");
            long doneCount = 0;
            long failed = 0;
            long skipped = 0;
            for (Map<?, ?> a : planned) {
                String[] r = results.getOrDefault(Path.of((String) a.get("source")),
                        new String[] {"skipped", "not applied", null});
                g.writeStartObject();
                for (String field : List.of("action", "source", "target", "size", "reason")) {
                    Object v = field.equals("target") && r[2] != null ? r[2] : a.get(field);
                    if (v != null) {
                        g.writeFieldName(field);
                        writeValue(g, v);
                    }
                }
                g.writeStringField("status", r[0]);
                if (r[1] != null) {
                    g.writeStringField("message", r[1]);
                }
                for (String field : List.of("companionOf", "givenToKept")) {
                    if (a.get(field) != null) {
                        g.writeFieldName(field);
                        writeValue(g, a.get(field));
                    }
                }
                g.writeEndObject();
                doneCount += r[0].equals("done") ? 1 : 0;
                failed += r[0].equals("failed") ? 1 : 0;
                skipped += r[0].equals("skipped") ? 1 : 0;
            }
            g.writeEndArray();
            JsonOutput.writeProblems(g, problems);
            Map<String, Object> summary = new LinkedHashMap<>();
            if (document.get("summary") instanceof Map<?, ?> given) {
                given.forEach((k, v) -> summary.put((String) k, v));
            }
            summary.put("bytesReclaimed", bytesDone);
            summary.put("actionsDone", doneCount);
            summary.put("actionsFailed", failed);
            summary.put("actionsSkipped", skipped);
            summary.put("problems", problems.size());
            summary.put("dryRun", dryRun.requested());
            summary.remove("session");
            if (session >= 0) {
                summary.put("session", session);
            }
            g.writeFieldName("summary");
            writeValue(g, summary);
            g.writeEndObject();
        });
    }

    private static void writeValue(com.fasterxml.jackson.core.JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    g.writeFieldName((String) e.getKey());
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            case String str -> g.writeString(str);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case java.math.BigInteger b -> g.writeNumber(b);
            case Number n -> g.writeNumber(n.doubleValue());
            default -> g.writeString(v.toString());
        }
    }

    /** Why the file is not the one the plan saw, or null when it is. */
    private static String recheck(Path source, long size, Group group, long planTime) {
        try {
            BasicFileAttributes now = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile()) {
                return "no longer a regular file";
            }
            if (now.size() != size) {
                return "changed since the plan was made (size " + size + ", now " + now.size() + ")";
            }
            if (now.lastModifiedTime().toMillis() > planTime) {
                return "changed since the plan was made (modified " + now.lastModifiedTime() + ")";
            }
            BasicFileAttributes kept = Files.readAttributes(group.keep(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (kept.size() != group.size() || kept.lastModifiedTime().toMillis() > planTime) {
                return "the copy that stays, " + group.keep() + ", changed since the plan was made";
            }
            if (!group.hash().startsWith("phash:")) {
                String[] parts = group.hash().split(":", 2);
                String hex = hash(source, ContentHashers.byName(parts[0]));
                if (!hex.equalsIgnoreCase(parts[1])) {
                    return "changed since the plan was made (content hash differs)";
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            return (e.getFile() != null && e.getFile().equals(source.toString()) ? "no longer exists"
                    : "the copy that stays, " + group.keep() + ", no longer exists");
        } catch (IOException | IllegalArgumentException e) {
            return e instanceof IOException io ? Problem.describe(io) : e.getMessage();
        }
    }

    private static String hash(Path file, ContentHasher hasher) throws IOException {
        ContentHasher.Digest digest = hasher.newDigest();
        byte[] buffer = new byte[1 << 20];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer wrap = ByteBuffer.wrap(buffer);
            for (int n; (n = channel.read(wrap.clear())) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return ContentHash.of(hasher.name(), digest.finish()).hex();
    }

    /** The deepest folder that holds every path. */
    private static Path commonFolder(List<Path> paths) {
        Path common = null;
        for (Path p : paths) {
            Path folder = p.toAbsolutePath().normalize().getParent();
            if (common == null) {
                common = folder;
            } else {
                while (common != null && !folder.startsWith(common)) {
                    common = common.getParent();
                }
            }
        }
        if (common == null || common.getParent() == null) {
            throw new UserException("the plan's files have no common folder below the file system's root: give --root");
        }
        return common;
    }

    /** A JSON value as maps, lists, strings, numbers, booleans and nulls (the plan is small next to its files). */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return p.getBooleanValue();
            }
            default -> {
                return null;
            }
        }
    }
}
