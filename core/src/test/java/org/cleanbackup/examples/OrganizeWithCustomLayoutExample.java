package org.cleanbackup.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.cleanbackup.CleanBackup;
import org.cleanbackup.OrganizeRequest;
import org.cleanbackup.OrganizeResult;
import org.cleanbackup.dates.CaptureDate;
import org.cleanbackup.dates.CaptureDates;
import org.cleanbackup.journal.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Example: organize an inbox into {@code DEST/yyyy/MM-MonthName/} and read a capture date directly. */
class OrganizeWithCustomLayoutExample {

    @TempDir
    Path dir;

    @Test
    void organizeByMonthName() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path photo = inbox.resolve("IMG_20230704_120000.jpg"); // a real picture, with no date inside
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "jpeg", photo.toFile());
        Files.setLastModifiedTime(photo, FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));

        CaptureDate date = new CaptureDates().read(photo); // EXIF, XMP, video, file name, then file time
        assertThat(date.source()).isEqualTo(CaptureDate.Source.FILE_NAME);

        CleanBackup cleanBackup = CleanBackup.builder().build();
        OrganizeResult planned = cleanBackup.organize(OrganizeRequest.of(List.of(inbox), dir.resolve("library"))
                .withLayout("{yyyy}/{MM}-{MMMM}", Locale.ENGLISH)); // the folder pattern, month names in English
        try (Journal journal = cleanBackup.openJournal(dir.resolve("journal.db"))) {
            cleanBackup.execute(planned.plan(), journal);
        }
        assertThat(dir.resolve("library/2023/07-July/IMG_20230704_120000.jpg")).exists();
        assertThat(photo).as("organize copies by default").exists();
    }
}
