package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An inbox of photos and videos into a Year/Month library, through the real command. */
class OrganizeCommandTest {

    @TempDir
    Path dir;

    private Path inbox;
    private Path library;
    private String stdout;
    private String stderr;

    private void media(String resource, Path target, String mtime) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/media/" + resource)) {
            Files.copy(in, target);
        }
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse(mtime)));
    }

    /** A real picture with no date inside, each {@code seed} another picture. */
    private static void undated(String format, Path target, int seed, String mtime) throws IOException {
        Files.createDirectories(target.getParent());
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(24, 16,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(seed, seed, 0xFFFFFF);
        javax.imageio.ImageIO.write(image, format, target.toFile());
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse(mtime)));
    }

    /** The smallest QuickTime file a reader recognises: its file-type box, and no date. */
    private static byte[] quickTimeWithoutDate() {
        return java.nio.ByteBuffer.allocate(28).putInt(20).put("ftypqt  ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(0x200).put("qt  ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(8)
                .put("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array();
    }

    @BeforeEach
    void inbox() throws IOException {
        inbox = dir.resolve("inbox");
        library = dir.resolve("library");
        media("pentax-2004.jpg", inbox.resolve("camera/P1000.jpg"), "2020-01-01T00:00:00Z");   // EXIF 2004-09
        media("ricoh-1997.jpg", inbox.resolve("camera/R0001.jpg"), "2020-01-01T00:00:00Z");    // EXIF 1997-02
        media("pentax-2004.jpg", inbox.resolve("backup/P1000 (1).jpg"), "2021-01-01T00:00:00Z"); // same content
        undated("jpeg", inbox.resolve("phone/IMG_20210315_101010.jpg"), 1, "2022-01-01T00:00:00Z"); // name date
        Files.writeString(inbox.resolve("phone/IMG_20210315_101010.xmp"), "<x:xmpmeta/>");       // sidecar
        // A Live Photo: the video's own time (file time, 2023-12) must not pull it away from its still.
        undated("jpeg", inbox.resolve("phone/IMG_0042.JPG"), 2, "2020-01-01T00:00:00Z");        // dated by file time
        Files.write(inbox.resolve("phone/IMG_0042.MOV"), quickTimeWithoutDate());
        Files.setLastModifiedTime(inbox.resolve("phone/IMG_0042.MOV"), FileTime.from(Instant.parse("2023-12-31T12:00:00Z")));
        undated("png", inbox.resolve("old/scan.png"), 3, "1969-07-20T20:17:00Z");                 // junk time
    }

    private int run(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = args[0];
        System.arraycopy(new String[] {"--journal", dir.resolve("j.db").toString(), "--log-file",
                dir.resolve("log").toString()}, 0, all, 1, 4);
        System.arraycopy(args, 1, all, 5, args.length - 1);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), all);
        stdout = o.toString();
        stderr = e.toString();
        return code;
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        if (!Files.exists(root)) {
            return tree;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                tree.put(root.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + "@"
                        + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return tree;
    }

    @Test
    void importsByCaptureDateOnceEachWithCompanionsAndUndoes() throws IOException {
        Map<String, String> before = tree(inbox);
        int code = run("organize", inbox.toString(), library.toString());
        assertThat(code).as(stderr).isZero();

        assertThat(library.resolve("2004/09/P1000.jpg")).exists();
        assertThat(library.resolve("1997/02/R0001.jpg")).exists();
        assertThat(library.resolve("2021/03/IMG_20210315_101010.jpg")).exists();
        assertThat(library.resolve("2021/03/IMG_20210315_101010.xmp")).as("sidecar follows").exists();
        assertThat(library.resolve("2020/01/IMG_0042.JPG")).exists();
        assertThat(library.resolve("2020/01/IMG_0042.MOV")).as("Live Photo video beside its still").exists();
        assertThat(library.resolve("unknown/old/scan.png")).as("junk time: unknown/, relative path kept").exists();
        assertThat(tree(library)).as("the copy with the (1) name is not imported twice").hasSize(7);
        assertThat(Files.getLastModifiedTime(library.resolve("2004/09/P1000.jpg")).toInstant())
                .isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(tree(inbox)).as("copy is the default: sources untouched").isEqualTo(before);
        assertThat(stdout).contains("Skipped 1").contains("unknown/: 1");

        // A second import of the same inbox brings nothing new; the sidecar of a photo already there is not an orphan.
        assertThat(run("organize", inbox.toString(), library.toString())).isZero();
        assertThat(stdout).contains("Changes made: none.\nSkipped:\n  skip     ")
                .contains("0 file(s)").contains("already in the destination")
                .contains("Skipped 1: sidecar of a media file that is not imported").doesNotContain("without its media");

        assertThat(run("undo", "1")).isZero();
        assertThat(tree(library)).isEmpty();
        assertThat(library).as("folders the run made are gone").doesNotExist();
    }

    @Test
    void moveThenUndoRestoresTheInboxExactly() throws IOException {
        Map<String, String> before = tree(inbox);
        assertThat(run("organize", "--move", "--layout", "{yyyy}/{MM}-{MMMM}", inbox.toString(), library.toString()))
                .as(stderr).isZero();
        assertThat(library.resolve("2004")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("09-"));
        assertThat(tree(inbox)).as("only the skipped duplicate stays").hasSize(1);
        assertThat(run("undo")).isZero();
        assertThat(tree(inbox)).isEqualTo(before);
    }

    @Test
    void theSameNameWithOtherContentGetsAFreeName() throws IOException {
        Files.createDirectories(library.resolve("2004/09"));
        undated("jpeg", library.resolve("2004/09/P1000.jpg"), 9, "2020-01-01T00:00:00Z");
        byte[] other = Files.readAllBytes(library.resolve("2004/09/P1000.jpg"));
        assertThat(run("organize", inbox.toString(), library.toString())).isZero();
        assertThat(library.resolve("2004/09/P1000.jpg")).hasBinaryContent(other);
        assertThat(library.resolve("2004/09/P1000_1.jpg")).exists();
        assertThat(stdout).as("the change names the free name it used").contains("Changes made:\n")
                .contains(" -> " + library.toAbsolutePath().resolve("2004/09/P1000_1.jpg") + "  (taken ");
    }

    @Test
    void aSidecarTakesTheFreeNameItsPhotoGets() throws IOException {
        undated("jpeg", library.resolve("2021/03/IMG_20210315_101010.jpg"), 9, "2020-01-01T00:00:00Z");
        assertThat(run("organize", inbox.toString(), library.toString())).as(stderr).isZero();
        assertThat(library.resolve("2021/03/IMG_20210315_101010_1.jpg")).exists();
        assertThat(library.resolve("2021/03/IMG_20210315_101010_1.xmp")).hasContent("<x:xmpmeta/>");
        assertThat(library.resolve("2021/03/IMG_20210315_101010.xmp")).doesNotExist();
    }

    @Test
    void refusesADestInsideTheSourceAndBadLayouts() throws IOException {
        assertThat(run("organize", inbox.toString(), inbox.resolve("library").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("inside SOURCE");
        assertThat(run("organize", "--move", inbox.resolve("camera").toString(), inbox.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("is inside DEST");
        assertThat(run("organize", "--layout", "{yyyy}/{week}", inbox.toString(), library.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(stderr).contains("{week}");
        assertThat(library).doesNotExist();
    }

    @Test
    void dryRunShowsThePlanAndChangesNothing() throws IOException {
        Map<String, String> before = tree(dir);
        assertThat(run("organize", "--dry-run", inbox.toString(), library.toString())).isZero();
        assertThat(stdout).contains("Would have copied 7").contains("EXIF DateTimeOriginal").contains("file name");
        Map<String, String> after = tree(dir);
        after.keySet().removeIf(k -> k.startsWith("log"));
        before.keySet().removeIf(k -> k.startsWith("log"));
        assertThat(after).isEqualTo(before);
    }

    private static byte[] box(String type, byte[]... children) {
        int size = 8;
        for (byte[] c : children) {
            size += c.length;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(size);
        b.putInt(size).put(type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        for (byte[] c : children) {
            b.put(c);
        }
        return b.array();
    }

    /**
     * Hostile videos beside good photos: a sample table claiming 2^31 entries (metadata-extractor pre-sizes a list
     * from it and ran out of memory, which ended the whole run) and 10,000 nested boxes (a stack overflow). Each is
     * named once as a problem, filed by its name or file time; the good photos are filed by their EXIF date; the
     * sources are unchanged; exit code 1.
     */
    @Test
    void hostileVideosAreProblemsAndTheGoodPhotosBesideThemAreFiled() throws IOException {
        byte[] ftyp = box("ftyp", "isom".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), new byte[4]);
        byte[] stts = box("stts", java.nio.ByteBuffer.allocate(16).putInt(0).putInt(Integer.MAX_VALUE).putInt(1)
                .putInt(1).array());
        Files.write(inbox.resolve("phone/VID_20190305_101010.mp4"), java.nio.ByteBuffer.allocate(1 << 12)
                .put(ftyp).put(box("moov", box("trak", box("mdia", box("minf", box("stbl", stts)))))).array());
        byte[] deep = box("udta");
        for (int i = 0; i < 10_000; i++) {
            deep = box("moov", deep);
        }
        Files.write(inbox.resolve("phone/deep.mov"), java.nio.ByteBuffer.allocate(ftyp.length + deep.length).put(ftyp)
                .put(deep).array());
        Map<String, String> before = tree(inbox);

        int code = run("organize", "--copy", inbox.toString(), library.toString());

        assertThat(code).isEqualTo(1);
        assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(stderr.lines().filter(l -> l.startsWith("problem:") && l.contains("VID_20190305_101010.mp4")))
                .singleElement().asString().contains("'stts' table claims 2147483647 entries");
        assertThat(stderr.lines().filter(l -> l.startsWith("problem:") && l.contains("deep.mov")))
                .singleElement().asString().contains("nested more than");
        assertThat(library.resolve("2004/09/P1000.jpg")).exists();
        assertThat(library.resolve("1997/02/R0001.jpg")).exists();
        assertThat(library.resolve("2019/03/VID_20190305_101010.mp4")).exists(); // by its name
        assertThat(tree(inbox)).isEqualTo(before);
    }

    /**
     * A song and a text named as photos, an empty file, a PDF and a link: the first two are problems and stay where
     * they are (not filed by their file time as if they were photos); the summary counts what was left out and why.
     */
    @Test
    void whatIsNotAPhotoIsAProblemAndWhatWasLeftOutIsCounted() throws IOException {
        media("chirp-1.mp3", inbox.resolve("misc/song.jpg"), "2022-01-01T00:00:00Z");
        Files.writeString(inbox.resolve("misc/notes.png"), "a shopping list");
        Files.createFile(inbox.resolve("misc/empty.jpg"));
        Files.writeString(inbox.resolve("misc/manual.pdf"), "%PDF-1.4");
        media("chirp-2.mp3", inbox.resolve("misc/tune.mp3"), "2022-01-01T00:00:00Z");
        Files.createSymbolicLink(inbox.resolve("misc/link.jpg"), inbox.resolve("camera/P1000.jpg"));

        assertThat(run("organize", inbox.toString(), library.toString())).isEqualTo(ExitCodes.PROBLEMS);

        assertThat(stderr).contains("problem: " + inbox.resolve("misc/song.jpg")
                + ": not a photo although named .jpg: its content is MPEG Audio Layer III");
        assertThat(stderr).contains("problem: " + inbox.resolve("misc/notes.png")
                + ": not a photo although named .png: its content is not a format this tool knows");
        assertThat(inbox.resolve("misc/song.jpg")).exists();
        assertThat(tree(library).keySet()).noneMatch(k -> k.contains("song") || k.contains("notes"));
        assertThat(stdout).contains("Skipped 2: not the photo or video its name says")
                .contains("Left out: 2 files of other types (.mp3: 1, .pdf: 1), 1 empty file, 1 link or special file"
                        + " (not followed).");
        assertThat(library.resolve("2004/09/P1000.jpg")).as("the good photos are filed").exists();
    }
}
