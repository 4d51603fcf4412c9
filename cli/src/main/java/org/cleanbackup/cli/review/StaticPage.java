package org.cleanbackup.cli.review;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code --html FILE}: the review as one file to keep or share. The thumbnails are embedded ({@code data:} URIs), the
 * style and script are inline, and a Content-Security-Policy names them by their SHA-256, so the file runs no other
 * script and loads nothing from anywhere ({@code default-src 'none'}). Read-only: there is no server to apply to.
 * The same rendering code as the served page ({@code render.js}), without its module syntax (a page opened from
 * {@code file:} may not import modules).
 */
final class StaticPage {

    private StaticPage() {
    }

    static void write(Review review, Path file) throws IOException {
        StringWriter data = new StringWriter();
        try (JsonGenerator g = ReviewJson.open(data)) {
            g.writeStartObject();
            g.writeFieldName("summary");
            ReviewJson.summary(g, review);
            g.writeFieldName("page");
            ReviewJson.page(g, review, review.entries(), 0, review.size(), true);
            g.writeEndObject();
        }
        String style = ReviewServer.resourceText("style.css");
        String script = ReviewServer.resourceText("render.js").replaceAll("(?m)^export ", "")
                + "\n" + ReviewServer.resourceText("report.js");
        String csp = "default-src 'none'; img-src data:; style-src '" + sha256(style) + "'; script-src '"
                + sha256(script) + "'; base-uri 'none'; form-action 'none'";
        // "</" inside the data block would end it early; JSON allows the escaped slash
        String json = data.toString().replace("</", "<\\/");
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp + "\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Clean-Backup review (read-only)</title>\n<style>" + style + "</style>\n</head>\n"
                + "<body class=\"static\">\n<header><h1>Clean-Backup review</h1><p id=\"summary\"></p></header>\n"
                + "<main id=\"groups\"></main>\n"
                + "<script type=\"application/json\" id=\"data\">" + json + "</script>\n"
                + "<script>" + script + "</script>\n</body>\n</html>\n";
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".review-", ".html.part");
        try {
            Files.writeString(temp, html, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
