package org.cleanbackup.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DisplayNamesTest {

    @Test
    void controlCharactersAreEscapedAndOtherTextIsLeftAlone() {
        assertThat(DisplayNames.of(Path.of("/p/b\u001b[2J\u001b[31mred.jpg"))).isEqualTo("/p/b\\e[2J\\e[31mred.jpg");
        assertThat(DisplayNames.of("new\nline\r\t.jpg")).isEqualTo("new\\nline\\r\\t.jpg");
        assertThat(DisplayNames.of("bell\u0007 del\u007f csi\u009b")).isEqualTo("bell\\x07 del\\x7f csi\\x9b");
        assertThat(DisplayNames.of("café ümlaut 写真.jpg")).isEqualTo("café ümlaut 写真.jpg");
    }
}
