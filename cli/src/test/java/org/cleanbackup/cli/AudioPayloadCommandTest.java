package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dedupe --audio-payload}: re-tagged copies made by the real ffmpeg, in text, JSON and a dry run. */
class AudioPayloadCommandTest {

    @TempDir
    Path dir;

    private Path library;
    private Path inbox;
    private String previousConfig;

    @BeforeEach
    void files() throws IOException {
        previousConfig = System.getProperty("cleanbackup.config");
        System.setProperty("cleanbackup.config", dir.resolve("config/config.properties").toString());
        library = Files.createDirectories(dir.resolve("library"));
        inbox = Files.createDirectories(dir.resolve("inbox"));
        for (String ext : List.of("mp3", "flac")) {
            ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-metadata", "title=Song", "-metadata",
                    "artist=Band", library.resolve("song." + ext).toString());
            ffmpeg("-i", library.resolve("song." + ext).toString(), "-c", "copy", "-map_metadata", "-1", "-metadata",
                    "title=Re-tagged", inbox.resolve("song." + ext).toString());
        }
    }

    @AfterEach
    void restoreSettings() {
        if (previousConfig == null) {
            System.clearProperty("cleanbackup.config");
        } else {
            System.setProperty("cleanbackup.config", previousConfig);
        }
    }

    private static void ffmpeg(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            assumeTrue(false, "ffmpeg is not installed: the audio files are made with it");
            return;
        }
        try {
            assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ffmpeg could not make " + cmd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void retaggedCopiesAreReportedAsSameAudioOtherTags() {
        CliRun run = CliRun.isolated(dir, "dedupe", "--types", "audio", "--reference", library.toString(),
                inbox.toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("same audio, other tags").contains("(other tags)")
                .contains("Found 2 groups").contains("Of them, 2 groups hold the same audio with other tags");
        CliRun whole = CliRun.isolated(dir, "dedupe", "--types", "audio", "--audio-payload", "off", "--reference",
                library.toString(), inbox.toString());
        assertThat(whole.stdout()).contains("Found 0 groups");
        CliRun wrong = CliRun.isolated(dir, "dedupe", "--audio-payload", "maybe", inbox.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("--audio-payload takes on or off");
    }

    @Test
    void jsonListsTheOtherTagsAndMatchesItsSchema() throws IOException {
        CliRun run = CliRun.isolated(dir, "dedupe", "--types", "audio", "--dry-run", "--action", "delete",
                "--reference", library.toString(), "--json", "-", inbox.toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.stdout());
        assertThat(json.get("groups")).hasSize(2).allSatisfy(g -> {
            assertThat(g.get("hash").asText()).contains("-audio:");
            assertThat(g.get("otherTags")).hasSize(1);
            assertThat(g.get("otherTags").get(0).asText()).isEqualTo(g.get("duplicates").get(0).asText());
        });
        assertThat(json.get("actions")).hasSize(2);
        try (InputStream schema = Files.newInputStream(Path.of("..", "docs", "json", "dedupe.schema.json"))) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema).validate(json))
                    .isEmpty();
        }
        assertThat(inbox.resolve("song.mp3")).exists(); // a dry run
        assertThat(inbox.resolve("song.flac")).exists();
    }
}
