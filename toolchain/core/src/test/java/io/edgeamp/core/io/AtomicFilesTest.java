package io.edgeamp.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs written through a temporary sibling and a rename get the permissions of any file the user
 * creates (the umask), not the owner-only 0600/0700 of Java's temp files, and leave no temporary behind.
 */
class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void aWrittenFileHasTheUmasksPermissions() throws Exception {
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
    Path f = dir.resolve("model.onnx");
    AtomicFiles.writeString(f, "x");
    assertEquals(usual, Files.getPosixFilePermissions(f));
    AtomicFiles.writeString(f, "y"); // replaced
    assertEquals("y", Files.readString(f));
    assertEquals(usual, Files.getPosixFilePermissions(f));
    assertEquals(List.of("model.onnx", "plain"), names());
  }

  @Test
  void aFolderWrittenAsAWholeHasTheUmasksPermissions() throws Exception {
    Set<PosixFilePermission> usualDir = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
    Path tmp = AtomicFiles.siblingTempDir(dir.resolve("artifact"), "tmp");
    assertTrue(tmp.getFileName().toString().startsWith(".artifact.") && tmp.getFileName().toString().endsWith(".tmp"), tmp.toString());
    assertEquals(usualDir, Files.getPosixFilePermissions(tmp));
    Files.delete(tmp);
    assertEquals(List.of("plain"), names());
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
