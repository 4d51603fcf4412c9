package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PerceptualHashersTest {

    /** The built-in kernels' priorities. */
    private static final Map<String, Integer> PRIORITY = Map.of("native", 300, "vector", 200, "scalar", 100);

    private static TestKernel kernel(String name) {
        return new TestKernel(name, PRIORITY.get(name));
    }

    private static PerceptualHashers.Registry registry(TestKernel... kernels) {
        return PerceptualHashers.Registry.of(List.of(kernels), List.of());
    }

    /** A backend whose kernel is wrong: it must be skipped by the self-test. */
    static final class Broken extends TestKernel {
        Broken(String name) {
            super(name, PRIORITY.get(name));
        }

        @Override
        public void dct(float[] x, float[] out) {
            super.dct(x, out);
            out[5] = -out[5];
        }
    }

    /** A backend that cannot run here. */
    static final class Absent extends TestKernel {
        Absent(String name) {
            super(name, PRIORITY.get(name));
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.of("libfoo missing: install libfoo1");
        }
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(PerceptualHashers.BACKEND_PROPERTY);
    }

    @Test
    void fastestSkipsUnavailableAndBrokenBackendsInPreferenceOrder() {
        var registry = registry(
                kernel("scalar"), new Broken("vector"), new Absent("native"));
        assertThat(registry.fastest().name()).isEqualTo("scalar");
        List<BackendStatus> statuses = registry.statuses();
        assertThat(statuses).extracting(BackendStatus::name).containsExactly("native", "vector", "scalar");
        assertThat(statuses.get(0).available()).isFalse();
        assertThat(statuses.get(0).reason()).contains("install libfoo1");
        assertThat(statuses.get(1).available()).isTrue();
        assertThat(statuses.get(1).selfTestPassed()).isFalse();
        assertThat(statuses.get(1).reason()).startsWith("self-test vector 0 gave");
        assertThat(statuses.get(2).usable()).isTrue();
        assertThat(statuses).filteredOn(BackendStatus::active).extracting(BackendStatus::name).containsExactly("scalar");
    }

    @Test
    void nativeWinsWhenItWorks() {
        var registry = registry(
                kernel("scalar"), kernel("vector"), kernel("native"));
        assertThat(registry.fastest().name()).isEqualTo("native");
    }

    @Test
    void systemPropertyForcesABackend() {
        var registry = registry(kernel("scalar"), kernel("vector"));
        System.setProperty(PerceptualHashers.BACKEND_PROPERTY, "Scalar");
        assertThat(registry.fastest().name()).isEqualTo("scalar");
        System.setProperty(PerceptualHashers.BACKEND_PROPERTY, "native");
        assertThatThrownBy(registry::fastest).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown perceptual-hash backend 'native'").hasMessageContaining("vector, scalar");
    }

    @Test
    void getRefusesAnUnusableBackendWithTheReason() {
        var registry = registry(new Absent("native"), new Broken("vector"));
        assertThatThrownBy(() -> registry.get("native")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install libfoo1");
        assertThatThrownBy(() -> registry.get("vector")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("self-test");
        assertThatThrownBy(registry::fastest).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("native: libfoo missing");
    }

    @Test
    void twoProvidersWithOneNameAreRefusedNotGuessed() {
        var registry = registry(kernel("scalar"), new Broken("scalar"));
        assertThatThrownBy(() -> registry.get("scalar")).hasMessageContaining("ambiguous");
    }

    @Test
    void coreAloneHasNoBackendAndSaysWhatToAdd() {
        // core's own class path has no provider; the real ones live in phash-java and phash-native
        assertThat(PerceptualHashers.backends()).isEmpty();
        assertThatThrownBy(PerceptualHashers::fastest).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cleanbackup-phash-java");
    }

    @Test
    void pixelLimitHasADocumentedDefaultAndAnOverride() {
        assertThat(PerceptualHashers.maxPixels()).isEqualTo(PerceptualHashers.DEFAULT_MAX_PIXELS);
        try {
            System.setProperty(PerceptualHashers.MAX_PIXELS_PROPERTY, "1_000_000");
            assertThat(PerceptualHashers.maxPixels()).isEqualTo(1_000_000L);
            System.setProperty(PerceptualHashers.MAX_PIXELS_PROPERTY, "lots");
            assertThat(PerceptualHashers.maxPixels()).isEqualTo(PerceptualHashers.DEFAULT_MAX_PIXELS);
        } finally {
            System.clearProperty(PerceptualHashers.MAX_PIXELS_PROPERTY);
        }
    }

    /** A decoder that takes only names ending in {@code suffix} and gives them a fixed block. */
    record SuffixDecoder(String name, int priority, String suffix, String onlyKernel, float fill) implements LumaDecoder {

        @Override
        public String formats() {
            return "*" + suffix;
        }

        @Override
        public Optional<String> unavailableReason() {
            return fill < 0 ? Optional.of("libbar missing") : Optional.empty();
        }

        @Override
        public boolean servesKernel(DctKernel kernel) {
            return onlyKernel == null || onlyKernel.equals(kernel.name());
        }

        @Override
        public Optional<LumaBlock> decode(Path file, long maxPixels) throws IOException {
            if (!file.toString().endsWith(suffix)) {
                return Optional.empty();
            }
            float[] luma = KnownAnswers.input(0).clone();
            luma[0] = fill;
            return Optional.of(new LumaBlock(luma, Orientation.NORMAL));
        }
    }

    @Test
    void decodersAreAskedByPriorityAndADeclinedFileGoesToTheNext() throws IOException {
        var jpegOnly = new SuffixDecoder("native-jpeg", 200, ".jpg", "native", 1);
        var any = new SuffixDecoder("java", 100, "", null, 2);
        var missing = new SuffixDecoder("heif", 300, ".heic", null, -1);
        var registry = PerceptualHashers.Registry.of(List.of(kernel("native"), kernel("scalar")),
                List.of(any, missing, jpegOnly));

        PerceptualHasher nat = registry.get("native");
        assertThat(nat.decoders()).extracting(LumaDecoder::name).containsExactly("native-jpeg", "java");
        assertThat(nat.decode(Path.of("a.jpg")).luma()[0]).isEqualTo(1f);
        assertThat(nat.decode(Path.of("a.png")).luma()[0]).isEqualTo(2f);
        // the native decoder serves only the native kernel: scalar is pure Java end to end
        assertThat(registry.get("scalar").decoders()).extracting(LumaDecoder::name).containsExactly("java");
        assertThat(registry.statuses()).extracting(BackendStatus::decoders)
                .containsExactly(List.of("native-jpeg", "java"), List.of("java"));
    }

    @Test
    void aFileNoDecoderTakesIsAOneLineProblem() {
        var jpegOnly = new SuffixDecoder("native-jpeg", 200, ".jpg", null, 1);
        PerceptualHasher h = PerceptualHashers.Registry.of(List.of(kernel("native")), List.of(jpegOnly)).get("native");
        assertThatThrownBy(() -> h.hash(Path.of("b.png"))).isInstanceOf(ImageDecodeException.class)
                .hasMessage("b.png: no image decoder here reads it (asked: native-jpeg; add cleanbackup-phash-java for"
                        + " PNG, GIF, BMP, TIFF, WebP, HEIC and RAW)");
        PerceptualHasher bare = PerceptualHashers.Registry.of(List.of(kernel("scalar")), List.of()).get("scalar");
        assertThatThrownBy(() -> bare.hash(Path.of("c.jpg"))).isInstanceOf(ImageDecodeException.class)
                .hasMessageContaining("no image decoder on the class path (add cleanbackup-phash-java)");
        // blocks need no decoder
        assertThat(bare.hashBlock(KnownAnswers.input(0)).hex()).isEqualTo(KnownAnswers.EXPECTED[0]);
    }
}
