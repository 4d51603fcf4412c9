package org.cleanbackup.cli;

/** A mistake the user can fix: printed as one line, no stack trace, exit code 2. Nothing has been changed. */
final class UserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UserException(String message) {
        super(message);
    }
}
