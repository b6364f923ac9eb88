package io.edgeamp.hil.board;

import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.hil.driver.Executables;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a hardware map needs of the host it is served from: each board's profile in a board-profiles
 * folder, and its flasher and health programs. Without this check the server started, listed such boards idle, and every job on them failed
 * (or, for a missing flasher, was retried as a board fault).
 */
final class HardwareMapHostCheck {
  private final Path file;
  private final BoardProfiles profiles;
  private final String pathEnv;

  HardwareMapHostCheck(Path file, BoardProfiles profiles, String pathEnv) {
    this.file = file;
    this.profiles = profiles;
    this.pathEnv = pathEnv;
  }

  void check(HardwareMap map) {
    List<String> known = profiles.ids();
    for (int i = 0; i < map.boards.size(); i++) {
      HardwareMap.Entry e = map.boards.get(i);
      String where = HardwareMap.where(file, i, e);
      if (!known.contains(e.profile)) {
        throw new IllegalArgumentException(where + ": profile: '" + e.profile + "' is in no board-profiles folder (searched "
            + profiles.searchPath().stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.joining(", "))
            + "); known: " + (known.isEmpty() ? "(none; set EDGEAMP_HOME to the repository)" : String.join(", ", known))
            + "; use one of those or add board-profiles/" + e.profile + ".yaml");
      }
      program(where, "flasher", e.flasher);
      if (e.health != null) {
        program(where, "health", e.health);
      }
    }
  }

  private void program(String where, String key, HardwareMap.Command c) {
    String problem = Executables.problem(c.argv.get(0), pathEnv);
    if (problem != null) {
      throw new IllegalArgumentException(where + ": " + key + ".argv[0]: " + problem);
    }
  }
}
