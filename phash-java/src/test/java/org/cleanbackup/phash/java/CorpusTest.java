package org.cleanbackup.phash.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cleanbackup.phash.HashResult;
import org.cleanbackup.phash.PerceptualHash;
import org.cleanbackup.phash.PerceptualHasher;
import org.junit.jupiter.api.Test;

/** Wider checks on the shared corpus, when it is present next to the repository (it is not in a user's clone). */
class CorpusTest {

    private static final PerceptualHasher HASHER = TestImages.vector();

    /** {@code -Dcleanbackup.corpus=DIR}, else {@code ../../shared/corpus} from the module folder. */
    static Path corpus() {
        return Path.of(System.getProperty("cleanbackup.corpus", "../../shared/corpus"));
    }

    static List<Path> files(String sub) throws IOException {
        Path dir = corpus().resolve(sub);
        assumeThat(Files.isDirectory(dir)).as("the shared test corpus is absent (a user's clone has none)").isTrue();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void everyCorpusPhotoHashes() throws Exception {
        List<Path> photos = files("photos");
        List<HashResult> results = HASHER.hashAll(photos, 2, r -> { });
        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(HashResult.Hashed.class));
    }

    @Test
    void unrelatedCorpusPhotosAreFarApart() throws Exception {
        List<PerceptualHash> hashes = new ArrayList<>();
        for (HashResult r : HASHER.hashAll(files("photos"), 2, x -> { })) {
            hashes.add(((HashResult.Hashed) r).hash());
        }
        int close = 0;
        int pairs = 0;
        for (int i = 0; i < hashes.size(); i++) {
            for (int j = i + 1; j < hashes.size(); j++) {
                pairs++;
                if (hashes.get(i).distance(hashes.get(j)) <= PerceptualHash.DEFAULT_THRESHOLD) {
                    close++;
                }
            }
        }
        // 58 different scenes from different cameras: fewer than 0.5% of the 1,653 pairs may fall within threshold
        assertThat(close).as("%d of %d unrelated pairs within the threshold", close, pairs).isLessThan(pairs / 200);
    }

    @Test
    void fuzzedFilesNeverCrashAndEachGetsAResult() throws Exception {
        List<Path> fuzzed = new ArrayList<>(files("fuzzed"));
        fuzzed.addAll(files("heic"));
        List<HashResult> results = HASHER.hashAll(fuzzed, 2, r -> { });
        assertThat(results).hasSize(fuzzed.size());
        for (HashResult r : results) {
            if (r instanceof HashResult.Failed f) {
                assertThat(f.message()).isNotBlank().doesNotContain("\n");
            }
        }
    }
}
