package org.cleanbackup.companions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.cleanbackup.compress.internal.MediaFixtures;
import org.cleanbackup.model.MediaFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live Photo halves paired by Apple's content identifier, by name only when a video has none. */
class LivePhotosTest {

    @TempDir
    Path dir;

    private MediaFile file(String name) {
        Path p = dir.resolve(name);
        return new MediaFile(p, dir, false, 1, 0, null);
    }

    @Test
    void theIdentifierPairsHalvesWhateverTheirNamesAndOverridesASameNameStill() {
        MediaFile renamedStill = file("Beach day.HEIC");
        MediaFile video = file("IMG_0042.MOV");
        MediaFile sameNameOtherPhoto = file("IMG_0042.JPG");
        MediaFile plainStill = file("IMG_0050.JPG");
        MediaFile plainVideo = file("IMG_0050.MOV");
        Map<Path, String> ids = Map.of(renamedStill.path(), "AAAA", video.path(), "AAAA",
                sameNameOtherPhoto.path(), "BBBB");

        Map<MediaFile, MediaFile> pairs = new LivePhotos(p -> Optional.ofNullable(ids.get(p)))
                .pair(List.of(renamedStill, video, sameNameOtherPhoto, plainStill, plainVideo), MediaFile::path);

        assertThat(pairs).containsEntry(video, renamedStill).containsEntry(plainVideo, plainStill).hasSize(2);
    }

    @Test
    void aVideoWhoseIdentifierNoStillCarriesIsNotPairedWithASameNameStillOfAnotherIdentifier() {
        MediaFile still = file("IMG_0042.HEIC");
        MediaFile video = file("IMG_0042.MOV");
        Map<Path, String> ids = Map.of(still.path(), "AAAA", video.path(), "CCCC");

        assertThat(new LivePhotos(p -> Optional.ofNullable(ids.get(p))).pair(List.of(still, video), MediaFile::path)).isEmpty();
    }

    /** An Apple MakerNote ("Apple iOS" header, big-endian IFD) holding ContentIdentifier (0x0011). */
    static byte[] jpegWithAppleIdentifier(String id) throws IOException {
        byte[] idBytes = (id + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer note = ByteBuffer.allocate(14 + 2 + 12 + 4 + idBytes.length);
        note.put("Apple iOS\0".getBytes(StandardCharsets.US_ASCII)).putShort((short) 1).put((byte) 'M').put((byte) 'M');
        note.putShort((short) 1).putShort((short) 0x0011).putShort((short) 2).putInt(idBytes.length).putInt(14 + 18);
        note.putInt(0).put(idBytes);
        byte[] noteBytes = note.array();
        // TIFF: IFD0 with Make and an EXIF pointer; the EXIF IFD with the maker note
        byte[] make = "Apple\0".getBytes(StandardCharsets.US_ASCII);
        int exifIfd = 8 + 2 + 2 * 12 + 4;
        int makeAt = exifIfd + 2 + 12 + 4;
        int noteAt = makeAt + make.length;
        ByteBuffer tiff = ByteBuffer.allocate(noteAt + noteBytes.length);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(make.length).putInt(makeAt);
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(exifIfd);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x927C).putShort((short) 7).putInt(noteBytes.length).putInt(noteAt);
        tiff.putInt(0);
        tiff.put(make).put(noteBytes);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", plain);
        byte[] jpeg = plain.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = 2 + 6 + tiff.capacity();
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.write("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.write(tiff.array());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void identifiersAreReadFromARealMovAndAJpegMakerNote() throws Exception {
        assumeTrue(MediaFixtures.installed("ffmpeg"), "ffmpeg is not installed (apt-get install ffmpeg)");
        Path mov = dir.resolve("clip.mov");
        MediaFixtures.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i",
                "color=c=blue:s=64x64:d=1", "-metadata", "com.apple.quicktime.content.identifier="
                        + "5B0B5B44-1E52-4C41-9A0F-0E9F2C4A7D11", "-movflags", "use_metadata_tags", mov.toString()));
        Path jpg = dir.resolve("still.jpg");
        Files.write(jpg, jpegWithAppleIdentifier("5b0b5b44-1e52-4c41-9a0f-0e9f2c4a7d11"));

        assertThat(LivePhotos.identifierOf(mov)).hasValue("5B0B5B44-1E52-4C41-9A0F-0E9F2C4A7D11");
        assertThat(LivePhotos.identifierOf(jpg)).hasValue("5B0B5B44-1E52-4C41-9A0F-0E9F2C4A7D11");
        assertThat(new LivePhotos().pair(List.of(new MediaFile(jpg, dir, false, 1, 0, null),
                new MediaFile(mov, dir, false, 1, 0, null)), MediaFile::path)).hasSize(1);
    }
}
