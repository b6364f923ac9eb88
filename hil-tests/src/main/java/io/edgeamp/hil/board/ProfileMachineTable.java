package io.edgeamp.hil.board;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.BoardProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The emulated boards of {@code board-profiles/*.yaml} (those with a {@code qemu} section): machine
 * and CPU come from the profile, the single source the code generator and the quantizer also read.
 */
public final class ProfileMachineTable implements MachineTable {
  private static final Logger LOG = Logger.getLogger(ProfileMachineTable.class.getName());
  private final List<QemuMachine> machines;

  public ProfileMachineTable(List<BoardProfile> profiles) {
    List<QemuMachine> m = new ArrayList<>();
    for (BoardProfile p : profiles) {
      if (p.isEmulated()) {
        m.add(new QemuMachine(p.id(), p.qemu().machine(), p.qemu().cpu(), machineArgs(p.qemu().extraArgs())));
      }
    }
    this.machines = List.copyOf(m);
  }

  /**
   * The profile's extra QEMU arguments without those QemuDriver always passes itself (-nographic,
   * -semihosting-config and -icount with their values): what is left belongs to the machine, e.g. the
   * micro:bit's {@code -global nrf51-soc.sram-size=262144}.
   */
  static List<String> machineArgs(List<String> extraArgs) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < extraArgs.size(); i++) {
      String a = extraArgs.get(i);
      if (a.equals("-nographic")) continue;
      if (a.equals("-semihosting-config") || a.equals("-icount")) {
        i++; // and its value
        continue;
      }
      out.add(a);
    }
    return out;
  }

  /**
   * The profiles found by {@link BoardProfiles#all()} ($EDGEAMP_HOME/board-profiles, then
   * ./board-profiles); the built-in table when there are none (a server run outside the repository).
   */
  public static MachineTable standard() {
    List<BoardProfile> all;
    try {
      all = BoardProfiles.all();
    } catch (RuntimeException e) {
      LOG.warning("board profiles unreadable (" + e.getMessage() + "); using the built-in QEMU machine table");
      return new BuiltinMachineTable();
    }
    ProfileMachineTable t = new ProfileMachineTable(all);
    if (t.machines.isEmpty()) {
      LOG.info("no emulated board profiles found (set EDGEAMP_HOME); using the built-in QEMU machine table");
      return new BuiltinMachineTable();
    }
    return t;
  }

  @Override
  public Optional<QemuMachine> lookup(String profile) {
    for (QemuMachine m : machines) {
      if (m.profile.equals(profile) || m.machine.equals(profile)) return Optional.of(m);
    }
    return Optional.empty();
  }

  @Override
  public List<QemuMachine> all() {
    return machines;
  }
}
