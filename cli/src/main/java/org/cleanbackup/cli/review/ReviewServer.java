package org.cleanbackup.cli.review;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The local page of a {@link Review}: the JDK's own HTTP server ({@code com.sun.net.httpserver}, no dependency), with
 * strict edges, because any web page the user has open can send requests to a port on their machine:
 *
 * <ul>
 *   <li>bound to 127.0.0.1 only, on a free port the system picks;</li>
 *   <li>a random token (128 bits from {@link SecureRandom}) on every request, compared in constant time: in the URL
 *       for the page, its scripts and pictures; in a header ({@code X-Review-Token}) for the API, which a form on
 *       another site cannot set, and every POST must carry it so;</li>
 *   <li>the Host header must be {@code 127.0.0.1:port} or {@code localhost:port}: a DNS-rebinding page (evil.com
 *       resolved to 127.0.0.1) sends its own name and is refused;</li>
 *   <li>an Origin header, when present, must be this page's own; a POST without a matching Origin is refused;</li>
 *   <li>files are served only by the ids the review handed out, never by a path from the request;</li>
 *   <li>a Content-Security-Policy of {@code default-src 'self'} with no inline script, nothing from elsewhere, no
 *       framing, no referrer (the token is in the URL).</li>
 * </ul>
 *
 * Every refusal is a bare 403 (404 for an id that is not the plan's), logged at debug.
 */
public final class ReviewServer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReviewServer.class);

    static final String TOKEN_HEADER = "X-Review-Token";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    /** The page's own files, each under the only name it is served by. */
    private static final Map<String, String> ASSETS = Map.of(
            "/app.js", "text/javascript; charset=utf-8",
            "/render.js", "text/javascript; charset=utf-8",
            "/style.css", "text/css; charset=utf-8");

    /** Formats every browser shows as they are; others are shown as a large JPEG made from them. */
    private static final Set<String> BROWSER_FORMATS = Set.of("jpg", "jpeg", "png", "gif", "webp");

    private static final int MAX_BODY = 64 * 1024;
    private static final int FULL_SIDE = 2048;

    private final Review review;
    private final HttpServer server;
    private final ExecutorService threads;
    private final String token;
    private final int port;
    private final Set<String> hosts;
    private final Set<String> origins;
    private final Semaphore decoding = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));
    private final CountDownLatch finished = new CountDownLatch(1);

    private ReviewServer(Review review, HttpServer server, ExecutorService threads, String token) {
        this.review = review;
        this.server = server;
        this.threads = threads;
        this.token = token;
        this.port = server.getAddress().getPort();
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
    }

    static ReviewServer start(Review review) throws IOException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "review-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        ReviewServer s = new ReviewServer(review, server, threads, HexFormat.of().formatHex(secret));
        server.createContext("/", s::handle);
        server.start();
        return s;
    }

    /** The page's address, with its token: open it in a browser on this machine. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/?t=" + token);
    }

    /** The address the server listens on (the loopback address). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Waits until the page's "Finish" is pressed or {@link #close} is called. */
    public void awaitFinished() throws InterruptedException {
        finished.await();
    }

    /** Stops serving. A running Apply or Undo goes on to its end ({@link Review#stop} stops it). */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        finished.countDown();
    }

    String token() {
        return token;
    }

    // ------------------------------------------------------------------------------------------ every request

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", "DENY");
            h.set("Cache-Control", "no-store");
            String refusal = refusal(ex);
            if (refusal != null) {
                LOG.debug("review: refused {} {}: {}", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), refusal);
                send(ex, 403, "text/plain; charset=utf-8", "forbidden\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            route(ex);
        } catch (IllegalArgumentException e) {
            // a malformed query or form (a bad %-escape, a body too large): the client's mistake
            send(ex, 400, "text/plain; charset=utf-8", "bad request\n".getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("review: {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getRawPath(), e);
            try {
                send(ex, 500, "text/plain; charset=utf-8", "failed\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // the response had begun; the browser sees a broken one
            }
        }
    }

    /** Why this request is refused, or null: Host, then Origin, then the token. */
    String refusal(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("POST")) {
            return "method " + method;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return "Host " + host; // DNS rebinding: another name that resolves to this machine
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return "Origin " + origin;
        }
        if (method.equals("POST")) {
            if (origin == null) {
                return "a POST without Origin"; // every browser sends one on a POST; only a cross-site trick would not
            }
            return matches(ex.getRequestHeaders().getFirst(TOKEN_HEADER)) ? null : "token";
        }
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (given == null) {
            given = query(ex).get("t");
        }
        return matches(given) ? null : "token";
    }

    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        boolean post = ex.getRequestMethod().equals("POST");
        if (!post) {
            if (path.equals("/")) {
                String html = resource("index.html").replace("{{token}}", token);
                send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
            } else if (ASSETS.containsKey(path)) {
                send(ex, 200, ASSETS.get(path), resource(path.substring(1)).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/api/summary")) {
                json(ex, 200, g -> ReviewJson.summary(g, review));
            } else if (path.equals("/api/groups")) {
                groups(ex);
            } else if (path.equals("/api/status")) {
                json(ex, 200, g -> ReviewJson.status(g, review.status()));
            } else if (path.startsWith("/thumb/")) {
                picture(ex, path.substring("/thumb/".length()), false);
            } else if (path.startsWith("/file/")) {
                picture(ex, path.substring("/file/".length()), true);
            } else {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        try {
            Map<String, String> form = form(ex);
            switch (path) {
                case "/api/choose" -> review.choose(number(form, "group"), form.getOrDefault("file", ""));
                case "/api/leave" -> review.leaveOut(number(form, "group"), Boolean.parseBoolean(form.get("out")));
                case "/api/not-duplicates" -> review.markNotDuplicates(number(form, "group"));
                case "/api/apply" -> review.apply(form.getOrDefault("action", ""), form.get("to"));
                case "/api/undo" -> review.undo();
                case "/api/finish" -> finished.countDown();
                default -> {
                    send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) { // RequestRefusedException is one too
            json(ex, 409, g -> {
                g.writeStartObject();
                g.writeStringField("error", e.getMessage());
                g.writeEndObject();
            });
            return;
        }
        json(ex, 200, g -> ReviewJson.status(g, review.status()));
    }

    private void groups(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        int offset = Math.max(0, parse(q.get("offset"), 0));
        int limit = Math.min(200, Math.max(1, parse(q.get("limit"), 20)));
        String distance = q.get("maxDistance");
        Integer maxDistance = distance == null || distance.isBlank() ? null : parse(distance, 64);
        List<Review.Entry> matching = ReviewJson.filter(review, q.get("folder"), q.get("kind"), maxDistance);
        json(ex, 200, g -> ReviewJson.page(g, review, matching, offset, limit, false));
    }

    /** A thumbnail, or the file itself (a large JPEG of it for formats a browser cannot show), by the plan's id. */
    private void picture(HttpExchange ex, String id, boolean full) throws IOException {
        Optional<Review.Item> item = review.item(URLDecoder.decode(id, StandardCharsets.UTF_8));
        if (item.isEmpty()) {
            send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path file = item.get().file().path();
        String name = file.getFileName().toString();
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        ex.getResponseHeaders().set("Cache-Control", "private, max-age=600");
        if (full && BROWSER_FORMATS.contains(ext) && Files.isRegularFile(file)) {
            String type = "image/" + (ext.equals("jpg") ? "jpeg" : ext);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(file, out);
            }
            return;
        }
        Optional<byte[]> jpeg;
        decoding.acquireUninterruptibly(); // one decode per core: a page of 60 thumbnails must not take the machine
        try {
            jpeg = review.thumbnails().jpeg(file, full ? FULL_SIDE : ReviewJson.THUMBNAIL_SIDE);
        } finally {
            decoding.release();
        }
        if (jpeg.isEmpty()) {
            send(ex, 404, "text/plain; charset=utf-8", "no picture\n".getBytes(StandardCharsets.UTF_8));
        } else {
            send(ex, 200, "image/jpeg", jpeg.get());
        }
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static void json(HttpExchange ex, int status, JsonBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = ReviewJson.open(bytes)) {
            body.write(g);
        }
        send(ex, status, "application/json; charset=utf-8", bytes.toByteArray());
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReviewServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the review page's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String resourceText(String name) throws IOException {
        return resource(name);
    }

    private static Map<String, String> query(HttpExchange ex) {
        return decode(ex.getRequestURI().getRawQuery());
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("request too large");
        }
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static int number(Map<String, String> form, String key) {
        try {
            return Integer.parseInt(form.getOrDefault(key, ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number");
        }
    }

    private static int parse(String s, int otherwise) {
        try {
            return s == null ? otherwise : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
