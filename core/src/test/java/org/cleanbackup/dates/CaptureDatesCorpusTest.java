package org.cleanbackup.dates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the chosen capture date of every corpus file against exiftool (a second, independent reader),
 * applying the documented order to exiftool's values. Runs when the corpus and exiftool are present (CI installs
 * exiftool); prints the agreement rate recorded in docs/benchmarks.md.
 */
class CaptureDatesCorpusTest {

    private static final Path CORPUS = Path.of(System.getProperty("cleanbackup.corpus", "../../shared/corpus"));
    /** The order of {@link CaptureDate.Source}, in exiftool's names. */
    private static final String[] TAGS = {"-EXIF:DateTimeOriginal", "-EXIF:CreateDate", "-FLIR:DateTimeOriginal",
            "-MakerNotes:DateTimeOriginal", "-Composite:DateTimeCreated", "-IPTC:DateCreated",
            "-XMP-photoshop:DateCreated", "-XMP-xmp:CreateDate", "-Keys:CreationDate", "-QuickTime:CreateDate",
            "-RIFF:DateTimeOriginal", "-IFD0:ModifyDate"};

    @Test
    void everyCorpusFileGetsTheDateExiftoolImplies() throws Exception {
        assumeTrue(Files.isDirectory(CORPUS), "the shared corpus is not here (a user's clone): nothing to cross-check");
        assumeTrue(exiftoolVersion() != null, "exiftool is not installed (apt-get install libimage-exiftool-perl)");
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("photos", "heic", "video", "webp", "fuzzed", "audio")) {
            try (Stream<Path> s = Files.list(CORPUS.resolve(folder))) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        ZoneId zone = ZoneId.systemDefault();
        CaptureDates dates = new CaptureDates();
        int withEmbedded = 0;
        int agree = 0;
        int fuzzedWithDate = 0;
        int fuzzedAgree = 0;
        List<String> disagreements = new ArrayList<>();
        for (Path file : files) {
            CaptureDate ours = dates.read(file); // must never throw, fuzzed files included
            LocalDateTime expected = expectedFromExiftool(file, zone);
            if (expected == null) {
                continue;
            }
            if (file.getParent().endsWith("fuzzed")) {
                // Deliberately damaged metadata: exiftool salvages more than metadata-extractor. Counted apart,
                // not held to agreement (the target is files with a valid embedded date).
                fuzzedWithDate++;
                fuzzedAgree += ours.localTime().truncatedTo(ChronoUnit.SECONDS).equals(expected) ? 1 : 0;
                continue;
            }
            withEmbedded++;
            if (ours.localTime().truncatedTo(ChronoUnit.SECONDS).equals(expected)) {
                agree++;
            } else {
                disagreements.add(file.getFileName() + ": ours " + ours.localTime() + " (" + ours.source().label()
                        + "), exiftool order gives " + expected);
            }
        }
        System.out.printf("capture dates: %d of %d corpus files with a valid embedded date agree with exiftool;"
                + " fuzzed files: %d of %d%n", agree, withEmbedded, fuzzedAgree, fuzzedWithDate);
        assertThat(withEmbedded).isGreaterThan(40);
        assertThat(disagreements).isEmpty();
        assertThat(agree).isEqualTo(withEmbedded);
    }

    private static String exiftoolVersion() {
        try {
            Process p = new ProcessBuilder("exiftool", "-ver").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    /** The first valid value in the documented order, as exiftool reads the tags. */
    private static LocalDateTime expectedFromExiftool(Path file, ZoneId zone) throws Exception {
        List<String> command = new ArrayList<>(List.of("exiftool", "-T", "-api", "QuickTimeUTC"));
        command.addAll(List.of(TAGS));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        String[] values = line.split("\t", -1);
        DateTimeFormatter exif = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
        for (int i = 0; i < values.length; i++) {
            String v = values[i].trim();
            if (v.isEmpty() || v.equals("-")) {
                continue;
            }
            try {
                LocalDateTime local;
                if (TAGS[i].startsWith("-QuickTime")) {
                    local = OffsetDateTime.parse(v, DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ssXXX"))
                            .atZoneSameInstant(zone).toLocalDateTime();
                } else if (v.length() > 19 && (v.charAt(19) == '+' || v.charAt(19) == '-' || v.charAt(19) == 'Z'
                        || v.charAt(19) == '.')) {
                    local = LocalDateTime.parse(v.substring(0, 19), exif); // local time as written, offset aside
                } else if (v.matches("\\d{4}:\\d\\d:\\d\\d \\d\\d:\\d\\d([+-]\\d\\d:\\d\\d|Z)?")) {
                    // XMP may leave out the seconds (issue 121.jpg: "2011:06:14 15:47+02:00")
                    local = LocalDateTime.parse(v.substring(0, 16), DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm"));
                } else if (v.length() == 10) {
                    local = java.time.LocalDate.parse(v, DateTimeFormatter.ofPattern("yyyy:MM:dd")).atStartOfDay();
                } else {
                    local = LocalDateTime.parse(v.length() > 19 ? v.substring(0, 19) : v, exif);
                }
                if (local.getYear() >= 1970 && local.isBefore(LocalDateTime.now().plusDays(1))) {
                    return local;
                }
            } catch (DateTimeParseException e) {
                // junk: try the next tag, as the reader does
            }
        }
        return null;
    }
}
