package org.cleanbackup.cli.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.DedupePlan;
import org.cleanbackup.DedupeRequest;
import org.cleanbackup.model.MediaType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review server's edges, tried with real HTTP requests against a running server: the token, the Host and Origin
 * checks, files only by the plan's ids, the loopback address, the page's policy; then Apply and Undo over the API.
 */
class ReviewServerTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CleanBackup library = CleanBackup.builder().build();
    private Path photos;
    private DedupePlan plan;
    private Review review;
    private ReviewServer server;
    private String base;
    private String origin;

    @BeforeEach
    void serve() throws IOException {
        photos = ReviewTrees.exactPairs(dir);
        plan = library.dedupe(DedupeRequest.of(photos).withTypes(MediaType.IMAGE)
                .rememberingNotDuplicates(dir.resolve("cache.db")));
        assertThat(plan.groups()).hasSize(2);
        review = Review.of(plan, library, () -> library.openJournal(dir.resolve("journal.db"),
                CleanBackup.IfMissing.CREATE, note -> { }), org.cleanbackup.thumbnail.Thumbnails.create(null));
        server = review.serve();
        base = "http://127.0.0.1:" + server.address().getPort();
        origin = base;
    }

    @AfterEach
    void close() throws InterruptedException {
        server.close();
        review.stop(30_000);
    }

    private HttpResponse<byte[]> get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String form, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> fromPage() {
        return Map.of("X-Review-Token", server.token(), "Origin", origin);
    }

    private int group(String keptName) {
        for (int i = 0; i < plan.groups().size(); i++) {
            if (plan.groups().get(i).keep().path().getFileName().toString().equals(keptName)) {
                return i;
            }
        }
        throw new AssertionError("no group keeps " + keptName);
    }

    @Test
    void aRequestWithoutTheRightTokenIsForbidden() throws Exception {
        String wrong = "0".repeat(server.token().length());
        for (String path : List.of("/", "/app.js", "/style.css", "/api/summary", "/api/groups", "/thumb/0-0",
                "/file/0-0")) {
            assertThat(get(path, Map.of()).statusCode()).as("no token: %s", path).isEqualTo(403);
            assertThat(get(path + "?t=" + wrong, Map.of()).statusCode()).as("wrong token: %s", path).isEqualTo(403);
            assertThat(get(path, Map.of("X-Review-Token", wrong)).statusCode()).as("wrong header: %s", path)
                    .isEqualTo(403);
            assertThat(get(path + "?t=" + server.token(), Map.of()).statusCode()).as("token: %s", path).isEqualTo(200);
        }
        assertThat(server.token()).as("128 random bits, in hex").matches("[0-9a-f]{32}");
    }

    @Test
    void anotherHostNameIsForbiddenSoARebindingPageGetsNothing() throws IOException {
        // java.net.http does not let a caller set Host, so this request is written by hand
        assertThat(rawGet("rebind.example:" + server.address().getPort())).startsWith("HTTP/1.1 403");
        assertThat(rawGet("127.0.0.1")).as("without the port").startsWith("HTTP/1.1 403");
        assertThat(rawGet("localhost:" + server.address().getPort())).startsWith("HTTP/1.1 200");
        assertThat(rawGet("127.0.0.1:" + server.address().getPort())).startsWith("HTTP/1.1 200");
    }

    private String rawGet(String host) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/summary?t=" + server.token() + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aPostFromAnotherOriginOrWithoutTheTokenHeaderIsForbiddenAndChangesNothing() throws Exception {
        String token = server.token();
        assertThat(post("/api/leave", "group=0&out=true", Map.of("X-Review-Token", token,
                "Origin", "https://evil.example")).statusCode()).isEqualTo(403);
        assertThat(post("/api/leave", "group=0&out=true", Map.of("X-Review-Token", token,
                "Origin", "http://127.0.0.1:1")).statusCode()).as("another port").isEqualTo(403);
        assertThat(post("/api/leave", "group=0&out=true", Map.of("X-Review-Token", token)).statusCode())
                .as("no Origin").isEqualTo(403);
        assertThat(post("/api/leave?t=" + token, "group=0&out=true", Map.of("Origin", origin)).statusCode())
                .as("token only in the URL: a form on another site could do that").isEqualTo(403);
        assertThat(post("/api/apply", "action=delete", Map.of("Origin", "https://evil.example")).statusCode())
                .isEqualTo(403);
        assertThat(review.leftOut(0)).isFalse();
        assertThat(review.status().stage()).isEqualTo(Review.Stage.READY);

        assertThat(post("/api/leave", "group=0&out=true", fromPage()).statusCode()).isEqualTo(200);
        assertThat(review.leftOut(0)).isTrue();
    }

    @Test
    void filesAreServedOnlyByThePlansOwnIds() throws Exception {
        String t = "?t=" + server.token();
        HttpResponse<byte[]> thumb = get("/thumb/0-0" + t, Map.of());
        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(thumb.body()).startsWith((byte) 0xFF, (byte) 0xD8);
        Path kept = plan.groups().get(0).keep().path();
        assertThat(get("/file/0-0" + t, Map.of()).body()).isEqualTo(Files.readAllBytes(kept));

        Files.writeString(dir.resolve("secret.txt"), "not for the page");
        List<String> tries = List.of("/thumb/9-9", "/file/0-99", "/file/..%2F..%2Fsecret.txt",
                "/file/" + java.net.URLEncoder.encode(dir.resolve("secret.txt").toString(), StandardCharsets.UTF_8),
                "/file/../../../../etc/passwd", "/file/%2e%2e/%2e%2e/etc/passwd", "/thumb/", "/secret.txt",
                "/index.html", "/../secret.txt");
        for (String path : tries) {
            HttpResponse<byte[]> r = get(path + t, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("not for the page");
        }
    }

    @Test
    void theServerListensOnTheLoopbackAddressOnly() throws IOException {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    others.add(a);
                }
            }
        }
        // on a machine with no other address the first assertion is the whole test
        for (InetAddress a : others) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(a, server.address().getPort()), 5_000);
                }
            }).as("connecting through %s", a).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void thePageCarriesAStrictPolicyAndNoInlineScript() throws Exception {
        HttpResponse<byte[]> page = get("/?t=" + server.token(), Map.of());
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .startsWith("default-src 'self'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval")
                .contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>").doesNotContain("http://")
                .doesNotContain("https://").doesNotContainPattern("\\son[a-z]+="); // no inline handlers either
        for (String asset : List.of("app.js", "render.js", "style.css")) {
            String text = ReviewServer.resourceText(asset);
            assertThat(text).as(asset).doesNotContainPattern("https?://").doesNotContain("@import");
        }
    }

    @Test
    void applyCarriesOutThePersonsChoicesAndUndoPutsEverythingBack() throws Exception {
        int sunset = group("sunset.jpg"); // the tool keeps b/sunset.jpg (older)
        int lake = group("lake.jpg");
        String chosen = review.entries().get(sunset).items().stream()
                .filter(i -> i.file().path().equals(photos.resolve("a/sunset.jpg"))).findFirst().orElseThrow().id();
        assertThat(post("/api/choose", "group=" + sunset + "&file=" + chosen, fromPage()).statusCode()).isEqualTo(200);
        assertThat(post("/api/leave", "group=" + lake + "&out=true", fromPage()).statusCode()).isEqualTo(200);
        assertThat(photos.resolve("b/sunset.jpg")).as("nothing changes before Apply").exists();

        assertThat(post("/api/apply", "action=delete", fromPage()).statusCode()).isEqualTo(200);
        assertThat(awaitStage(Review.Stage.APPLIED).message()).startsWith("1 done, 0 failed");
        assertThat(photos.resolve("a/sunset.jpg")).exists();
        assertThat(photos.resolve("b/sunset.jpg")).doesNotExist();
        assertThat(photos.resolve("a/lake.jpg")).exists();
        assertThat(photos.resolve("b/lake copy.jpg")).as("left out").exists();
        assertThat(post("/api/apply", "action=delete", fromPage()).statusCode()).as("once").isEqualTo(409);

        assertThat(post("/api/undo", "", fromPage()).statusCode()).isEqualTo(200);
        awaitStage(Review.Stage.UNDONE);
        assertThat(photos.resolve("b/sunset.jpg")).exists();
        assertThat(photos.resolve("a/sunset.jpg")).exists();
    }

    @Test
    void aRefusedActionIsAnswerInThePageAndChangesNothing() throws Exception {
        HttpResponse<String> r = post("/api/apply", "action=move&to=" + photos.getParent(), fromPage());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("error");
        assertThat(review.status().stage()).isEqualTo(Review.Stage.READY);
        assertThat(photos.resolve("b/sunset.jpg")).exists();
    }

    private Review.Status awaitStage(Review.Stage wanted) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Review.Status s = review.status();
            if (s.stage() == wanted) {
                return s;
            }
            assertThat(s.stage()).as(s.message()).isNotEqualTo(Review.Stage.FAILED);
            Thread.sleep(50);
        }
        throw new AssertionError("still " + review.status());
    }
}
