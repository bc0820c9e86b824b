package org.dualmtgan.serve;

/**
 * A request the server refuses: an HTTP status, a one-line message for the client and, when one
 * form field or upload is at fault, its name. Sent as {@code {"error": ..., "field": ...}}.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String field;

    public HttpError(int status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public HttpError(int status, String message) {
        this(status, message, null);
    }

    public static HttpError badRequest(String field, String message) {
        return new HttpError(400, message, field);
    }

    public int status() {
        return status;
    }

    /** The form field at fault, or null. */
    public String field() {
        return field;
    }
}
