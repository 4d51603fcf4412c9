package org.cleanbackup.metadata;

/**
 * A file's structure failed a check: a declared size, count, offset or nesting that a parser would trust and
 * allocate from. The message is one line for a person, without the file name. No stack trace: it is an answer,
 * not a bug.
 */
final class StructureException extends Exception {

    private static final long serialVersionUID = 1L;

    StructureException(String message) {
        super(message, null, false, false);
    }
}
