package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Mistakes in what a user gives {@code hil test} and {@code hil run} end in one line naming the file,
 * field or server and exit code 2, before any build or board time is spent: a suite that is not YAML,
 * out-of-range numbers, a demo entry on a board the demo cannot run on, a codegen entry on an unknown
 * board profile, a missing token file, a server that is not there, firmware generated for another board.
 */
class HilInputErrorsTest {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  @TempDir Path dir;

  /** {exit code, stdout + stderr}. */
  static String[] run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int rc;
    try {
      PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
      System.setOut(p);
      System.setErr(p);
      CommandLine cl = Toolchain.commandLine();
      cl.setErr(new PrintWriter(err, true));
      rc = cl.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {Integer.toString(rc), buf.toString(StandardCharsets.UTF_8) + err};
  }

  Path suite(String name, String... lines) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  static void assertOneLineError(String[] r, String... parts) {
    assertEquals("2", r[0], r[1]);
    for (String p : parts) assertTrue(r[1].contains(p), "missing '" + p + "' in:\n" + r[1]);
    assertFalse(r[1].contains("\tat "), "stack trace in:\n" + r[1]);
  }

  String[] hilTest(Path suite, String... more) {
    String[] base = {"hil", "test", suite.toString(), "--repo", REPO.toString(), "--work", dir.resolve("work").toString()};
    String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, a, base.length, more.length);
    return run(a);
  }

  @Test
  void suiteThatIsNotYamlNamesLineAndColumn() throws Exception {
    Path f = suite("syntax.yaml", "suite: x", "  task: [");
    assertOneLineError(hilTest(f), f + ":2:", "not valid YAML");
    assertFalse(Files.exists(dir.resolve("work/junit.xml")));
  }

  @Test
  void outOfRangeNumbersAreRefusedBeforeAnyBuild() throws Exception {
    Path f = suite("vectors.yaml", "suite: x", "task: classification", "boards: [qemu-mps2-an386]", "entries:",
        "  - {name: a, firmware: demo, vectors: -3}");
    assertOneLineError(hilTest(f), "entry a: vectors must be in 1..100000, got -3");
    Path g = suite("iters.yaml", "suite: x", "task: classification", "boards: [qemu-mps2-an386]", "defaults: {iterations: 0}", "entries:",
        "  - {name: a, firmware: demo}");
    assertOneLineError(hilTest(g), "defaults: iterations must be in 1..1000000, got 0");
    assertFalse(Files.exists(dir.resolve("work/build")), "nothing built");
  }

  @Test
  void boardsTheEntryCannotRunOnAreRefusedBeforeAnyBuild() throws Exception {
    Path demo = suite("demo.yaml", "suite: x", "task: classification", "boards: [qemu-nope]", "entries:", "  - {name: a, firmware: demo}");
    assertOneLineError(hilTest(demo), "entry a: board qemu-nope: the demo firmware runs on the emulated boards");
    Path cg = suite("cg.yaml", "suite: x", "task: regression", "boards: [no-such-board]", "entries:",
        "  - {name: g, firmware: codegen, artifact: somewhere}");
    assertOneLineError(hilTest(cg), "entry g: board no-such-board", "unknown board 'no-such-board'");
  }

  @Test
  void missingTokenFileAndUnreachableServer() throws Exception {
    Path f = suite("ok.yaml", "suite: x", "task: classification", "boards: [qemu-mps2-an386]", "entries:", "  - {name: a, firmware: demo}");
    Path noToken = dir.resolve("no-token");
    assertOneLineError(hilTest(f, "--server", "http://127.0.0.1:9", "--token-file", noToken.toString()),
        "token file " + noToken + " does not exist");
    Path token = Files.writeString(dir.resolve("token"), "abc\n");
    String url = "http://127.0.0.1:" + freePort();
    assertOneLineError(hilTest(f, "--server", url, "--token-file", token.toString()), "cannot reach the HIL server at " + url);
    assertFalse(Files.exists(dir.resolve("work/build")), "nothing built");

    Path model = generatedProject("qemu-mps2-an386");
    assertOneLineError(run("hil", "run", "--board", "qemu-mps2-an386", "--model", model.toString(), "--server", url, "--token-file",
        noToken.toString()), "token file " + noToken + " does not exist");
    assertOneLineError(run("hil", "run", "--board", "qemu-mps2-an386", "--model", model.toString(), "--server", url, "--token-file",
        token.toString()), "cannot reach the HIL server at " + url);
  }

  @Test
  void hilRunRefusesFirmwareGeneratedForAnotherBoard() throws Exception {
    Path model = generatedProject("qemu-mps2-an386");
    assertOneLineError(run("hil", "run", "--board", "qemu-mps2-an385", "--model", model.toString()),
        "generated for board qemu-mps2-an386", "not qemu-mps2-an385", "--board qemu-mps2-an386", "codegen --board qemu-mps2-an385");
  }

  /** With --server, --board is looked up among the server's boards (any id) and checked against the board's own profile. */
  @Test
  void hilRunOnAServerChecksTheBoardsProfile() throws Exception {
    io.edgeamp.hil.HilConfig cfg = new io.edgeamp.hil.HilConfig().workDir(dir.resolve("server")).qemu("qemu-mps2-an386", 1);
    try (io.edgeamp.hil.HilServer s = new io.edgeamp.hil.HilServer(cfg).start()) {
      Path token = Files.writeString(dir.resolve("token"), s.token());
      String id = s.boards().all().iterator().next().id;
      Path model = generatedProject("qemu-mps2-an385");
      assertOneLineError(run("hil", "run", "--server", s.baseUrl(), "--token-file", token.toString(), "--board", id, "--model", model.toString()),
          "generated for board qemu-mps2-an385", "not qemu-mps2-an386");
      // a profile name is a profile: the check passes and the server gets to judge the (placeholder) firmware
      assertOneLineError(run("hil", "run", "--server", s.baseUrl(), "--token-file", token.toString(), "--board", "qemu-mps2-an385", "--model",
          model.toString()), "firmware " + model.resolve("build/m_harness.elf") + ": the HIL server refused it: firmware is not an ELF file");
    }
  }

  @Test
  void hilRunOnAnArtifactSaysToGenerateAProjectFirst() throws Exception {
    Path artifact = Files.createDirectories(dir.resolve("runs/artifact"));
    Files.writeString(artifact.resolve("model.json"), "{}");
    assertOneLineError(run("hil", "run", "--board", "qemu-mps2-an386", "--model", artifact.toString()),
        artifact + " is a quantized artifact, not a generated project", "toolchain codegen --board qemu-mps2-an386 --model " + artifact);
  }

  @Test
  void aGroupCommandWithoutItsSubcommandIsAnError() {
    assertOneLineError(run("hil"), "hil needs a command: serve, run, bench, test, load", "toolchain hil --help");
    assertOneLineError(run("dataset"), "dataset needs a command: synth or info", "toolchain dataset --help");
    assertOneLineError(run("quantize", "--tolerance", "abc"), "Invalid value for option '--tolerance'", "toolchain quantize --help");
    assertEquals("2", run()[0], "no command at all");
  }

  /**
   * The files of a codegen output that {@code hil run --model} reads before it talks to a server:
   * codegen-report.json naming the board, test_vectors.json and a harness ELF (contents not read
   * before the upload, so a placeholder).
   */
  Path generatedProject(String board) throws Exception {
    Path m = Files.createDirectories(dir.resolve("fw/build"));
    Files.writeString(m.resolve("m_harness.elf"), "placeholder: these tests stop before the upload");
    Files.writeString(dir.resolve("fw/codegen-report.json"), "{\"board\": \"" + board + "\", \"model\": \"m\"}");
    Files.writeString(dir.resolve("fw/test_vectors.json"), "{\"model\": \"m\", \"vectors\": [{\"input\": \"00\", \"expected\": [0]}]}");
    return dir.resolve("fw");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again: nothing listens there
    }
  }
}
