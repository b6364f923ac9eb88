package io.edgeamp.core.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** File errors in words for a one-line message: NIO's exception messages are often just the path. */
public final class IoErrors {
  private IoErrors() {}

  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied: " + e.getMessage();
    if (e instanceof FileAlreadyExistsException) return "a file is in the way: " + e.getMessage();
    if (e instanceof NoSuchFileException) return "no such file or folder: " + e.getMessage();
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason() + ": " + f.getFile();
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
