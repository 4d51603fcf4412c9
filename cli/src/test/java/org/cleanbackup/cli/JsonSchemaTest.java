package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every command with {@code --json -} on a copy of the bundled samples and validates what it prints against
 * docs/json/*.schema.json, the schemas docs/json.md documents. Each schema must also reject the same document
 * with a required field removed or an unknown field added, so a schema too loose to catch drift fails here too.
 */
class JsonSchemaTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    @TempDir
    Path dir;

    private String previousConfig;
    private final Set<String> schemasUsed = new TreeSet<>();
    private String stdout;
    private String stderr;

    @BeforeEach
    void privateSettings() {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
    }

    @AfterEach
    void restoreSettings() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    @Test
    void everyCommandsJsonMatchesItsSchema() throws Exception {
        Path s = copySamples();
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("broken.jpg"), "not a picture");
        String photos = s.resolve("photos").toString();
        String library = s.resolve("music/library").toString();
        String inbox = s.resolve("music/inbox").toString();

        check("hash", 0, "hash", photos);
        JsonNode hash = check("hash", 1, "hash", photos, broken.toString());
        assertThat(hash.at("/problems/0/path").asText()).endsWith("broken.jpg");
        check("hash", 0, "hash", "--content", "--orientations", "--algorithm", "md5",
                s.resolve("photos/inbox/FujiFilm DX-5.jpg").toString());

        JsonNode backends = check("backends", 0, "backends");
        assertThat(backends.get("backends")).hasSize(3);
        check("backends", 0, "backends", "--benchmark", s.resolve("photos/inbox/backup").toString());

        JsonNode exact = check("dedupe", 0, "dedupe", "--reference", library, inbox, photos);
        assertThat(exact.at("/summary/groups").asInt()).isEqualTo(4);
        check("dedupe", 0, "dedupe", "--mode", "similar", photos);
        JsonNode names = check("dedupe", 0, "dedupe", "--mode", "names", s.toString());
        assertThat(names.get("nameCopies")).isNotEmpty();
        Path withSidecars = dir.resolve("companions");
        Files.createDirectories(withSidecars.resolve("b"));
        Files.copy(s.resolve("photos/inbox/FujiFilm DX-5.jpg"), Files.createDirectories(withSidecars.resolve("a"))
                .resolve("x.jpg"));
        Files.copy(s.resolve("photos/inbox/FujiFilm DX-5.jpg"), withSidecars.resolve("b/x.jpg"));
        Files.setLastModifiedTime(withSidecars.resolve("a/x.jpg"), java.nio.file.attribute.FileTime.fromMillis(0));
        Files.writeString(withSidecars.resolve("b/x.xmp"), "<x:xmpmeta/>");
        JsonNode companions = check("dedupe", 0, "dedupe", "--dry-run", "--action", "move", "--to",
                dir.resolve("moved").toString(), withSidecars.toString());
        assertThat(companions.findValuesAsText("companionOf")).hasSize(2);
        assertThat(companions.findValues("givenToKept")).hasSize(1);
        JsonNode deleted = check("dedupe", 0, "dedupe", "--reference", library, "--action", "delete", inbox);
        assertThat(deleted.at("/summary/actionsDone").asInt()).isEqualTo(2);

        assertThat(check("trash", 0, "trash", "list").get("files")).hasSize(2);
        check("trash", 0, "trash", "empty", "--dry-run");
        assertThat(check("undo-list", 0, "undo", "--list")).hasSize(1);
        check("undo", 0, "undo", "--dry-run");
        JsonNode undo = check("undo", 0, "undo");
        assertThat(undo.get("steps")).as("the steps the undo took, not a plan made after it").isNotEmpty()
                .allMatch(step -> step.get("status").asText().equals("done"));

        String lib = dir.resolve("library").toString();
        check("organize", 0, "organize", "--dry-run", photos, s.resolve("phone").toString(), lib);
        JsonNode organized = check("organize", 0, "organize", photos, s.resolve("phone").toString(), lib);
        assertThat(organized.at("/summary/done").asInt()).isPositive();
        check("compress", 0, "compress", "--dry-run", "--only", "images", photos, dir.resolve("small").toString());

        check("dedupe", 0, "dedupe", "--reference", library, "--action", "delete", inbox);
        JsonNode emptied = check("trash", 0, "trash", "empty", "--yes");
        assertThat(emptied.at("/summary/removed").asInt()).isEqualTo(2);

        assertThat(check("cache", 0, "cache", "stats").get("entries")).isNotEmpty();
        check("cache", 0, "cache", "prune");
        assertThat(check("cache", 0, "cache", "clear").get("removed").asInt()).isPositive();

        check("config", 0, "config", "list");
        check("config", 0, "config", "set", "threads", "1");
        assertThat(check("config", 0, "config", "get", "threads").at("/settings/0/from").asText()).isEqualTo("file");
        check("config", 0, "config", "unset", "threads");

        // apply: a saved plan carried out; its report is the plan's document with the outcomes
        Path toApply = Files.createDirectories(dir.resolve("apply/a"));
        Files.copy(s.resolve("photos/inbox/FujiFilm DX-5.jpg"), toApply.resolve("x.jpg"));
        Files.copy(s.resolve("photos/inbox/FujiFilm DX-5.jpg"), Files.createDirectories(dir.resolve("apply/b"))
                .resolve("x.jpg"));
        Path saved = dir.resolve("saved-plan.json");
        assertThat(CliRun.isolated(dir, "dedupe", "--action", "delete", "--dry-run", "--json", saved.toString(),
                dir.resolve("apply").toString()).code()).isZero();
        check("dedupe", 0, "apply", "--dry-run", saved.toString());
        JsonNode applied = check("dedupe", 0, "apply", saved.toString());
        assertThat(applied.at("/summary/actionsDone").asInt()).isEqualTo(1);
        assertThat(applied.at("/actions/0/status").asText()).isEqualTo("done");

        assertThat(schemasUsed).as("every schema in docs/json/ is checked against real output")
                .containsExactlyInAnyOrderElementsOf(schemaNames());
    }

    /** Every command but completion (a shell script) and help has --json. */
    @Test
    void everyCommandHasJson() {
        CommandLine cli = CleanBackupCommand.commandLine();
        for (Map.Entry<String, CommandLine> c : cli.getSubcommands().entrySet()) {
            if (c.getKey().equals("completion") || c.getKey().equals("help")) {
                continue;
            }
            assertThat(c.getValue().getCommandSpec().findOption("--json")).as(c.getKey()).isNotNull();
            assertThat(c.getValue().getCommandSpec().findOption("--quiet")).as(c.getKey()).isNotNull();
        }
    }

    /** docs/json.md links every schema and names every field of it, so the prose cannot fall behind. */
    @Test
    void jsonMdDocumentsEverySchemaAndField() throws IOException {
        String doc = Files.readString(DOCS.resolve("json.md"));
        Set<String> documented = new TreeSet<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(doc);
        while (code.find()) {
            for (String word : code.group(1).split("[^A-Za-z0-9_-]+")) {
                documented.add(word);
            }
        }
        for (String name : schemaNames()) {
            assertThat(doc).as("docs/json.md links " + name).contains("(json/" + name + ".schema.json)");
            Set<String> fields = new TreeSet<>();
            collectFields(MAPPER.readTree(DOCS.resolve("json/" + name + ".schema.json").toFile()), fields);
            assertThat(documented).as("fields of " + name + " named in docs/json.md").containsAll(fields);
        }
    }

    /** Runs a command with --json -, checks its exit code, and validates stdout (which must be only JSON). */
    private JsonNode check(String schemaName, int expectedCode, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--json", "-"));
        CliRun run = CliRun.isolated(dir, all.toArray(String[]::new));
        stdout = run.stdout();
        stderr = run.stderr();
        assertThat(run.code()).as(String.join(" ", all) + "\nstderr: " + stderr).isEqualTo(expectedCode);
        JsonNode json = MAPPER.readTree(stdout); // fails on anything but one JSON document
        assertThat(stdout).as("one document, then a newline").endsWith("\n");
        JsonSchema schema = schema(schemaName);
        Set<ValidationMessage> errors = schema.validate(json);
        assertThat(errors).as(String.join(" ", args) + " against " + schemaName + ".schema.json:\n" + stdout).isEmpty();
        assertStrict(schema, json, String.join(" ", args));
        schemasUsed.add(schemaName);
        return json;
    }

    /** The schema must reject the real document with a required field removed, or with a field it does not know. */
    private static void assertStrict(JsonSchema schema, JsonNode json, String what) {
        ObjectNode object = json.isObject() ? (ObjectNode) json : json.isArray() && !json.isEmpty() && json.get(0).isObject()
                ? (ObjectNode) json.get(0) : null;
        if (object == null) {
            return;
        }
        JsonNode root = json.deepCopy();
        ObjectNode target = root.isObject() ? (ObjectNode) root : (ObjectNode) root.get(0);
        target.put("surplus", 1);
        assertThat(schema.validate(root)).as(what + ": an unknown field is refused").isNotEmpty();
        target.remove("surplus");
        String first = target.fieldNames().next();
        target.remove(first);
        assertThat(schema.validate(root)).as(what + ": a missing '" + first + "' is refused").isNotEmpty();
    }

    private static JsonSchema schema(String name) throws IOException {
        try (InputStream in = Files.newInputStream(DOCS.resolve("json/" + name + ".schema.json"))) {
            return FACTORY.getSchema(in, CONFIG);
        }
    }

    private static List<String> schemaNames() throws IOException {
        try (Stream<Path> files = Files.list(DOCS.resolve("json"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .map(n -> n.substring(0, n.length() - ".schema.json".length())).sorted().toList();
        }
    }

    /** The names of every property the schema declares, at any depth. */
    private static void collectFields(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null && props.isObject()) {
                for (Iterator<String> names = props.fieldNames(); names.hasNext(); ) {
                    into.add(names.next());
                }
            }
            node.forEach(child -> collectFields(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collectFields(child, into));
        }
    }

    private Path copySamples() throws IOException {
        Path samples = Path.of("..", "samples");
        assertThat(samples).as("the bundled samples").isDirectory();
        Path copy = dir.resolve("samples");
        try (Stream<Path> walk = Files.walk(samples)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(samples.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // mtimes decide "oldest"
                }
            }
        }
        return copy;
    }
}
