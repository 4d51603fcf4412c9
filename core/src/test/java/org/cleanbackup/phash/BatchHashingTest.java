package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BatchHashingTest {

    @Test
    void badFilesBecomeProblemsAndTheOthersAreStillHashedInOrder() throws Exception {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Path p = Path.of("img" + i + ".jpg");
            files.add(p);
            switch (i % 4) {
                case 1 -> t.files.put(p, new ImageDecodeException(p, "truncated JPEG\n(premature end)"));
                case 2 -> t.files.put(p, new IllegalStateException("decoder bug"));
                case 3 -> { } // missing: NoSuchFileException
                default -> t.files.put(p, new LumaBlock(KnownAnswers.input(i % 3), Orientation.NORMAL));
            }
        }
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        List<HashResult> results = k.hashAll(files, 3, r -> seen.add(r.path()));

        assertThat(results).extracting(HashResult::path).containsExactlyElementsOf(files);
        assertThat(seen).hasSize(40);
        for (int i = 0; i < 40; i++) {
            HashResult r = results.get(i);
            switch (i % 4) {
                case 0 -> assertThat(((HashResult.Hashed) r).hash().hex()).isEqualTo(KnownAnswers.EXPECTED[i % 3]);
                case 1 -> assertThat(((HashResult.Failed) r).message()).isEqualTo("truncated JPEG (premature end)");
                case 2 -> assertThat(((HashResult.Failed) r).message()).isEqualTo("decoding the image failed (IllegalStateException: decoder bug)");
                default -> assertThat(((HashResult.Failed) r).problem().toString()).startsWith("img" + i + ".jpg: ");
            }
        }
    }

    @Test
    void aFailingProgressCallbackDoesNotLoseResults() throws Exception {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        Path p = Path.of("a.jpg");
        t.files.put(p, new LumaBlock(KnownAnswers.input(0), Orientation.NORMAL));
        List<HashResult> results = k.hashAll(List.of(p, p), 2, r -> {
            throw new RuntimeException("progress bar broke");
        });
        assertThat(results).hasSize(2).allMatch(r -> r instanceof HashResult.Hashed);
    }

    @Test
    void emptyInputAndBadThreadCount() throws Exception {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        assertThat(k.hashAll(List.of())).isEmpty();
        assertThatThrownBy(() -> k.hashAll(List.of(Path.of("x")), 0, r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileHashAppliesTheExifOrientation() throws Exception {
        TestKernel t = new TestKernel("t");
        PerceptualHasher k = t.hasher();
        float[] stored = KnownAnswers.input(1);
        Path p = Path.of("turned.jpg");
        t.files.put(p, new LumaBlock(stored, Orientation.ROTATE_90));
        // shown upright = the stored pixels turned clockwise
        assertThat(k.hash(p)).isEqualTo(k.hashBlock(Orientation.ROTATE_90.applyToPixels(stored, 32)));
        assertThat(k.hashOrientations(p).upright()).isEqualTo(k.hash(p));
    }
}
