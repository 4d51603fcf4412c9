package org.cleanbackup.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cleanbackup.model.MediaType;
import org.junit.jupiter.api.Test;

/** How {@link Compressors} chooses among compressors that claim the same extension. */
class CompressorsTest {

    /** A compressor that is never run: only its claim, priority and availability matter here. */
    private record Claim(String label, int priority, String unavailable) implements Compressor {
        @Override
        public String name() {
            return "jpeg";
        }

        @Override
        public MediaType mediaType() {
            return MediaType.IMAGE;
        }

        @Override
        public Set<String> extensions() {
            return Set.of("jpg", "jpeg");
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Optional<String> unavailableReason() {
            return Optional.ofNullable(unavailable);
        }

        @Override
        public void compress(Path source, Path target, CompressionLevel level) {
            throw new AssertionError("not run in this test");
        }
    }

    @Test
    void theAvailableCompressorWithTheHighestPriorityWinsWhateverTheOrder() {
        Claim java = new Claim("java", 0, null);
        Claim nativ = new Claim("native", 10, null);
        assertThat(Compressors.of(List.of(java, nativ)).forFileName("a.JPG")).containsSame(nativ);
        assertThat(Compressors.of(List.of(nativ, java)).forFileName("b.jpeg")).containsSame(nativ);
    }

    @Test
    void anUnavailablePreferredCompressorFallsBackToTheAvailableOne() {
        Claim java = new Claim("java", 0, null);
        Claim nativ = new Claim("native", 10, "no native library");
        assertThat(Compressors.of(List.of(nativ, java)).forFileName("a.jpg")).containsSame(java);
    }

    @Test
    void whenNoneIsAvailableTheFirstByPriorityIsKeptSoItCanSayWhy() {
        Claim java = new Claim("java", 0, "no encoder");
        Claim nativ = new Claim("native", 10, "no native library");
        assertThat(Compressors.of(List.of(java, nativ)).forFileName("a.jpg")).containsSame(nativ);
    }

    @Test
    void twoAvailableClaimsOfEqualPriorityFailLoudly() {
        assertThatThrownBy(() -> Compressors.of(List.of(new Claim("a", 0, null), new Claim("b", 0, null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two compressors claim .jp").hasMessageContaining("same priority 0");
    }
}
