package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code review} and {@code --html} from the command line: the options dedupe takes, one self-contained page. */
class ReviewCommandTest {

    @TempDir
    Path dir;

    private Path photos() throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(1, 400, 300), photos.resolve("beach.jpg"), 0.9f);
        Files.copy(photos.resolve("beach.jpg"), photos.resolve("beach (1).jpg"));
        return photos;
    }

    @Test
    void htmlWritesOneSelfContainedReadOnlyPageAndChangesNothing() throws Exception {
        Path photos = photos();
        Path page = dir.resolve("out/plan.html");
        CliRun run = CliRun.isolated(dir, "review", "--action", "delete", "--html", page.toString(), photos.toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("Wrote " + page).contains("nothing changed");
        assertThat(photos.resolve("beach (1).jpg")).exists();
        assertThat(dir.resolve("journal.db")).as("nothing to journal").doesNotExist();

        String html = Files.readString(page);
        assertThat(html).contains("data:image/jpeg;base64,").contains("beach (1).jpg")
                .doesNotContain("http://").doesNotContain("https://").doesNotContainPattern("<(script|link|img)[^>]*\\ssrc=");
        // the policy names the one inline script and the one style by their hashes: nothing else may run
        Matcher csp = Pattern.compile("Content-Security-Policy\" content=\"([^\"]+)\"").matcher(html);
        assertThat(csp.find()).isTrue();
        assertThat(csp.group(1)).startsWith("default-src 'none'").doesNotContain("unsafe-inline");
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(script.find()).isTrue();
        assertThat(csp.group(1)).contains("script-src '" + sha256(script.group(1)) + "'");
    }

    @Test
    void dedupeAndOrganizeTakeHtmlToo() throws Exception {
        Path photos = photos();
        CliRun dedupe = CliRun.isolated(dir, "dedupe", "--mode", "similar", "--html", dir.resolve("similar.html")
                .toString(), photos.toString());
        assertThat(dedupe.code()).as(dedupe.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("similar.html"))).contains("\"mode\":\"similar\"");
        Path library = Files.createDirectories(dir.resolve("library"));
        CliRun organize = CliRun.isolated(dir, "organize", "--html", dir.resolve("organize.html").toString(),
                photos.toString(), library.toString());
        assertThat(organize.code()).as(organize.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("organize.html"))).contains("\"mode\":\"organize\"").contains("goes to");
        try (var files = Files.list(library)) {
            assertThat(files).as("organize planned only").isEmpty();
        }
    }

    @Test
    void reviewRefusesWhatDedupeRefuses() throws Exception {
        Path photos = photos();
        CliRun run = CliRun.isolated(dir, "review", "--action", "move", photos.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("--action move needs --to DIR");
        CliRun help = CliRun.isolated(dir, "review", "--help");
        assertThat(help.stdout()).contains("--mode").contains("--reference").contains("--keep").contains("--to")
                .contains("--no-browser").contains("--html");
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
