package io.edgeamp.hil.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.HilConfig;
import io.edgeamp.hil.HilServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Hardware maps the server must refuse at start, each with one error that names the file, the board
 * and the key, and before it creates its work dir. A reviewer saw a Jackson stack trace (exit 1, no file,
 * no key) for an unknown key or a wrong type, with token, db and broker dirs already made.
 */
class HardwareMapValidationTest {
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
    HardwareMap m = HardwareMap.load(write("good.yaml", GOOD));
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
}
