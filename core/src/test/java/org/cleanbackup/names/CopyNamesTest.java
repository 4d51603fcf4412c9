package org.cleanbackup.names;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CopyNamesTest {

    @ParameterizedTest(name = "{0} is a copy of {1}")
    @CsvSource(delimiter = '|', value = {
            "IMG_1 (1).jpg|IMG_1.jpg",
            "IMG_1(2).jpg|IMG_1.jpg",
            "IMG_1 (12).JPG|IMG_1.JPG",
            "x - Copy.jpg|x.jpg",
            "x - Copy (2).jpg|x.jpg",
            "x - copy (13).jpg|x.jpg",
            "Copy of x.jpg|x.jpg",
            "Copy (2) of x.jpg|x.jpg",
            "name copy.jpg|name.jpg",
            "name copy 2.jpg|name.jpg",
            "name (copy).jpg|name.jpg",
            "name (another copy).jpg|name.jpg",
            "name (3rd copy).jpg|name.jpg",
            "name (21st copy).jpg|name.jpg",
            "name (Copy 2).jpg|name.jpg",
            "name (conflicted copy 2024-01-02).jpg|name.jpg",
            "name (Ann's conflicted copy 2024-01-02).jpg|name.jpg",
            "name (conflicted copy 2024-01-02 101010).jpg|name.jpg",
            "name.sync-conflict-20240102-101010-ABCDEFG.jpg|name.jpg",
            "Urlaub - Kopie.jpg|Urlaub.jpg",
            "vacances - Copie.jpg|vacances.jpg",
            "Track 01 - Intro (1).mp3|Track 01 - Intro.mp3",
            "no extension (1)|no extension",
    })
    void copyNames(String copy, String original) {
        assertThat(CopyNames.originalName(copy)).contains(original);
    }

    @ParameterizedTest(name = "{0} is not a copy name")
    @ValueSource(strings = {
            "Track (1) - Intro.mp3",
            "2 Copy Machines.jpg",
            "copy.jpg",
            "Copycat.jpg",
            "IMG_1234.jpg",
            "(1).jpg",
            "photo copy machine.jpg",
            "Report (final).pdf",
            "name (1234).jpg",
            "name_1.jpg",
    })
    void lookAlikes(String name) {
        assertThat(CopyNames.originalName(name)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyReadingIsOffered() {
        assertThat(CopyNames.originalNames("x - Copy (2).jpg")).containsExactly("x.jpg", "x - Copy.jpg");
    }
}
