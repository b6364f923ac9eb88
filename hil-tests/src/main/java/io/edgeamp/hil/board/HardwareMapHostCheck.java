package io.edgeamp.hil.board;

import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.hil.driver.Executables;
import io.edgeamp.hil.driver.FirmwareImages;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a hardware map needs of the host it is served from: each board's profile in a board-profiles
 * folder, its flasher and health programs, and arm-none-eabi-objcopy when a flasher takes {bin} or
 * {hex}. Without this check the server started, listed such boards idle, and every job on them failed
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
      for (String a : e.flasher.argv) {
        for (String p : HardwareMap.placeholders(a)) {
          if ((p.equals("bin") || p.equals("hex")) && Executables.find(FirmwareImages.OBJCOPY, pathEnv).isEmpty()) {
            throw new IllegalArgumentException(where + ": flasher.argv uses {" + p + "}, which is made from the ELF by "
                + FirmwareImages.OBJCOPY + ", and that is not on PATH (" + pathEnv + "); install it (Debian: apt-get install "
                + "binutils-arm-none-eabi) or pass {elf}");
          }
        }
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
