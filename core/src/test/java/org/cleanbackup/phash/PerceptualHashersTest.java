package org.cleanbackup.phash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PerceptualHashersTest {

    /** A backend whose kernel is wrong: it must be skipped by the self-test. */
    static final class Broken extends TestKernel {
        Broken(String name) {
            super(name);
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
            super(name);
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
        var registry = PerceptualHashers.Registry.of(List.of(
                new TestKernel("scalar"), new Broken("vector"), new Absent("native")));
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
        var registry = PerceptualHashers.Registry.of(List.of(
                new TestKernel("scalar"), new TestKernel("vector"), new TestKernel("native")));
        assertThat(registry.fastest().name()).isEqualTo("native");
    }

    @Test
    void systemPropertyForcesABackend() {
        var registry = PerceptualHashers.Registry.of(List.of(new TestKernel("scalar"), new TestKernel("vector")));
        System.setProperty(PerceptualHashers.BACKEND_PROPERTY, "Scalar");
        assertThat(registry.fastest().name()).isEqualTo("scalar");
        System.setProperty(PerceptualHashers.BACKEND_PROPERTY, "native");
        assertThatThrownBy(registry::fastest).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown perceptual-hash backend 'native'").hasMessageContaining("vector, scalar");
    }

    @Test
    void getRefusesAnUnusableBackendWithTheReason() {
        var registry = PerceptualHashers.Registry.of(List.of(new Absent("native"), new Broken("vector")));
        assertThatThrownBy(() -> registry.get("native")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("install libfoo1");
        assertThatThrownBy(() -> registry.get("vector")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("self-test");
        assertThatThrownBy(registry::fastest).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("native: libfoo missing");
    }

    @Test
    void twoProvidersWithOneNameAreRefusedNotGuessed() {
        var registry = PerceptualHashers.Registry.of(List.of(new TestKernel("scalar"), new Broken("scalar")));
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
}
