package io.edgeamp.hil.board;

import java.util.List;
import java.util.Optional;

/**
 * Emulated board profiles. {@link BuiltinMachineTable} holds the four QEMU machines of the device
 * runtime until the board profiles (board-profiles/*.yaml, io.edgeamp.core.board.BoardProfiles) land;
 * then an implementation over those profiles' {@code qemu} sections replaces it.
 */
public interface MachineTable {
  /** Accepts a profile id ("qemu-mps2-an386") or a bare machine name ("mps2-an386"). */
  Optional<QemuMachine> lookup(String profile);

  List<QemuMachine> all();
}
