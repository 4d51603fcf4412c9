package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guided menu, driven as a person would: the real command in a pseudo-terminal ({@link Terminal}: tmux), keys
 * sent, the screen read back. CI installs tmux; without it the test is skipped and says why. Without a terminal:
 * {@link GuidedModeTest}.
 */
class GuidedModeIT {

    @TempDir
    Path dir;

    @Test
    void organizeThenSimilarDedupeThenUndoThenQuit() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path library = dir.resolve("Library");
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(11, 900, 600), inbox.resolve("IMG_20190504_101010.jpg"), 0.9f);
        SimilarDedupeTest.jpeg(SimilarDedupeTest.resized(SimilarDedupeTest.scene(11, 900, 600), 0.5),
                inbox.resolve("IMG_20190504_101010-small.jpg"), 0.9f);
        SimilarDedupeTest.jpeg(SimilarDedupeTest.scene(12, 900, 600), inbox.resolve("IMG_20200101_090000.jpg"), 0.9f);

        try (Terminal t = Terminal.start(dir)) {
            menu(t, inbox, library);
        }
    }

    private void menu(Terminal t, Path inbox, Path library) throws Exception {
        t.waitFor("Choice [q]:", 0);
        t.keys("1");
        t.waitFor("Folder to import from", 0);
        t.keys(inbox.toString());
        t.waitFor("Library folder to import into", 0);
        t.keys(library.toString());
        t.waitFor("Move the files instead", 0);
        t.keys("n");
        String preview = t.waitFor("Do it? (y/N)", 0);
        assertThat(preview).contains("Dry run").contains("2019/05");
        assertThat(library).as("nothing before the yes").doesNotExist();
        t.keys("y");
        t.waitFor("Journal session 1", 0);
        assertThat(library.resolve("2019/05/IMG_20190504_101010.jpg")).exists();
        assertThat(library.resolve("2020/01/IMG_20200101_090000.jpg")).exists();

        t.waitFor("Choice [q]:", 1);
        t.keys("2");
        t.waitFor("Which duplicates?", 0);
        t.keys("s");
        t.waitFor("Folder to search", 0);
        t.keys(inbox.toString());
        t.waitFor("protected reference folder", 0);
        t.keys("");
        t.waitFor("Then: r = only report", 0);
        t.keys("d");
        String similar = t.waitFor("Do it? (y/N)", 1);
        assertThat(similar).contains("IMG_20190504_101010-small.jpg").contains("1 duplicate");
        t.keys("y");
        t.waitFor("Journal session 2", 0);
        assertThat(inbox.resolve("IMG_20190504_101010-small.jpg")).as("in the trash now").doesNotExist();

        t.waitFor("Choice [q]:", 2);
        t.keys("4");
        t.waitFor("Session to undo", 0);
        t.keys("");
        t.waitFor("Undo it now?", 0);
        t.keys("y");
        t.waitFor("This undo is session 3", 0);
        assertThat(inbox.resolve("IMG_20190504_101010-small.jpg")).as("back from the trash").exists();

        t.waitFor("Choice [q]:", 3);
        t.keys("5");
        t.waitFor("Folder to compress", 0);
        t.keys(inbox.toString());
        t.waitFor("Level: 1 = high quality", 0);
        t.keys("3");
        t.waitFor("Replace the originals", 0);
        t.keys("n");
        Path small = dir.resolve("small");
        t.waitFor("Folder to write the smaller copies to", 0);
        t.keys(small.toString());
        String compressPreview = t.waitFor("Do it? (y/N)", 2);
        assertThat(compressPreview).contains("Dry run").contains("level 3");
        assertThat(small).as("nothing before the yes").doesNotExist();
        t.keys("y");
        t.waitFor("Journal session 4", 0);
        assertThat(small.resolve("IMG_20190504_101010.jpg")).exists();

        t.waitFor("Choice [q]:", 4);
        t.keys("q");
        String end = t.waitFor("EXITED", 0);
        assertThat(end).contains("Bye.").contains("EXITED 0");
        List<String> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(inbox)) {
            s.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertThat(left).containsExactlyInAnyOrder("IMG_20190504_101010.jpg", "IMG_20190504_101010-small.jpg",
                "IMG_20200101_090000.jpg");
    }
}
