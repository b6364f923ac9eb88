package io.edgeamp.core.board;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How an emulated board runs. YAML: {@code qemu}. The command line is {@code binary -M machine -cpu
 * cpu extra_args... -kernel <elf>}, plus {@code -serial tcp:127.0.0.1:PORT,server=on,wait=on} when the
 * console goes to a TCP socket (see device-runtime/scripts/run-qemu.sh, which builds the same line).
 *
 * @param binary the QEMU executable ({@code qemu-system-arm})
 * @param machine the {@code -M} machine ({@code mps2-an386})
 * @param cpu the {@code -cpu} model; QEMU's mps2 machines accept only their own
 * @param extraArgs further arguments, one per element ({@code -icount shift=0} and semihosting)
 */
public record QemuSpec(String binary, String machine, String cpu, List<String> extraArgs) {

  public QemuSpec {
    extraArgs = List.copyOf(extraArgs);
  }

  /** The command line that runs this ELF with the console on QEMU's stdio. */
  public List<String> command(Path elf) {
    List<String> cmd = new ArrayList<>(List.of(binary, "-M", machine, "-cpu", cpu));
    cmd.addAll(extraArgs);
    cmd.add("-kernel");
    cmd.add(elf.toString());
    return cmd;
  }

  /**
   * The command line that runs this ELF with the console UART on a TCP server socket on 127.0.0.1; QEMU
   * waits for the client before starting the CPU.
   */
  public List<String> command(Path elf, int serialTcpPort) {
    if (serialTcpPort < 1 || serialTcpPort > 65535) throw new IllegalArgumentException("bad TCP port " + serialTcpPort);
    List<String> cmd = command(elf);
    cmd.add("-serial");
    cmd.add("tcp:127.0.0.1:" + serialTcpPort + ",server=on,wait=on");
    return cmd;
  }

  /** Whether the extra arguments make QEMU count instructions ({@code -icount}). */
  public boolean usesIcount() {
    return extraArgs.contains("-icount");
  }
}
