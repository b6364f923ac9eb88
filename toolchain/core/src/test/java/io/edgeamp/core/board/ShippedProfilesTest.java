package io.edgeamp.core.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The profiles in board-profiles/: they load, and they agree with the device-runtime ports. */
class ShippedProfilesTest {
  static final Set<String> EMULATED =
      Set.of("qemu-mps2-an385", "qemu-mps2-an386", "qemu-mps2-an500", "qemu-mps2-an505", "qemu-mps3-an547",
          "qemu-microbit");
  static final Set<String> REAL = Set.of("nucleo-f446re", "nrf52840-dk", "launchxl-f28p55x");

  static List<BoardProfile> shipped() {
    return new BoardProfiles(List.of(RepoPaths.profiles())).list();
  }

  @Test
  void everyYamlFileLoadsAndItsIdIsItsFileName() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(RepoPaths.profiles())) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertEquals(EMULATED.size() + REAL.size(), files.size(), "profile files: " + files);
    Set<String> ids = new HashSet<>();
    for (Path f : files) {
      BoardProfile p = BoardProfiles.load(f);
      assertEquals(f.getFileName().toString(), p.id() + ".yaml");
      assertTrue(ids.add(p.id()), "duplicate id " + p.id());
      assertEquals(f, p.source());
    }
    Set<String> expected = new HashSet<>(EMULATED);
    expected.addAll(REAL);
    assertEquals(expected, ids);
  }

  @Test
  void emulatedBoardsAreVerifiedAndRealOnesAreNot() {
    for (BoardProfile p : shipped()) {
      if (EMULATED.contains(p.id())) {
        assertTrue(p.isEmulated(), p.id());
        assertTrue(p.verified(), p.id() + " is run by device-runtime/scripts/test-qemu.sh");
        assertEquals(BoardProfile.Timer.ICOUNT, p.timer(), p.id());
        assertEquals("instructions", p.cost().unit(), p.id());
        assertNotNull(p.qemu(), p.id());
      } else {
        assertTrue(REAL.contains(p.id()), p.id());
        assertFalse(p.isEmulated(), p.id());
        assertFalse(p.verified(), p.id() + ": no test runs it");
        assertEquals(FlasherSpec.Kind.COMMAND, p.flasher().kind(), p.id());
        assertNull(p.qemu(), p.id());
        assertEquals("cycles", p.cost().unit(), p.id());
      }
      assertEquals(CostTable.Source.ESTIMATE, p.cost().source(), p.id());
    }
  }

  @Test
  void emulatedBoardsRunTheGenericCpuKernelNpuPath() {
    for (BoardProfile p : shipped()) {
      if (!p.isEmulated()) continue;
      NpuSpec n = p.npu();
      assertTrue(n.present(), p.id());
      assertEquals(NpuSpec.Implementation.CPU_KERNELS, n.implementation(), p.id());
      assertEquals(List.of(2, 4, 8), n.bits(), p.id());
      assertEquals(Map.of(2, 31, 4, 31, 8, 31), n.requantMultBits(), p.id());
      assertEquals(1, n.channelMultiple(), p.id());
      assertNull(n.whyCannotRun(LayerKind.CONV, 2, 3, 5, 27, 0), p.id());
      assertNull(n.whyCannotRun(LayerKind.DENSE, 4, 2, 3, 2, 0), p.id());
      assertNull(n.whyCannotRun(LayerKind.MAX_POOL, 8, 7, 7, 0, 9), p.id());
    }
  }

  /** The QEMU command line of each emulated profile is the one device-runtime/scripts/run-qemu.sh runs. */
  @Test
  void qemuCommandLinesMatchRunQemuScript() throws IOException {
    String script = Files.readString(RepoPaths.root().resolve("device-runtime/scripts/run-qemu.sh"));
    // "  machine) cpu=cortex-mX ;;" or "  machine) cpu=cortex-mX ; machine_args=(-a b ...) ;;"
    Matcher m = Pattern.compile("\\n  ([a-z0-9-]+)\\) cpu=(cortex-m\\w+)(?: ; machine_args=\\(([^)]*)\\))? ;;")
        .matcher(script);
    Map<String, String> cpuOf = new java.util.HashMap<>();
    Map<String, List<String>> argsOf = new java.util.HashMap<>();
    while (m.find()) {
      cpuOf.put(m.group(1), m.group(2));
      argsOf.put(m.group(1), m.group(3) == null ? List.of() : List.of(m.group(3).split(" ")));
    }
    assertEquals(EMULATED.size(), cpuOf.size(), "run-qemu.sh machine list: " + cpuOf);
    for (BoardProfile p : shipped()) {
      if (!p.isEmulated()) continue;
      QemuSpec q = p.qemu();
      assertEquals("qemu-" + q.machine(), p.id());
      assertEquals(cpuOf.get(q.machine()), q.cpu(), p.id());
      assertEquals(q.machine(), p.toolchain().runtimePort(), p.id());
      List<String> cmd = q.command(Path.of("/tmp/fw.elf"));
      List<String> expected = new java.util.ArrayList<>(List.of("qemu-system-arm", "-M", q.machine(), "-cpu", q.cpu()));
      expected.addAll(argsOf.get(q.machine()));
      expected.addAll(List.of("-nographic", "-semihosting-config", "enable=on,target=native", "-icount", "shift=0",
          "-kernel", "/tmp/fw.elf"));
      assertEquals(expected, cmd, p.id());
      List<String> tcp = q.command(Path.of("/tmp/fw.elf"), 5555);
      assertEquals(List.of("-serial", "tcp:127.0.0.1:5555,server=on,wait=on"), tcp.subList(tcp.size() - 2, tcp.size()));
    }
  }

  /** cflags carry the port's board.cmake CPU flags, and the port's board.h agrees on the clock. */
  @Test
  void emulatedProfilesAgreeWithTheirPorts() throws IOException {
    for (BoardProfile p : shipped()) {
      if (!p.isEmulated()) continue;
      Path port = RepoPaths.root().resolve("device-runtime/ports").resolve(p.toolchain().runtimePort());
      String cmake = Files.readString(port.resolve("board.cmake"));
      Matcher flags = Pattern.compile("EDGEAMP_CPU_FLAGS \"([^\"]+)\"").matcher(cmake);
      assertTrue(flags.find(), port + "/board.cmake");
      List<String> cpuFlags = List.of(flags.group(1).split(" "));
      assertEquals(cpuFlags, p.toolchain().cflags().subList(0, cpuFlags.size()), p.id());
      String boardH = Files.readString(port.resolve("board.h"));
      Matcher hz = Pattern.compile("#define EA_BOARD_CPU_HZ (\\d+)u").matcher(boardH);
      assertTrue(hz.find(), port + "/board.h");
      assertEquals(Long.parseLong(hz.group(1)), p.clockHz(), p.id());
    }
  }

  /** Every named linker script exists and its FLASH and RAM lengths are the profile's sizes. */
  @Test
  void linkerScriptsExistAndMatchMemorySizes() throws IOException {
    int checked = 0;
    for (BoardProfile p : shipped()) {
      if (p.linkerScript().isEmpty()) {
        assertEquals(BoardProfile.Core.C28X, p.core(), p.id() + " has no linker script");
        assertNotNull(p.toolchain().note(), p.id() + " must say why it has no linker script");
        continue;
      }
      Path ld = p.linkerScript().get();
      assertTrue(Files.isRegularFile(ld), p.id() + ": " + ld);
      String text = Files.readString(ld);
      assertEquals(p.flashBytes(), length(text, "FLASH"), p.id() + " flash vs " + ld);
      assertEquals(p.ramBytes(), length(text, "RAM"), p.id() + " ram vs " + ld);
      checked++;
    }
    assertEquals(8, checked);
  }

  private static long length(String ld, String region) {
    Matcher m = Pattern.compile("\\n\\s*" + region + "\\s*\\([a-z]+\\)\\s*:\\s*ORIGIN\\s*=\\s*0x[0-9a-fA-F]+,\\s*LENGTH\\s*=\\s*(\\d+)([KM]?)")
        .matcher(ld);
    assertTrue(m.find(), "no " + region + " region in\n" + ld);
    long n = Long.parseLong(m.group(1));
    return m.group(2).equals("K") ? n * 1024 : m.group(2).equals("M") ? n * 1024 * 1024 : n;
  }

  @Test
  void realBoardsHaveTheirDataSheetFigures() {
    BoardProfiles profiles = new BoardProfiles(List.of(RepoPaths.profiles()));
    BoardProfile st = profiles.get("nucleo-f446re");
    assertEquals(BoardProfile.Core.CORTEX_M4, st.core());
    assertEquals(BoardProfile.Fpu.SP, st.fpu());
    assertEquals(180_000_000L, st.clockHz());
    assertEquals(512 * 1024L, st.flashBytes());
    assertEquals(128 * 1024L, st.ramBytes());
    BoardProfile nrf = profiles.get("nrf52840-dk");
    assertEquals(BoardProfile.Core.CORTEX_M4, nrf.core());
    assertEquals(64_000_000L, nrf.clockHz());
    assertEquals(1024 * 1024L, nrf.flashBytes());
    assertEquals(256 * 1024L, nrf.ramBytes());
    BoardProfile ti = profiles.get("launchxl-f28p55x");
    assertEquals(BoardProfile.Core.C28X, ti.core());
    assertEquals(150_000_000L, ti.clockHz());
    assertEquals(1088 * 1024L, ti.flashBytes());
    assertEquals(133 * 1024L, ti.ramBytes());
    assertEquals("cl2000", ti.toolchain().cc());
    assertEquals("gcc", ti.toolchain().portabilityCheck().cc());
    assertEquals(NpuSpec.Implementation.HARDWARE, ti.npu().implementation());
    assertEquals(Map.of(2, 8, 4, 8, 8, 1), ti.npu().requantMultBits());
    assertEquals(1, ti.npu().requantMultBits(8));
    assertEquals(4, ti.npu().channelMultiple());
    assertEquals(24, ti.npu().limits().biasBits(8));
    assertEquals(BoardProfile.Timer.CPUTIMER, ti.timer());
  }

  @Test
  void flasherArgvExpandsToAProcessArgumentList() {
    BoardProfiles profiles = new BoardProfiles(List.of(RepoPaths.profiles()));
    BoardProfile st = profiles.get("nucleo-f446re");
    assertEquals(List.of("openocd", "-f", "interface/stlink.cfg", "-f", "target/stm32f4x.cfg", "-c",
        "program /work/fw dir/kws.elf verify reset exit"),
        st.flasher().expand(Map.of("elf", "/work/fw dir/kws.elf")));
    assertEquals(List.of("elf"), st.flasher().placeholdersUsed());
    BoardProfile ti = profiles.get("launchxl-f28p55x");
    List<String> argv = ti.flasher().expand(Map.of("elf", "kws.out", "profile_dir", ti.profileDir().toString()));
    assertEquals("--config=" + RepoPaths.profiles().toAbsolutePath() + "/ti/launchxl-f28p55x.ccxml", argv.get(1));
    assertEquals("kws.out", argv.get(argv.size() - 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ti.flasher().expand(Map.of("elf", "x")));
    assertTrue(e.getMessage().contains("needs a value for {profile_dir}"), e.getMessage());
  }

  @Test
  void findSearchesTheFoldersInOrderAndListsKnownIdsForAnUnknownOne(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws IOException {
    Path first = Files.createDirectories(tmp.resolve("first"));
    String an385 = Files.readString(RepoPaths.profiles().resolve("qemu-mps2-an385.yaml"));
    Files.writeString(first.resolve("qemu-mps2-an385.yaml"),
        an385.replace("description: \"QEMU mps2-an385:", "description: \"local copy:"));
    BoardProfiles profiles = new BoardProfiles(List.of(first, tmp.resolve("missing"), RepoPaths.profiles()));
    assertTrue(profiles.get("qemu-mps2-an385").description().startsWith("local copy:"));
    assertTrue(profiles.get("qemu-mps2-an386").description().startsWith("QEMU mps2-an386"));
    assertEquals(9, profiles.list().size());
    assertEquals(first.resolve("qemu-mps2-an385.yaml"), profiles.list().stream()
        .filter(p -> p.id().equals("qemu-mps2-an385")).findFirst().orElseThrow().source());

    BoardProfileException e = assertThrows(BoardProfileException.class, () -> profiles.get("nucleo-f999"));
    assertTrue(e.getMessage().contains("unknown board 'nucleo-f999'; known boards: launchxl-f28p55x, nrf52840-dk, "
        + "nucleo-f446re, qemu-microbit, qemu-mps2-an385, qemu-mps2-an386, qemu-mps2-an500, qemu-mps2-an505, "
        + "qemu-mps3-an547"),
        e.getMessage());
    assertTrue(e.getMessage().startsWith(first.toString()), "names the folders searched: " + e.getMessage());

    BoardProfileException none = assertThrows(BoardProfileException.class,
        () -> new BoardProfiles(List.of(tmp.resolve("missing"))).get("x"));
    assertTrue(none.getMessage().contains("known boards: (none)"), none.getMessage());
  }

  /** The example in board-profiles/README.md is a valid profile. */
  @Test
  void readmeExampleLoads(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    String readme = Files.readString(RepoPaths.profiles().resolve("README.md"));
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README.md has a yaml example");
    Path f = tmp.resolve("nucleo-f446re.yaml");
    Files.writeString(f, m.group(1));
    BoardProfile p = BoardProfiles.load(f);
    assertEquals("nucleo-f446re", p.id());
    assertEquals(List.of("elf"), p.flasher().placeholdersUsed());
  }
}
