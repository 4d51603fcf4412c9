package org.cleanbackup.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The choices a user may type are the four that act on a duplicate; the executor's own steps are not among them. */
class DuplicateActionTest {

    @Test
    void theFourChoicesParseInAnyCase() {
        assertThat(DuplicateAction.parse("MOVE")).isEqualTo(DuplicateAction.MOVE);
        assertThat(DuplicateAction.parse("copy")).isEqualTo(DuplicateAction.COPY);
        assertThat(DuplicateAction.parse("Delete")).isEqualTo(DuplicateAction.DELETE);
        assertThat(DuplicateAction.parse("hardlink")).isEqualTo(DuplicateAction.HARDLINK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "restore", "remove", "remove-dir", "remove_dir", "purge", "trash"})
    void theExecutorsOwnStepsAreNoChoice(String internal) {
        assertThatThrownBy(() -> DuplicateAction.parse(internal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown action '" + internal + "': use one of move, copy, delete, hardlink");
    }
}
