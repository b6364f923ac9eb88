package io.edgeamp.core.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact folder, written beside its target and renamed, is as readable as any folder the user makes (not 0700). */
class ArtifactFolderPermissionsTest {
  @TempDir Path dir;

  @Test
  void theArtifactFolderAndItsFilesHaveTheUmasksPermissions() throws Exception {
    Set<PosixFilePermission> usualDir = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain")));
    Set<PosixFilePermission> usualFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain/f")));
    Path artifact = dir.resolve("artifact");
    for (int i = 0; i < 2; i++) { // written, then replaced
      ArtifactWriter.writeAtomically(artifact, Map.of("model.json", ("{\"v\": " + i + "}").getBytes()));
      assertEquals(usualDir, Files.getPosixFilePermissions(artifact));
      assertEquals(usualFile, Files.getPosixFilePermissions(artifact.resolve("model.json")));
    }
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of("artifact", "plain"), s.map(p -> p.getFileName().toString()).sorted().toList(), "temporaries left");
    }
  }
}
