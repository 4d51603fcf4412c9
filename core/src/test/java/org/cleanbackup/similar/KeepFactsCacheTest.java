package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.cache.PerceptualEntries;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.phash.LumaBlock;
import org.cleanbackup.phash.LumaDecoder;
import org.cleanbackup.phash.Orientation;
import org.cleanbackup.phash.PerceptualHasher;
import org.cleanbackup.phash.TestKernel;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second similar search over unchanged files takes everything from the hash cache: no pixels decoded (a counting
 * decoder), no header or metadata read (a counting facts reader); a changed file is read again, and a cache written
 * before the facts were cached still opens.
 */
class KeepFactsCacheTest {

    @TempDir
    Path dir;

    private final Map<Path, AtomicInteger> decodes = new ConcurrentHashMap<>();
    private final Map<Path, AtomicInteger> factReads = new ConcurrentHashMap<>();
    private final Map<Path, AtomicInteger> dateReads = new ConcurrentHashMap<>();
    private PerceptualHasher hasher;
    private Path photos;
    private Path db;

    @BeforeEach
    void threeCopiesOfOnePhoto() throws IOException {
        byte[] pentax;
        try (InputStream in = KeepFactsCacheTest.class.getResourceAsStream("/dates/pentax-2004.jpg")) {
            pentax = in.readAllBytes();
        }
        photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : List.of("IMGP0001.jpg", "copy.jpg", "export.jpg")) {
            // distinct files (bytes after the end of the image), the same picture
            Path f = Files.write(photos.resolve(name), pentax);
            Files.writeString(f, name, StandardOpenOption.APPEND);
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_600_000_000_000L));
        }
        db = dir.resolve("cache.db");
        hasher = PerceptualHasher.of(new TestKernel("test"), List.of(new CountingDecoder()));
    }

    @Test
    void aSecondFindWithAWarmCacheDecodesNothingAndReadsNoMetadata() {
        SimilarImageFinder.Result first = find();
        assertThat(first.hashed()).isEqualTo(3);
        assertThat(total(decodes)).isEqualTo(3);
        assertThat(total(factReads)).isEqualTo(3);
        assertThat(total(dateReads)).isEqualTo(3);
        assertThat(first.groups()).hasSize(1);
        assertThat(first.groups().getFirst().keep().path()).as("the largest of equals").isEqualTo(photos.resolve("IMGP0001.jpg"));

        SimilarImageFinder.Result second = find();
        assertThat(second.fromCache()).isEqualTo(3);
        assertThat(second.hashed()).isZero();
        assertThat(total(decodes)).as("no pixels decoded again").isEqualTo(3);
        assertThat(total(factReads)).as("no header or metadata read again").isEqualTo(3);
        assertThat(total(dateReads)).as("no capture date read again").isEqualTo(3);
        assertThat(second.groups()).usingRecursiveFieldByFieldElementComparator().isEqualTo(first.groups());
        assertThat(second.groups().getFirst().keepReason()).contains("camera original", "Optio S4", "taken 2004-");
    }

    @Test
    void aFileWhoseSizeOrTimeChangedIsReadAgainTheOthersAreNot() throws IOException {
        find();
        Path grown = photos.resolve("copy.jpg");
        Files.writeString(grown, "more", StandardOpenOption.APPEND); // new size
        Path touched = photos.resolve("export.jpg");
        Files.setLastModifiedTime(touched, FileTime.fromMillis(1_700_000_000_000L)); // same size, new time

        SimilarImageFinder.Result second = find();
        assertThat(second.hashed()).isEqualTo(2);
        assertThat(second.fromCache()).isEqualTo(1);
        for (Path changed : List.of(grown, touched)) {
            assertThat(decodes.get(changed)).as("decoded again: " + changed).hasValue(2);
            assertThat(factReads.get(changed)).as("facts read again: " + changed).hasValue(2);
            assertThat(dateReads.get(changed)).as("date read again: " + changed).hasValue(2);
        }
        Path unchanged = photos.resolve("IMGP0001.jpg");
        assertThat(decodes.get(unchanged)).hasValue(1);
        assertThat(factReads.get(unchanged)).hasValue(1);
    }

    /** What comes from a file's name is never taken from the cache: a renamed file keeps its inode and its entry. */
    @Test
    void aRenamedFileKeepsItsCachedFactsButNotWhatItsOldNameSaid() throws IOException {
        find();
        Files.move(photos.resolve("IMGP0001.jpg"), photos.resolve("IMGP0001.png"));
        SimilarImageFinder.Result second = find();
        assertThat(second.fromCache()).isEqualTo(3);
        assertThat(total(factReads)).isEqualTo(3);
        // a .png is an export, not the camera's format: one of the .jpg copies is kept now
        assertThat(second.groups().getFirst().keep().path().getFileName().toString()).endsWith(".jpg");
    }

    /**
     * A cache written before the facts were cached (its table exactly as that version made it, with a hash entry
     * per file) opens, serves its hashes, and its missing facts are read and added.
     */
    @Test
    void aCacheFromBeforeTheFactsOpensAndItsHashesAreStillUsed() throws IOException, SQLException {
        String algorithm = PerceptualEntries.algorithm(hasher.name(), false);
        long bits = hasher.hash(photos.resolve("IMGP0001.jpg")).bits();
        decodes.clear();
        try (Connection old = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = old.createStatement()) {
                st.execute("""
                        CREATE TABLE hashes (
                          device INTEGER NOT NULL,
                          inode INTEGER NOT NULL,
                          algorithm TEXT NOT NULL,
                          size INTEGER NOT NULL,
                          mtime INTEGER NOT NULL,
                          value TEXT NOT NULL,
                          path TEXT NOT NULL,
                          PRIMARY KEY (device, inode, algorithm)) WITHOUT ROWID""");
            }
            try (PreparedStatement ps = old.prepareStatement("INSERT INTO hashes VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (MediaFile f : scan()) {
                    ps.setLong(1, f.id().device());
                    ps.setLong(2, f.id().inode());
                    ps.setString(3, algorithm);
                    ps.setLong(4, f.size());
                    ps.setLong(5, f.lastModified());
                    ps.setString(6, java.util.HexFormat.of().toHexDigits(bits));
                    ps.setString(7, f.path().toString());
                    ps.executeUpdate();
                }
            }
        }
        SimilarImageFinder.Result result = find();
        assertThat(result.fromCache()).isEqualTo(3);
        assertThat(total(decodes)).isZero();
        assertThat(total(factReads)).as("no facts in the old cache: read").isEqualTo(3);
        try (HashCache cache = HashCache.open(db)) {
            assertThat(cache.stats().entries()).containsEntry(algorithm, 3L).containsEntry(KeepFacts.VERSION, 3L);
        }
        find();
        assertThat(total(factReads)).as("and now remembered").isEqualTo(3);
    }

    @Test
    void aDamagedCachedValueIsAMissNotAFailure() {
        KeepFacts facts = new KeepFacts(counting(), new CaptureDates());
        MediaFile f = scan().getFirst();
        assertThat(facts.decode("[1, \"x\"", f)).isNull();
        assertThat(facts.decode("{}", f)).isNull();
        ImageFacts image = new ImageFacts(12, "Cam \"quoted\"\tTab\\n", true, true, null, false, true);
        KeepFacts.Facts back = facts.decode(KeepFacts.encode(image, java.time.LocalDateTime.of(2004, 5, 6, 7, 8, 9)), f);
        assertThat(back.image()).isEqualTo(image);
        assertThat(back.taken()).isEqualTo(java.time.LocalDateTime.of(2004, 5, 6, 7, 8, 9));
    }

    private SimilarImageFinder.Result find() {
        try (HashCache cache = HashCache.open(db)) {
            var options = new SimilarImageFinder.Options(hasher, 10, false, 1, cache, null);
            return new SimilarImageFinder(options, counting()).find(scan(), ProgressListener.NONE);
        }
    }

    private List<MediaFile> scan() {
        return new Scanner(ScanOptions.of(List.of(ScanRoot.source(photos)), MediaType.all())).scan().files();
    }

    private KeepFacts.Reader counting() {
        KeepFacts.Reader files = KeepFacts.files(new CaptureDates());
        return new KeepFacts.Reader() {
            @Override
            public ImageFacts image(Path file) {
                factReads.computeIfAbsent(file, k -> new AtomicInteger()).incrementAndGet();
                return files.image(file);
            }

            @Override
            public CaptureDate date(Path file) throws IOException {
                dateReads.computeIfAbsent(file, k -> new AtomicInteger()).incrementAndGet();
                return files.date(file);
            }
        };
    }

    private static int total(Map<Path, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }


    /** The same gradient for every file, so all of them look alike; counts its decodes per file. */
    private final class CountingDecoder implements LumaDecoder {
        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int priority() {
            return 0;
        }

        @Override
        public String formats() {
            return "any file";
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.empty();
        }

        @Override
        public Optional<LumaBlock> decode(Path file, long maxPixels) {
            decodes.computeIfAbsent(file, k -> new AtomicInteger()).incrementAndGet();
            float[] luma = new float[LumaBlock.LENGTH];
            for (int i = 0; i < luma.length; i++) {
                luma[i] = (i % 32) * 7 + (i / 32) * 3 + (i % 5 == 0 ? 40 : 0);
            }
            return Optional.of(new LumaBlock(luma, Orientation.NORMAL));
        }
    }
}
