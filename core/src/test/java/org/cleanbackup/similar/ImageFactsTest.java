package org.cleanbackup.similar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFactsTest {

    @TempDir
    Path dir;

    private byte[] pentax() throws IOException {
        try (InputStream in = ImageFactsTest.class.getResourceAsStream("/dates/pentax-2004.jpg")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aCameraFileWithIntactMetadataIsNotDamaged() throws IOException {
        Path original = Files.write(dir.resolve("IMGP0001.jpg"), pentax());
        ImageFacts facts = ImageFacts.of(original);
        assertThat(facts.camera()).contains("Optio S4");
        assertThat(facts.damaged()).isFalse();
        assertThat(facts.describe()).doesNotContain("damaged");
    }

    /**
     * A copy that lost bytes in its EXIF (here: the Exif IFD pointer sent past the end of the segment) still names
     * the camera, but is not the file the camera wrote: the keep-best rule ranks it below the intact one.
     */
    @Test
    void aCopyWhoseExifPointerWasDamagedIsMarkedSo() throws IOException {
        byte[] bytes = pentax();
        int tiff = 12; // FF D8, FF E1, length, "Exif\0\0"
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int ifd0 = tiff + b.getInt(tiff + 4);
        int entries = b.getShort(ifd0) & 0xFFFF;
        boolean found = false;
        for (int i = 0; i < entries; i++) {
            int entry = ifd0 + 2 + 12 * i;
            if ((b.getShort(entry) & 0xFFFF) == 0x8769) {
                b.putInt(entry + 8, 0x7FFF);
                found = true;
            }
        }
        assertThat(found).as("the sample has an Exif IFD pointer").isTrue();
        Path copy = Files.write(dir.resolve("IMGP0001 copy.jpg"), bytes);
        ImageFacts facts = ImageFacts.of(copy);
        assertThat(facts.damaged()).isTrue();
        assertThat(facts.describe()).contains("damaged metadata");
    }
}
