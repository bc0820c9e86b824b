package org.dualmtgan;

import java.nio.file.Path;

/**
 * Bad input from the user: a file that cannot be read, has the wrong size or format, or a missing
 * model. The message names the file and the problem in one line; the command line maps it to exit
 * code 2 and the HTTP API to a 4xx status.
 */
public class InvalidInputException extends RuntimeException {
    private final transient Path file;

    public InvalidInputException(Path file, String problem) {
        this(file, problem, null);
    }

    public InvalidInputException(Path file, String problem, Throwable cause) {
        super(file == null ? problem : file + ": " + problem, cause);
        this.file = file;
    }

    public InvalidInputException(String problem) {
        this(null, problem, null);
    }

    /** The file at fault, or null when the problem is not about one file. */
    public Path file() {
        return file;
    }
}
