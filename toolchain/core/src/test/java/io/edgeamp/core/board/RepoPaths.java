package io.edgeamp.core.board;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's folders from wherever Maven runs the tests (the module folder, usually). */
final class RepoPaths {
  private RepoPaths() {}

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    for (Path d = p; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("board-profiles")) && Files.isDirectory(d.resolve("device-runtime"))) return d;
    }
    throw new IllegalStateException("no board-profiles folder above " + p);
  }

  static Path profiles() {
    return root().resolve("board-profiles");
  }
}
