package io.edgeamp.core.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of profile error, with its message: the file, the key path, and what would fix it. Every
 * case starts from a valid profile and changes one thing.
 */
class ProfileErrorsTest {
  /** A valid real-board profile (flasher.kind command). */
  static final String REAL = String.join("\n",
      "id: test-board",
      "description: a test board",
      "core: cortex-m4",
      "fpu: sp",
      "clock_hz: 64000000",
      "flash_bytes: 1048576",
      "ram_bytes: 262144",
      "npu:",
      "  present: true",
      "  implementation: cpu_kernels",
      "  bits: [2, 4, 8]",
      "  requant_mult_bits: 31",
      "  channel_multiple: 1",
      "  limits:",
      "    max_pool_kernel: 4",
      "toolchain:",
      "  cc: arm-none-eabi-gcc",
      "  cflags: [-mcpu=cortex-m4, -mthumb]",
      "  ldflags: [-nostartfiles]",
      "timer: dwt",
      "console:",
      "  uart: UART0",
      "  baud: 115200",
      "flasher:",
      "  kind: command",
      "  argv: [openocd, -c, \"program {elf} verify reset exit\"]",
      "  timeout_s: 60",
      "verified: false",
      "cost:",
      "  source: estimate",
      "  unit: cycles",
      "  layer_overhead: 100",
      "  per_mac:",
      "    conv: {2: 3, 4: 3, 8: 2, 32: 4}",
      "    depthwise_conv: {2: 3, 4: 3, 8: 2, 32: 4}",
      "    dense: {2: 3, 4: 3, 8: 2, 32: 4}",
      "  bytes_per_weight: {2: 0.25, 4: 0.5, 8: 1, 32: 4}",
      "");

  /** A valid emulated profile (flasher.kind qemu). */
  static final String QEMU = REAL
      .replace("timer: dwt", "timer: icount")
      .replace("  unit: cycles", "  unit: instructions")
      .replace("  kind: command\n  argv: [openocd, -c, \"program {elf} verify reset exit\"]\n", "  kind: qemu\n")
      .replace("verified: false", "verified: true\nqemu:\n  machine: mps2-an386\n  cpu: cortex-m4\n"
          + "  extra_args: [-nographic, -icount, shift=0]");

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("test-board.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private String error(String yaml) throws IOException {
    Path f = write(yaml);
    BoardProfileException e = assertThrows(BoardProfileException.class, () -> BoardProfiles.load(f));
    assertEquals(f.toString(), e.file());
    for (String line : e.getMessage().split("\n")) {
      assertTrue(line.startsWith(f + ": "), "every line names the file: " + line);
    }
    return e.getMessage().substring(f.toString().length() + 2);
  }

  private static String replaceOnce(String s, String from, String to) {
    assertTrue(s.contains(from), "test setup: no '" + from + "'");
    return s.replace(from, to);
  }

  @Test
  void theBaseProfilesAreValid() throws IOException {
    BoardProfile real = BoardProfiles.load(write(REAL));
    assertEquals("test-board", real.id());
    assertEquals(FlasherSpec.Kind.COMMAND, real.flasher().kind());
    BoardProfile qemu = BoardProfiles.load(write(QEMU));
    assertTrue(qemu.isEmulated());
    assertEquals("qemu-system-arm", qemu.qemu().binary(), "the default binary");
  }

  @Test
  void unknownTopLevelKeyListsTheAllowedKeys() throws IOException {
    assertEquals("colour: unknown key 'colour'; allowed keys here: clock_hz, console, core, cost, description, "
        + "flash_bytes, flasher, fpu, id, npu, qemu, ram_bytes, timer, toolchain, verified "
        + "(fix the spelling or remove it)", error(REAL + "colour: blue\n"));
  }

  @Test
  void unknownNestedKeyHasItsPathAndTheAllowedKeysAtThatLevel() throws IOException {
    assertEquals("npu.limits.max_pool: unknown key 'max_pool'; allowed keys here: bias_bits, "
        + "conv_single_input_channel, fc_min_fan_in, max_pool_kernel, max_requant_shift "
        + "(fix the spelling or remove it)",
        error(replaceOnce(REAL, "    max_pool_kernel: 4", "    max_pool: 4")));
    assertEquals("flasher.timeout: unknown key 'timeout'; allowed keys here: argv, kind, timeout_s "
        + "(fix the spelling or remove it)",
        error(replaceOnce(REAL, "  timeout_s: 60", "  timeout: 60")));
  }

  @Test
  void missingFieldsAreNamedWithWhatToAdd() throws IOException {
    assertEquals("clock_hz: missing; add it (the core clock in Hz, e.g. 64000000)",
        error(replaceOnce(REAL, "clock_hz: 64000000\n", "")));
    assertEquals("npu.bits: missing; add it (a list of weight bit widths from 2, 4, 8)",
        error(replaceOnce(REAL, "  bits: [2, 4, 8]\n", "")));
    assertEquals("cost: missing; add it (the latency model: source, unit, layer_overhead, per_mac, bytes_per_weight)",
        error(REAL.substring(0, REAL.indexOf("cost:"))));
  }

  @Test
  void wrongTypesSayWhatWasExpectedAndWhatWasFound() throws IOException {
    assertEquals("clock_hz: expected an integer, got '64MHz' (line 5, column 11)",
        error(replaceOnce(REAL, "clock_hz: 64000000", "clock_hz: 64MHz")));
    assertEquals("verified: expected true or false, got 'no' (line 28, column 11)",
        error(replaceOnce(REAL, "verified: false", "verified: \"no\"")));
    String e = error(replaceOnce(REAL, "  argv: [openocd, -c, \"program {elf} verify reset exit\"]",
        "  argv: \"openocd -c 'program {elf} verify reset exit'\""));
    assertTrue(e.startsWith("flasher.argv: expected a list, got 'openocd -c 'program {elf} verify reset exit''"), e);
    assertTrue(error(replaceOnce(REAL, "  bits: [2, 4, 8]", "  bits: [2, four, 8]"))
        .startsWith("npu.bits[1]: expected an integer, got 'four'"));
    assertTrue(error(replaceOnce(REAL, "console:\n  uart: UART0\n  baud: 115200", "console: UART0"))
        .startsWith("console: expected a mapping, got 'UART0'"));
    assertTrue(error(replaceOnce(REAL, "  layer_overhead: 100", "  layer_overhead: [100]"))
        .startsWith("cost.layer_overhead: expected a number, got a list"));
  }

  @Test
  void bitsOutOfRange() throws IOException {
    assertEquals("npu.bits[1]: 3 is not one of 2, 4, 8", error(replaceOnce(REAL, "bits: [2, 4, 8]", "bits: [2, 3, 8]")));
    assertEquals("npu.bits[2]: 4 is listed twice", error(replaceOnce(REAL, "bits: [2, 4, 8]", "bits: [2, 4, 4]")));
  }

  @Test
  void requantMultiplierWidthOutOfRangeOrIncomplete() throws IOException {
    assertEquals("npu.requant_mult_bits: 32 is outside 1..31 (1 = power-of-two scales only, 31 = a 31-bit multiplier)",
        error(replaceOnce(REAL, "requant_mult_bits: 31", "requant_mult_bits: 32")));
    assertEquals("npu.requant_mult_bits.4: 0 is outside 1..31",
        error(replaceOnce(REAL, "requant_mult_bits: 31", "requant_mult_bits: {2: 8, 4: 0, 8: 1}")));
    assertEquals("npu.requant_mult_bits: has no entry for 8-bit weights; add 8: <1..31>",
        error(replaceOnce(REAL, "requant_mult_bits: 31", "requant_mult_bits: {2: 8, 4: 8}")));
  }

  @Test
  void negativeSizes() throws IOException {
    assertEquals("ram_bytes: -1 is negative; give the data memory size in bytes",
        error(replaceOnce(REAL, "ram_bytes: 262144", "ram_bytes: -1")));
  }

  @Test
  void badFlasherKind() throws IOException {
    assertEquals("flasher.kind: 'jtag' is not one of qemu, command",
        error(replaceOnce(REAL, "  kind: command", "  kind: jtag")));
  }

  @Test
  void qemuBoardWithoutQemuSection() throws IOException {
    String noQemu = QEMU.substring(0, QEMU.indexOf("qemu:\n"));
    assertEquals("qemu: missing; a board with flasher.kind qemu needs a qemu section {machine, cpu, extra_args}",
        error(noQemu + "cost:" + QEMU.substring(QEMU.indexOf("\ncost:") + 6)));
  }

  @Test
  void qemuSectionOnARealBoardAndArgvOnAQemuBoard() throws IOException {
    assertEquals("qemu: only used when flasher.kind is qemu; remove the qemu section or set flasher.kind: qemu",
        error(REAL + "qemu:\n  machine: mps2-an386\n  cpu: cortex-m4\n"));
    assertEquals("flasher.argv: not used with kind qemu (the command comes from the qemu section); remove it",
        error(replaceOnce(QEMU, "  kind: qemu\n", "  kind: qemu\n  argv: [x, \"{elf}\"]\n")));
  }

  @Test
  void flasherArgvPlaceholders() throws IOException {
    assertEquals("flasher.argv[2]: unknown placeholder {image}; known: {bin}, {elf}, {hex}, {profile_dir}",
        error(replaceOnce(REAL, "program {elf} verify", "program {elf} {image} verify")));
    assertEquals("flasher.argv: never names the firmware; put {elf}, {hex} or {bin} in one of the arguments",
        error(replaceOnce(REAL, "program {elf} verify", "program fw.elf verify")));
    assertEquals("flasher.argv: missing; add it (the flash command as a list of arguments with {elf}, {hex} or {bin}, "
        + "e.g. [openocd, -f, ...])",
        error(replaceOnce(REAL, "  argv: [openocd, -c, \"program {elf} verify reset exit\"]\n", "")));
  }

  @Test
  void idMustMatchTheFileName() throws IOException {
    assertEquals("id: 'other-board' does not match the file name test-board.yaml; rename the file to "
        + "other-board.yaml or set id: test-board", error(replaceOnce(REAL, "id: test-board", "id: other-board")));
  }

  @Test
  void enumValuesListTheChoices() throws IOException {
    assertEquals("core: 'cortex-m99' is not one of cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, "
        + "cortex-m55, c28x", error(replaceOnce(REAL, "core: cortex-m4", "core: cortex-m99")));
    assertEquals("timer: 'rtc' is not one of dwt, systick, icount, cputimer",
        error(replaceOnce(REAL, "timer: dwt", "timer: rtc")));
    assertEquals("fpu: cortex-m3 has no FPU; set fpu: none", error(replaceOnce(REAL, "core: cortex-m4", "core: cortex-m3")));
  }

  @Test
  void consistencyChecksBetweenSections() throws IOException {
    assertEquals("timer: icount only exists under QEMU; a real board uses dwt, systick or cputimer",
        error(replaceOnce(REAL, "timer: dwt", "timer: icount").replace("unit: cycles", "unit: instructions")));
    assertEquals("cost.unit: 'instructions' but timer dwt counts cycles; use unit: cycles",
        error(replaceOnce(REAL, "unit: cycles", "unit: instructions")));
    assertEquals("qemu.extra_args: timer is icount but the QEMU arguments lack -icount (add -icount, shift=0)",
        error(replaceOnce(QEMU, "[-nographic, -icount, shift=0]", "[-nographic]")));
    assertEquals("cost.per_mac.dense: has no entry for 4 bits; add 4: <cost per MAC>",
        error(replaceOnce(REAL, "    dense: {2: 3, 4: 3, 8: 2, 32: 4}", "    dense: {2: 3, 8: 2, 32: 4}")));
    assertEquals("cost.per_mac.conv2d: unknown layer kind 'conv2d'; known kinds: conv, depthwise_conv, dense, "
        + "max_pool, avg_pool, add", error(replaceOnce(REAL, "    conv: {", "    conv2d: {")
            .replace("    depthwise_conv", "    conv: {2: 3, 4: 3, 8: 2, 32: 4}\n    depthwise_conv")));
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path f = write(replaceOnce(replaceOnce(REAL, "bits: [2, 4, 8]", "bits: [2, 3, 8]"), "  kind: command", "  kind: jtag"));
    BoardProfileException e = assertThrows(BoardProfileException.class, () -> BoardProfiles.load(f));
    assertEquals(List.of("npu.bits[1]", "flasher.kind"),
        e.problems().stream().map(BoardProfileException.Problem::keyPath).collect(java.util.stream.Collectors.toList()));
    assertEquals(2, e.getMessage().lines().count());
  }

  @Test
  void yamlSyntaxDuplicateKeysAndEmptyFiles() throws IOException {
    String syntax = error(REAL + "npu: [unclosed\n");
    assertTrue(syntax.startsWith("YAML syntax error (line "), syntax);
    String dup = error(REAL + "clock_hz: 1\n");
    assertTrue(dup.contains("Duplicate field 'clock_hz'"), dup);
    assertEquals("the file is empty; see board-profiles/README.md for the keys", error(""));
    Path missing = dir.resolve("nope.yaml");
    BoardProfileException e = assertThrows(BoardProfileException.class, () -> BoardProfiles.load(missing));
    assertEquals(missing + ": no such file", e.getMessage());
    assertNotNull(e.problems().get(0));
  }
}
