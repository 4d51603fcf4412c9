package org.cleanbackup.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.cleanbackup.hash.ContentHashers;
import org.cleanbackup.model.ProgressListener;
import org.cleanbackup.model.MediaFile;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExactDuplicateFinderTest {

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path write(String name, byte[] content, long mtimeMillis) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeMillis));
        return file;
    }

    private ExactDuplicateFinder.Result find(KeepPolicy keep, long maxHashBytes, ScanRoot... roots) {
        var scan = new Scanner(ScanOptions.of(List.of(roots), MediaType.all())).scan();
        return new ExactDuplicateFinder(new ExactDuplicateFinder.Options(ContentHashers.defaultHasher(), maxHashBytes,
                2, keep)).find(scan.files(), ProgressListener.NONE);
    }

    private static Set<Path> paths(DuplicateGroup g) {
        var all = new java.util.HashSet<Path>();
        all.add(g.keep().path());
        g.duplicates().forEach(f -> all.add(f.path()));
        g.protectedCopies().forEach(f -> all.add(f.path()));
        return all;
    }

    @ParameterizedTest(name = "files of {0} bytes that differ only at the {1}")
    @ValueSource(ints = {1, 100, 4096, 4097, 8192, 8193, 100_000, 3_000_000})
    void sameSizeFilesThatDifferAnywhereAreNotDuplicates(int size) throws IOException {
        byte[] original = random(size, size);
        Path a = write("a/song.mp3", original, 1000);
        Path copy = write("b/song.mp3", original, 2000);
        for (int position : new int[] {0, size / 2, size - 1}) {
            byte[] changed = original.clone();
            changed[position] ^= 1;
            write("c/changed-at-" + position + ".mp3", changed, 3000);
        }
        var result = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));
        assertThat(result.groups()).hasSize(1);
        assertThat(paths(result.groups().getFirst())).containsExactlyInAnyOrder(a.toRealPath(), copy.toRealPath());
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void referenceFilesAreKeptAndNeverDuplicates() throws IOException {
        byte[] content = random(50_000, 1);
        Path ref = write("library/a.mp3", content, 5000); // newer than the copies: only the reference rule keeps it
        Path ref2 = write("library/again/a.mp3", content, 6000);
        Path dup = write("inbox/a.mp3", content, 1000);
        var result = find(KeepPolicy.OLDEST, 0, ScanRoot.reference(dir.resolve("library")),
                ScanRoot.source(dir.resolve("inbox")));
        DuplicateGroup group = result.groups().getFirst();
        assertThat(group.keep().path()).isEqualTo(ref.toRealPath());
        assertThat(group.keepReason()).contains("reference");
        assertThat(group.protectedCopies()).extracting(MediaFile::path).containsExactly(ref2.toRealPath());
        assertThat(group.duplicates()).extracting(MediaFile::path).containsExactly(dup.toRealPath());
    }

    @Test
    void keepPoliciesChooseTheExpectedCopy() throws IOException {
        byte[] content = random(10_000, 2);
        Path oldest = write("z/deep/er/old.mp3", content, 1000);
        Path newest = write("a/new.mp3", content, 9000);
        write("m/mid.mp3", content, 5000);
        assertThat(find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir)).groups().getFirst().keep().path())
                .isEqualTo(oldest.toRealPath());
        assertThat(find(KeepPolicy.NEWEST, 0, ScanRoot.source(dir)).groups().getFirst().keep().path())
                .isEqualTo(newest.toRealPath());
        assertThat(find(KeepPolicy.SHORTEST_PATH, 0, ScanRoot.source(dir)).groups().getFirst().keep().path())
                .isEqualTo(newest.toRealPath());
    }

    @Test
    void hardLinksToOneFileAreNeverDuplicatesOfEachOther() throws IOException {
        byte[] content = random(20_000, 3);
        Path original = write("a/x.mp3", content, 1000);
        Path link = dir.resolve("b/x-link.mp3");
        Files.createDirectories(link.getParent());
        Files.createLink(link, original);
        var onlyLinks = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));
        assertThat(onlyLinks.groups()).as("two names of one inode free nothing").isEmpty();

        Path copy = write("c/x.mp3", content, 2000);
        var result = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));
        assertThat(result.groups()).hasSize(1);
        DuplicateGroup group = result.groups().getFirst();
        assertThat(group.duplicates()).extracting(MediaFile::path).containsExactly(copy.toRealPath());
        assertThat(group.hardLinks()).hasSize(1);
        assertThat(group.reclaimableBytes()).isEqualTo(20_000);
    }

    @Test
    void aDuplicateWithAnotherHardLinkFreesNothing() throws IOException {
        byte[] content = random(20_000, 6);
        Path original = write("a/x.mp3", content, 1000);
        Path copy = write("c/x.mp3", content, 2000);
        Path link = dir.resolve("d/x-link.mp3");
        Files.createDirectories(link.getParent());
        Files.createLink(link, copy);

        DuplicateGroup group = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir)).groups().getFirst();

        assertThat(group.keep().path()).isEqualTo(original.toRealPath());
        assertThat(group.duplicates()).hasSize(1);
        assertThat(group.hardLinks()).hasSize(1);
        assertThat(group.reclaimableBytes()).as("the other name keeps the data").isZero();
    }

    @Test
    void progressCountsEveryCandidateByteOnceWhateverStageSettlesIt() throws IOException {
        for (int size : new int[] {100, 4096, 10_000, 200_000, 2_000_000}) {
            byte[] content = random(size, size);
            write("s" + size + "/a.mp3", content, 1000);
            write("s" + size + "/b.mp3", content, 1000);
            byte[] other = content.clone();
            other[size - 1] ^= 1;
            write("s" + size + "/c.mp3", other, 1000);
        }
        write("unique.mp3", random(77, 9), 1000);
        Path linked = write("linked/a.mp3", random(5000, 5), 1000); // a pair of names of one file: folded, not read
        Files.createLink(dir.resolve("linked/b.mp3"), linked);
        var totals = new java.util.concurrent.atomic.AtomicLong();
        var done = new java.util.concurrent.atomic.AtomicLong();
        ProgressListener progress = new ProgressListener() {
            @Override
            public void phase(String name, long total, String unit) {
                totals.addAndGet(total);
            }

            @Override
            public void advance(long amount) {
                done.addAndGet(amount);
            }
        };
        var scan = new Scanner(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all())).scan();
        var result = new ExactDuplicateFinder(new ExactDuplicateFinder.Options(ContentHashers.defaultHasher(), 0, 2,
                KeepPolicy.OLDEST)).find(scan.files(), progress);

        assertThat(result.groups()).hasSize(5);
        assertThat(totals.get()).isEqualTo(3L * (100 + 4096 + 10_000 + 200_000 + 2_000_000) + 2 * 5000);
        assertThat(done.get()).isEqualTo(totals.get());
    }

    private MediaFile file(String name, long size) {
        return new MediaFile(dir.resolve(name), dir, false, size, 0, null);
    }

    private MediaFile linked(String name, long device, long inode) {
        return new MediaFile(dir.resolve(name), dir, false, 10, 0, new org.cleanbackup.model.FileId(device, inode));
    }

    @Test
    void aRepeatedIdIsSeenInLargeGroupsAsInSmallOnes() {
        for (int size : new int[] {5, 40, 300}) {
            var distinct = new java.util.ArrayList<MediaFile>();
            for (int i = 0; i < size; i++) {
                distinct.add(linked("f" + i, 1, 1000 - i)); // descending: the check must not rely on scan order
            }
            distinct.add(file("no-id", 10));
            distinct.add(file("no-id-either", 10));
            assertThat(ExactDuplicateFinder.distinctInodes(distinct)).as("%d files, no id twice", size).isTrue();

            var withLink = new java.util.ArrayList<>(distinct);
            withLink.add(linked("link", 1, 1000 - size / 2));
            assertThat(ExactDuplicateFinder.distinctInodes(withLink)).as("%d files and a hard link", size).isFalse();
        }
    }

    @Test
    void hardLinksAreFoldedInAGroupOfManyFilesOfOneSize() throws IOException {
        // More files of one size than the pairwise check takes: the sorted check must find the link.
        for (int i = 0; i < 40; i++) {
            write("many/f" + i + ".mp3", random(3000, 100 + i), 1000);
        }
        Path original = write("many/x.mp3", random(3000, 7), 1000);
        Files.createLink(dir.resolve("many/x-link.mp3"), original);
        Path copy = write("other/x.mp3", random(3000, 7), 2000);

        var result = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));

        assertThat(result.groups()).hasSize(1);
        DuplicateGroup group = result.groups().getFirst();
        assertThat(group.duplicates()).extracting(MediaFile::path).containsExactly(copy.toRealPath());
        assertThat(group.hardLinks()).hasSize(1);
    }

    @Test
    void filesAreSortedLargestFirstAndInScanOrderWithinASize() {
        Random random = new Random(42);
        MediaFile[] files = new MediaFile[5000];
        for (int i = 0; i < files.length; i++) {
            files[i] = file("f" + i, random.nextInt(300)); // many ties
        }
        MediaFile[] expected = files.clone();
        Arrays.sort(expected, (a, b) -> Long.compare(b.size(), a.size())); // a stable sort

        assertThat(ExactDuplicateFinder.sortedBySize(files)).containsExactly(expected);
        assertThat(files[0].path()).as("the input is left as it was").isEqualTo(dir.resolve("f0"));
    }

    @Test
    void sizesTooLargeToPackWithThePositionAreStillSortedStably() {
        MediaFile[] files = {file("a", 5), file("b", Long.MAX_VALUE - 1), file("c", 5), file("d", 1L << 62),
            file("e", Long.MAX_VALUE - 1)};

        assertThat(ExactDuplicateFinder.sortedBySize(files)).extracting(f -> f.path().getFileName().toString())
                .containsExactly("b", "e", "d", "a", "c");
    }

    @Test
    void maxHashBytesComparesOnlyTheStartAndSaysSo() throws IOException {
        byte[] a = random(100_000, 4);
        byte[] b = a.clone();
        b[50_000] ^= 1; // differs in the middle: prefix and suffix agree, only the full hash tells
        write("a.mp3", a, 1000);
        write("b.mp3", b, 1000);
        var whole = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));
        assertThat(whole.groups()).isEmpty();
        assertThat(whole.partialHash()).isFalse();
        var partial = find(KeepPolicy.OLDEST, 10_000, ScanRoot.source(dir));
        assertThat(partial.groups()).hasSize(1);
        assertThat(partial.partialHash()).isTrue();
    }

    @Test
    void withMaxHashBytesTheLastBytesOfLargeFilesDoNotCountEither() throws IOException {
        byte[] a = random(300_000, 8);
        byte[] b = a.clone();
        b[299_999] ^= 1; // differs only in its last byte, after the first 200,000
        write("a.mp3", a, 1000);
        write("b.mp3", b, 1000);
        assertThat(find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir)).groups()).isEmpty();
        var partial = find(KeepPolicy.OLDEST, 200_000, ScanRoot.source(dir));
        assertThat(partial.groups()).hasSize(1);
        assertThat(partial.partialHash()).isTrue();
    }

    @Test
    void aFileRemovedOrChangedDuringTheRunIsAProblemNotAGroupMember() throws IOException {
        byte[] content = random(30_000, 5);
        write("a.mp3", content, 1000);
        write("b.mp3", content, 1000);
        Path vanishing = write("c.mp3", content, 1000);
        Path growing = write("d.mp3", content, 1000);
        var scan = new Scanner(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all())).scan();
        Files.delete(vanishing);
        Files.write(growing, Arrays.copyOf(content, content.length + 10));
        var result = new ExactDuplicateFinder(ExactDuplicateFinder.Options.defaults()).find(scan.files(),
                ProgressListener.NONE);
        assertThat(result.groups()).hasSize(1);
        assertThat(paths(result.groups().getFirst())).hasSize(2);
        assertThat(result.problems()).extracting(p -> p.path().getFileName().toString())
                .containsExactlyInAnyOrder("c.mp3", "d.mp3");
        assertThat(result.problems()).allSatisfy(p -> assertThat(p.message()).doesNotContain("Exception"));
    }

    @Test
    void everyAlgorithmFindsTheSameGroups() throws IOException {
        byte[] content = random(9_000, 6);
        write("a.mp3", content, 1000);
        write("b.mp3", content, 1000);
        write("c.mp3", random(9_000, 7), 1000);
        var scan = new Scanner(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all())).scan();
        for (String algorithm : List.of("xxh3", "md5", "sha256")) {
            var result = new ExactDuplicateFinder(new ExactDuplicateFinder.Options(ContentHashers.byName(algorithm),
                    0, 1, KeepPolicy.FIRST)).find(scan.files(), ProgressListener.NONE);
            assertThat(result.groups()).as(algorithm).hasSize(1);
            assertThat(result.groups().getFirst().hash().algorithm()).isEqualTo(algorithm);
        }
    }

    @Test
    void onATieThePlainNameIsKeptNotTheCopyName() throws IOException {
        byte[] content = random(3000, 8);
        Path plain = write("IMG_1.jpg", content, 1000);
        write("IMG_1 (1).jpg", content, 1000);
        write("IMG_1 - Copy.jpg", content, 1000);
        var result = find(KeepPolicy.OLDEST, 0, ScanRoot.source(dir));
        assertThat(result.groups().getFirst().keep().path()).isEqualTo(plain.toRealPath());
    }
}
