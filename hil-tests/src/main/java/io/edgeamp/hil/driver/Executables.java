package io.edgeamp.hil.driver;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a command's program is, found as exec would find it: an absolute path as it is, a bare name
 * on PATH. Checked when a hardware map is loaded, so a missing flasher is refused at start instead of
 * failing every job with "Cannot run program" (which counted as a board fault and was retried).
 */
public final class Executables {
  private Executables() {}

  /** The executable file argv0 names, if there is one; a relative path with a '/' is never found. */
  public static Optional<Path> find(String argv0, String pathEnv) {
    if (argv0 == null || argv0.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (argv0.indexOf('/') >= 0) {
        Path p = Path.of(argv0);
        return p.isAbsolute() && runnable(p) ? Optional.of(p) : Optional.empty();
      }
      for (String dir : (pathEnv == null ? "" : pathEnv).split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, argv0);
          if (runnable(p)) {
            return Optional.of(p);
          }
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Why argv0 cannot be run, with the fix; null when it can. */
  public static String problem(String argv0, String pathEnv) {
    if (find(argv0, pathEnv).isPresent()) {
      return null;
    }
    if (argv0.indexOf('/') < 0) {
      return "'" + argv0 + "' is not on PATH (" + pathEnv + "); install it, or give its absolute path";
    }
    Path p = Path.of(argv0);
    if (!p.isAbsolute()) {
      return "'" + argv0 + "' is a relative path, which would depend on the server's working directory; give an absolute path"
          + " or a bare name found on PATH";
    }
    if (!Files.exists(p)) {
      return "'" + argv0 + "' does not exist; install it or fix the path";
    }
    return "'" + argv0 + "' is not an executable file; fix the path or its permissions (chmod +x)";
  }

  private static boolean runnable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
