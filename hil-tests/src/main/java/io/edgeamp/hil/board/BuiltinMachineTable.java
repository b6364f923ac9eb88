package io.edgeamp.hil.board;

import java.util.List;
import java.util.Optional;

/** The QEMU machines that device-runtime's ports support (device-runtime/README.md, run-qemu.sh). */
public final class BuiltinMachineTable implements MachineTable {
  private static final List<QemuMachine> MACHINES = List.of(
      new QemuMachine("qemu-mps2-an385", "mps2-an385", "cortex-m3", List.of()),
      new QemuMachine("qemu-mps2-an386", "mps2-an386", "cortex-m4", List.of()),
      new QemuMachine("qemu-mps2-an500", "mps2-an500", "cortex-m7", List.of()),
      new QemuMachine("qemu-mps2-an505", "mps2-an505", "cortex-m33", List.of()),
      new QemuMachine("qemu-mps3-an547", "mps3-an547", "cortex-m55", List.of()),
      // The nRF51's 16 KiB of SRAM enlarged for models and test buffers (ports/microbit/memory.ld).
      new QemuMachine("qemu-microbit", "microbit", "cortex-m0", List.of("-global", "nrf51-soc.sram-size=262144")));

  @Override
  public Optional<QemuMachine> lookup(String profile) {
    for (QemuMachine m : MACHINES) {
      if (m.profile.equals(profile) || m.machine.equals(profile)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public List<QemuMachine> all() {
    return MACHINES;
  }
}
