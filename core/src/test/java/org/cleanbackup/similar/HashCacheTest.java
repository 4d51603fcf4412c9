package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.cleanbackup.cache.HashCache;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCacheTest {

    @TempDir
    Path dir;

    private MediaFile scanOne(Path file) {
        return new Scanner(ScanOptions.of(List.of(ScanRoot.source(file.getParent())), MediaType.all())).scan()
                .files().stream().filter(f -> f.path().getFileName().equals(file.getFileName())).findFirst().orElseThrow();
    }

    @Test
    void aMovedFileKeepsItsEntryAChangedFileLosesIt() throws IOException {
        Path photo = Files.createDirectories(dir.resolve("a")).resolve("p.jpg");
        Files.writeString(photo, "pixels");
        Path db = dir.resolve("cache.db");
        try (HashCache cache = HashCache.open(db)) {
            cache.store(scanOne(photo), "phash-v1/scalar", "00ff");
        }
        Path moved = Files.createDirectories(dir.resolve("b")).resolve("renamed.jpg");
        Files.move(photo, moved);
        try (HashCache cache = HashCache.open(db)) {
            assertThat(cache.lookup(scanOne(moved), "phash-v1/scalar")).as("same inode, size, time").contains("00ff");
            assertThat(cache.lookup(scanOne(moved), "phash-v2/scalar")).as("another hash version").isEmpty();
            Files.writeString(moved, "pixels, edited");
            assertThat(cache.lookup(scanOne(moved), "phash-v1/scalar")).as("changed file").isEmpty();
            assertThat(cache.prune()).isEqualTo(1);
            assertThat(cache.stats().entries()).isEmpty();
        }
    }

    /** A hash and what was kept beside it come back together, and neither once the file changed. */
    @Test
    void severalAlgorithmsAreLookedUpAtOnceUnderTheSameKey() throws IOException {
        Path photo = Files.writeString(dir.resolve("p.jpg"), "pixels");
        Path other = Files.writeString(dir.resolve("q.jpg"), "other pixels");
        try (HashCache cache = HashCache.open(dir.resolve("cache.db"))) {
            cache.store(scanOne(photo), "phash-v1/scalar", "00ff");
            cache.store(scanOne(photo), "keep-facts-v1", "facts");
            cache.store(scanOne(other), "phash-v1/scalar", "0f0f");
            cache.flush();
            var found = cache.lookupAll(List.of(scanOne(photo), scanOne(other)), List.of("phash-v1/scalar", "keep-facts-v1"));
            assertThat(found.keySet()).containsExactly("phash-v1/scalar", "keep-facts-v1");
            assertThat(found.get("phash-v1/scalar")).containsValues("00ff", "0f0f").hasSize(2);
            assertThat(found.get("keep-facts-v1")).containsOnly(org.assertj.core.api.Assertions.entry(scanOne(photo), "facts"));
            Files.writeString(photo, "pixels, edited");
            found = cache.lookupAll(List.of(scanOne(photo), scanOne(other)), List.of("phash-v1/scalar", "keep-facts-v1"));
            assertThat(found.get("phash-v1/scalar")).containsOnlyKeys(scanOne(other));
            assertThat(found.get("keep-facts-v1")).isEmpty();
        }
    }

    @Test
    void entriesAreWrittenAsTheRunGoes() throws IOException {
        Path db = dir.resolve("cache.db");
        HashCache cache = HashCache.open(db);
        for (int i = 0; i < 300; i++) {
            Path f = dir.resolve("f" + i + ".jpg");
            Files.writeString(f, "x" + i);
            Files.setLastModifiedTime(f, FileTime.fromMillis(1000));
            cache.store(scanOne(f), "phash-v1/scalar", Integer.toHexString(i));
        }
        // No flush, no close: as if the run were killed now. Entries are written every 256, or after a second
        // when the run is slow, so fewer than 256 of the 300 can be waiting: the rest is already on disk.
        try (HashCache other = HashCache.open(db)) {
            assertThat(other.stats().entries().get("phash-v1/scalar")).isGreaterThanOrEqualTo(300L - 255);
        }
        cache.close();
    }

    @Test
    void aCacheThatCannotBeOpenedIsNotLeftOpen() throws IOException {
        Path damaged = dir.resolve("damaged.db");
        Files.write(damaged, "not a database at all, only text".repeat(200).getBytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HashCache.open(damaged))
                .isInstanceOf(HashCache.CacheException.class);
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path real = damaged.toRealPath();
        long open = 0;
        try (var list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    open += Files.readSymbolicLink(fd).equals(real) ? 1 : 0;
                } catch (IOException gone) {
                    // the listing's own descriptor
                }
            }
        }
        assertThat(open).as("descriptors still open on the damaged cache").isZero();
    }
}
