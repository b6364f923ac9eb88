package io.edgeamp.hil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Validation of every identifier and path that reaches the server from outside. */
public final class Ids {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** An id usable as a file name, an MQTT topic level and a DB key: letters, digits, '.', '_', '-'. */
  public static String requireId(String value, String what) {
    if (value == null || !ID.matcher(value).matches() || value.contains("..")) {
      throw new HilException(400, "invalid " + what + ": must match [A-Za-z0-9][A-Za-z0-9._-]{0,127} without '..'");
    }
    return value;
  }

  public static boolean isId(String value) {
    return value != null && ID.matcher(value).matches() && !value.contains("..");
  }

  /** A fresh random id with a prefix, e.g. {@code job-3f9a...}. */
  public static String newId(String prefix) {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    StringBuilder sb = new StringBuilder(prefix).append('-').append(Long.toString(System.currentTimeMillis(), 36)).append('-');
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }

  /**
   * Resolves a relative path inside {@code root}; refuses absolute paths, '..' escapes and symbolic
   * links that lead outside root.
   */
  public static Path confine(Path root, String relative) {
    if (relative == null || relative.isEmpty() || relative.indexOf('\0') >= 0) {
      throw new HilException(400, "empty or invalid path");
    }
    Path rel = Path.of(relative);
    if (rel.isAbsolute()) {
      throw new HilException(400, "absolute paths are not accepted: " + relative);
    }
    Path base = root.toAbsolutePath().normalize();
    Path p = base.resolve(rel).normalize();
    if (!p.startsWith(base)) {
      throw new HilException(400, "path escapes the work directory: " + relative);
    }
    return checkReal(base, p, relative);
  }

  /** An absolute path accepted only under one of the given roots (after resolving symbolic links). */
  public static Path confineAbsolute(Iterable<Path> roots, Path path) {
    Path p = path.toAbsolutePath().normalize();
    for (Path r : roots) {
      Path base = r.toAbsolutePath().normalize();
      if (p.startsWith(base)) {
        return checkReal(base, p, path.toString());
      }
    }
    throw new HilException(400, "path is outside the allowed directories: " + path);
  }

  private static Path checkReal(Path base, Path p, String shown) {
    try {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Path realBase = Files.exists(base) ? base.toRealPath() : base;
        if (!p.toRealPath().startsWith(realBase)) {
          throw new HilException(400, "path leads outside the work directory: " + shown);
        }
      }
    } catch (IOException e) {
      throw new HilException(400, "cannot resolve path " + shown + ": " + e.getMessage());
    }
    return p;
  }
}
