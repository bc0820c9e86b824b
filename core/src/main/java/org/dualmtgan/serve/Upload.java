package org.dualmtgan.serve;

import java.nio.file.Path;

/**
 * One uploaded file, saved under the request's temporary folder.
 *
 * @param field the form field it came in
 * @param fileName the file name the client gave (for messages), never a path
 * @param path where it was saved: a sanitised name with a usable extension, since readers pick the
 *     decoder by extension
 * @param size bytes
 * @param contentType the part's declared type, or null
 */
public record Upload(String field, String fileName, Path path, long size, String contentType) {}
