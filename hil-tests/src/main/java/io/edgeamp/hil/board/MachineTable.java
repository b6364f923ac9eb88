package io.edgeamp.hil.board;

import java.util.List;
import java.util.Optional;

/**
 * Emulated board profiles. {@link ProfileMachineTable} reads them from the {@code qemu} sections of
 * board-profiles/*.yaml (io.edgeamp.core.board.BoardProfiles); {@link BuiltinMachineTable} is the
 * fallback when no emulated profile is found (a server run outside the repository).
 */
public interface MachineTable {
  /** Accepts a profile id ("qemu-mps2-an386") or a bare machine name ("mps2-an386"). */
  Optional<QemuMachine> lookup(String profile);

  List<QemuMachine> all();
}
