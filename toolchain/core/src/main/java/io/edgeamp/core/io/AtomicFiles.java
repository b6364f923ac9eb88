package io.edgeamp.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * Writes a file so that readers see the old content or the whole new content, never a part: the
 * bytes go to a temporary file in the same folder, which is then renamed over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = siblingTempFile(target);
      try {
        Files.write(tmp, bytes);
        try {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  public static void writeString(Path target, String text) {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A new empty folder beside {@code target} ({@code .name.RANDOM.tag}) to build the target in and rename.
   * Unlike {@link Files#createTempDirectory}, which makes it 0700, it gets the user's umask, so the renamed
   * output is as readable as any other file the user writes.
   */
  public static Path siblingTempDir(Path target, String tag) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(parent.resolve(siblingName(target, tag)));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }

  /** A new empty file beside {@code target}, with the user's umask (see {@link #siblingTempDir}). */
  public static Path siblingTempFile(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createFile(parent.resolve(siblingName(target, "tmp")));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }

  private static String siblingName(Path target, String tag) {
    return "." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + "." + tag;
  }

  private static final SecureRandom RANDOM = new SecureRandom();
}
