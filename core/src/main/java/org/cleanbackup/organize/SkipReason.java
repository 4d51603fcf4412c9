package org.cleanbackup.organize;

/** Why a source file was not imported. */
public enum SkipReason {
    /** Its exact content is already in the destination. */
    EXACT_IN_DEST("already in the destination (same content)"),
    /** Another source file with the same content is imported in this run. */
    EXACT_IN_RUN("same content as another file imported in this run"),
    /** An OS copy name ({@code IMG_1 (1).jpg}) whose original is imported and identical. */
    NAME_COPY("copy name of an identical original"),
    /** A perceptual duplicate of an image already in the destination or imported in this run. */
    SIMILAR("looks the same as an image already in the destination or imported in this run"),
    /** Named as a photo or video, but its content is something else (a song, a text): a problem, left where it is. */
    NOT_MEDIA("not the photo or video its name says (see the problems); left where it is"),
    /** A sidecar whose media file is there but not imported (already in the destination, a duplicate, ...). */
    SIDECAR_OF_SKIPPED("sidecar of a media file that is not imported; left alone"),
    /** A sidecar file (.xmp, .aae, .thm) whose media file is not there. */
    ORPHAN_SIDECAR("sidecar without its media file; left alone");

    private final String description;

    SkipReason(String description) {
        this.description = description;
    }

    /** For reports. */
    public String description() {
        return description;
    }
}
