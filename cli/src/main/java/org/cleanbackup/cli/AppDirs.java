package org.cleanbackup.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where Clean-Backup keeps its files, following the XDG base-directory convention. */
record AppDirs(Path config, Path data, Path state) {

    /** The folders for this user, honouring XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_STATE_HOME. */
    static AppDirs fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static AppDirs from(Map<String, String> env, Path home) {
        return new AppDirs(
                xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")).resolve("cleanbackup"),
                xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")).resolve("cleanbackup"),
                xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")).resolve("cleanbackup"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        // The spec says relative values are invalid and must be ignored.
        return value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }

    /** The default journal and hash-cache database. */
    Path database() {
        return data.resolve("cleanbackup.db");
    }

    /** The folder of the daily log files. */
    Path logs() {
        return state.resolve("logs");
    }
}
