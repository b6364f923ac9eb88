package io.edgeamp.hil.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hardware maps the server must refuse at start, each with one error that names the file, the board
 * and the key, and before it creates its work dir. A reviewer saw a Jackson stack trace (exit 1, no file,
 * no key) for an unknown key or a wrong type, with token, db and broker dirs already made; and a map
 * with a profile in no board-profiles folder, an unknown placeholder, a negative timeout or a flasher
 * that does not exist started and listed the board idle (the last failed each job as "Cannot run
 * program ... error=2", retried as a board fault).
 */
class HardwareMapValidationTest {
  private static final Path REPO = Path.of(System.getProperty("edgeamp.repo", "..")).toAbsolutePath().normalize();
  private static final Path DIR = Path.of(System.getProperty("edgeamp.hil.testDir", "target/hil-test")).toAbsolutePath();

  /** A board that passes every check; each case below breaks one thing of it. */
  private static final String GOOD = String.join("\n", "boards:",
      "  - id: nucleo-1",
      "    profile: nucleo-f446re",
      "    tags: [m4]",
      "    console: {kind: tcp, address: \"127.0.0.1:7001\"}",
      "    flasher: {argv: [/bin/sh, -c, \"exit 0\", \"{elf}\"], timeout_s: 20}",
      "    health: {argv: [\"true\"], timeout_s: 5}",
      "");

  private static Path write(String name, String yaml) throws Exception {
    Path d = Files.createDirectories(DIR.resolve("hwmap-" + System.nanoTime()));
    Path f = d.resolve(name);
    Files.writeString(f, yaml, StandardCharsets.UTF_8);
    return f;
  }

  /** Starts a server on the map: it must refuse, and leave no work dir; returns the message. */
  private static String refused(Path map) {
    Path work = map.resolveSibling("work");
    HilConfig cfg = new HilConfig().workDir(work);
    cfg.hardwareMap = map;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HilServer(cfg).start().stop());
    assertFalse(Files.exists(work), "work dir created before the map was read: " + work);
    assertTrue(e.getMessage().startsWith("hardware map " + map + ": "), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  private static void assertHas(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + p + "' not in: " + message);
    }
  }

  @Test
  void theGoodMapLoads() throws Exception {
    HardwareMap m = HardwareMap.loadForServer(write("good.yaml", GOOD));
    assertEquals("nucleo-1", m.boards.get(0).id);
    assertEquals(20, m.boards.get(0).flasher.timeoutS);
  }

  @Test
  void anUnknownKeyNamesFileKeyPathLineAndTheAllowedKeys() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("timeout_s: 20}", "timeout_s: 20, retries: 2}")));
    assertHas(m, "boards[0].flasher: unknown key 'retries' (line 6, column", "allowed keys here: argv, timeout_s",
        "fix the spelling or remove it");
  }

  @Test
  void aWrongTypeNamesKeyPathLineAndTheFix() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("timeout_s: 20}", "timeout_s: \"20s\"}")));
    assertHas(m, "boards[0].flasher.timeout_s: expected an integer, got '20s' (line 6, column", "e.g. timeout_s: 20");
    // a YAML number where an argument belongs is not silently turned into other text
    m = refused(write("bad.yaml", GOOD.replace("\"exit 0\"", "0x8000000")));
    assertHas(m, "boards[0].flasher.argv[2]: expected a string, got 134217728 (line 6", "quote it to pass it as text: \"0x8000000\"");
    m = refused(write("bad.yaml", GOOD.replace("\"exit 0\"", "on")));
    assertHas(m, "boards[0].flasher.argv[2]: expected a string, got true", "quote it to pass it as text: \"on\"");
    m = refused(write("bad.yaml", GOOD.replace("    tags: [m4]\n", "    tags: [m4]\n    tags: [m7]\n")));
    assertHas(m, "boards[0]: duplicate key 'tags' (line 5, column", "keep one of them");
    m = refused(write("bad.yaml", ""));
    assertHas(m, "the file is empty");
    m = refused(write("bad.yaml", "boards: [\n"));
    assertHas(m, "YAML syntax error at line");
  }

  @Test
  void aProfileInNoBoardProfilesFolderIsRefused() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("profile: nucleo-f446re", "profile: nucleo-f999zz")));
    assertHas(m, "board nucleo-1 (boards[0]): profile: 'nucleo-f999zz' is in no board-profiles folder", "nucleo-f446re",
        "add board-profiles/nucleo-f999zz.yaml");
  }

  @Test
  void anUnknownPlaceholderIsRefused() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("\"{elf}\"", "\"{image}\"")));
    assertHas(m, "board nucleo-1 (boards[0]): flasher.argv[3] '{image}': unknown placeholder {image}",
        "known: {elf}, {bin}, {hex}, {board}, {workdir}");
    m = refused(write("bad.yaml", GOOD.replace("argv: [\"true\"]", "argv: [\"true\", \"{elf}\"]")));
    assertHas(m, "health.argv[1] '{elf}': {elf} has no value here", "known: {board}, {workdir}");
    m = refused(write("bad.yaml", GOOD.replace(", \"{elf}\"]", ", \"{board}\"]")));
    assertHas(m, "flasher.argv: names no firmware image; pass it with {elf}, {bin} or {hex}");
  }

  @Test
  void timeoutsOutOfRangeAreRefused() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("timeout_s: 20}", "timeout_s: -5}")));
    assertHas(m, "board nucleo-1 (boards[0]): flasher.timeout_s: -5 is out of range; give whole seconds from 1 to 86400");
    m = refused(write("bad.yaml", GOOD.replace("timeout_s: 5}", "timeout_s: 0}")));
    assertHas(m, "health.timeout_s: 0 is out of range");
    m = refused(write("bad.yaml", GOOD + "    boot_timeout_s: 100000\n"));
    assertHas(m, "boot_timeout_s: 100000 is out of range");
  }

  @Test
  void aFlasherOrHealthProgramThatCannotRunIsRefused() throws Exception {
    String m = refused(write("bad.yaml", GOOD.replace("[/bin/sh,", "[/opt/nowhere/st-flash,")));
    assertHas(m, "board nucleo-1 (boards[0]): flasher.argv[0]: '/opt/nowhere/st-flash' does not exist; install it or fix the path");
    m = refused(write("bad.yaml", GOOD.replace("[/bin/sh,", "[st-flash-not-installed,")));
    assertHas(m, "flasher.argv[0]: 'st-flash-not-installed' is not on PATH", "give its absolute path");
    m = refused(write("bad.yaml", GOOD.replace("[/bin/sh,", "[bin/sh,")));
    assertHas(m, "flasher.argv[0]: 'bin/sh' is a relative path");
    Path notExecutable = write("flash.sh", "#!/bin/sh\n");
    m = refused(write("bad.yaml", GOOD.replace("[/bin/sh,", "[" + notExecutable + ",")));
    assertHas(m, "flasher.argv[0]: '" + notExecutable + "' is not an executable file");
    m = refused(write("bad.yaml", GOOD.replace("argv: [\"true\"]", "argv: [/opt/nowhere/st-info]")));
    assertHas(m, "health.argv[0]: '/opt/nowhere/st-info' does not exist");
  }

  /** {bin} and {hex} are made by arm-none-eabi-objcopy: a host without it is told at load, not per job. */
  @Test
  void binAndHexNeedObjcopyOnPath() throws Exception {
    Path f = write("bin.yaml", GOOD.replace("\"{elf}\"", "\"{bin}\"").replace("argv: [\"true\"]", "argv: [/bin/true]"));
    HardwareMap map = HardwareMap.load(f);
    BoardProfiles profiles = new BoardProfiles(List.of(REPO.resolve("board-profiles")));
    new HardwareMapHostCheck(f, profiles, "/usr/bin:/bin").check(map); // Debian's binutils-arm-none-eabi
    Path empty = Files.createDirectories(f.resolveSibling("empty-path"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HardwareMapHostCheck(f, profiles, empty.toString()).check(map));
    assertHas(e.getMessage(), "board nucleo-1 (boards[0]): flasher.argv uses {bin}", "arm-none-eabi-objcopy",
        "not on PATH (" + empty + ")", "apt-get install binutils-arm-none-eabi");
  }
}
