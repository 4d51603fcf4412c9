package org.cleanbackup.names;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleanbackup.model.MediaType;
import org.cleanbackup.scan.ScanOptions;
import org.cleanbackup.scan.ScanRoot;
import org.cleanbackup.scan.Scanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameCopyFinderTest {

    @TempDir
    Path dir;

    @Test
    void aCopyNameCountsOnlyWithItsOriginalBesideItAndIsCompared() throws IOException {
        Files.writeString(dir.resolve("IMG_1.jpg"), "photo one");
        Files.writeString(dir.resolve("IMG_1 (1).jpg"), "photo one");        // identical copy
        Files.writeString(dir.resolve("IMG_2.jpg"), "photo two");
        Files.writeString(dir.resolve("IMG_2 - Copy.jpg"), "photo two, edited"); // same name pattern, other content
        Files.writeString(dir.resolve("Track (1) - Intro.mp3"), "music");     // look-alike, no original
        Files.writeString(dir.resolve("Song (1).mp3"), "music");              // copy name, no original beside it
        Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(dir.resolve("elsewhere/Song.mp3"), "music");        // original in another folder: no

        var files = new Scanner(ScanOptions.of(List.of(ScanRoot.source(dir)), MediaType.all())).scan().files();
        var result = new NameCopyFinder().find(files);

        assertThat(result.copies()).extracting(c -> c.copy().path().getFileName().toString() + " -> "
                        + c.original().path().getFileName() + " " + c.verdict())
                .containsExactlyInAnyOrder("IMG_1 (1).jpg -> IMG_1.jpg IDENTICAL",
                        "IMG_2 - Copy.jpg -> IMG_2.jpg DIFFERENT");
    }
}
