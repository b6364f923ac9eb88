package io.edgeamp.hil.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.board.BoardProfiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HIL server's QEMU boards come from the shipped board profiles, as the code generator's do. */
class ProfileMachineTableTest {
  @Test
  void emulatedProfilesBecomeQemuMachinesAndRealBoardsDoNot() {
    String home = System.getenv("EDGEAMP_HOME");
    Path profiles = Path.of(home != null ? home : "..").resolve("board-profiles");
    ProfileMachineTable t = new ProfileMachineTable(new BoardProfiles(List.of(profiles)).list());
    assertEquals(List.of("qemu-microbit", "qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505",
        "qemu-mps3-an547"), t.all().stream().map(m -> m.profile).sorted().toList());
    QemuMachine m55 = t.lookup("qemu-mps3-an547").orElseThrow();
    assertEquals("mps3-an547", m55.machine);
    assertEquals("cortex-m55", m55.cpu);
    assertEquals(List.of(), m55.extraArgs, "the driver's own -nographic, semihosting and -icount are not repeated");
    assertEquals("cortex-m3", t.lookup("mps2-an385").orElseThrow().cpu, "lookup by bare machine name");
    QemuMachine microbit = t.lookup("qemu-microbit").orElseThrow();
    assertEquals(List.of("-global", "nrf51-soc.sram-size=262144"), microbit.extraArgs, "machine-specific arguments kept");
    assertEquals(new BuiltinMachineTable().lookup("qemu-microbit").orElseThrow().extraArgs, microbit.extraArgs,
        "the built-in table agrees with the profile");
    assertTrue(t.lookup("nucleo-f446re").isEmpty(), "a real board is not a QEMU machine");
  }
}
