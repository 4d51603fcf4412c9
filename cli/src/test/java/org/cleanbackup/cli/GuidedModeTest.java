package org.cleanbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The guided menu without a terminal; on a real one (tmux): {@link GuidedModeIT}. */
class GuidedModeTest {

    @Test
    void withoutATerminalItPrintsUsageAndExits2() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Usage: cleanbackup").contains("guided menu");
    }
}
