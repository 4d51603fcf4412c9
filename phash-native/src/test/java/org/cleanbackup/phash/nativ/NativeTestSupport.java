package org.cleanbackup.phash.nativ;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test inputs shared by the native tests. */
final class NativeTestSupport {

    /** The small photos bundled with phash-java's tests (the repository's own files, always present). */
    static final Path BUNDLED = Path.of("../phash-java/src/test/resources/phash");

    private NativeTestSupport() {
    }

    /** Skips the calling test, saying why, when this build has no native library. */
    static void assumeNativeLibrary() {
        assumeThat(NativeLibrary.failure()).as("the native library is absent from this build").isEmpty();
    }

    static Path corpus() {
        return Path.of(System.getProperty("cleanbackup.corpus", "../../shared/corpus"));
    }

    static boolean corpusPresent() {
        return Files.isDirectory(corpus().resolve("photos"));
    }

    /** The bundled photos, plus the corpus photos when the corpus is present. */
    static List<Path> photos() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : new String[]{"photo-turtle.jpg", "photo-boat.jpg", "photo-stadium.jpg", "boat-cmyk.jpg"}) {
            out.add(BUNDLED.resolve(name));
        }
        if (corpusPresent()) {
            try (Stream<Path> s = Files.list(corpus().resolve("photos"))) {
                s.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
