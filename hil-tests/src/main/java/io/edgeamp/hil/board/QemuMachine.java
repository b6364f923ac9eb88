package io.edgeamp.hil.board;

import java.util.List;

/** What QEMU needs to emulate a board profile: machine, CPU, extra arguments. */
public final class QemuMachine {
  public final String profile;
  public final String machine;
  public final String cpu;
  public final List<String> extraArgs;

  public QemuMachine(String profile, String machine, String cpu, List<String> extraArgs) {
    this.profile = profile;
    this.machine = machine;
    this.cpu = cpu;
    this.extraArgs = List.copyOf(extraArgs);
  }
}
