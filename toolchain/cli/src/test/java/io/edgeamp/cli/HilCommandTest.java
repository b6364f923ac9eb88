package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.artifact.ArtifactWriter;
import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.zoo.ModelZoo;
import io.edgeamp.hil.DemoFirmware;
import io.edgeamp.hil.driver.CommandDriver;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `toolchain hil run` with an embedded server and one QEMU board: on the demo harness firmware, and on a
 * `toolchain codegen` output for the Cortex-M0+ board (its harness firmware and test_vectors.json).
 */
class HilCommandTest {
  @Test
  void runPrintsLatencyAndMetric() throws Exception {
    Path repo = Path.of("../..").toAbsolutePath().normalize();
    Path dir = Files.createTempDirectory("hil-cli");
    Path elf = DemoFirmware.build(repo, "mps2-an386", dir.resolve("fw"));
    Path vectors = dir.resolve("vectors.json");
    Files.writeString(vectors, new JsonObject().put("vectors", DemoFirmware.vectors(4, 3)).encode());
    StringBuilder buf = new StringBuilder();
    int rc = cli(new StringWriter(), buf, "hil", "run", "--board", "qemu-mps2-an386", "--firmware", elf.toString(),
        "--vectors", vectors.toString(), "--work", dir.resolve("work").toString());
    String out = buf.toString();
    assertEquals(0, rc, out);
    assertTrue(out.contains("QEMU instruction counts"), out);
    assertTrue(out.contains("metric top1_accuracy = 1.0"), out);
    assertTrue(out.contains("verdict: pass"), out);
  }

  /** Runs the CLI with stdout captured (the run summary goes to System.out) and stderr into {@code err}. */
  private static int cli(StringWriter err, StringBuilder out, String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      CommandLine cl = Toolchain.commandLine();
      cl.setErr(new PrintWriter(err, true));
      return cl.execute(args);
    } finally {
      System.setOut(old);
      out.append(buf.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void codegenOutputRunsAsItIsOnTheCortexM0PlusBoard() throws Exception {
    Path repo = CodegenCommandTest.root();
    Path dir = Files.createTempDirectory("hil-cli-codegen");
    QuantizedModel m = CodegenCommandTest.quantize(ModelZoo.build("REGR_13k", 3, 64, 2, 5), 3, 64, new int[] {8, 4, 2, 32, 8},
        TargetSpec.of(BoardProfiles.load(repo.resolve("board-profiles/qemu-microbit.yaml"))));
    Path artifact = dir.resolve("artifact");
    ArtifactWriter.write(m, artifact);
    Path fw = dir.resolve("fw");
    StringWriter err = new StringWriter();
    StringBuilder out = new StringBuilder();
    assertEquals(0, cli(err, out, "codegen", "--board", "qemu-microbit", "--model", artifact.toString(), "--out", fw.toString(),
        "--vectors", "5", "--profiles", repo.resolve("board-profiles").toString()), err.toString());
    JsonObject vectors = new JsonObject(Files.readString(fw.resolve("test_vectors.json")));
    assertEquals("REGR_13k", vectors.getString("model"));
    assertEquals(5, vectors.getJsonArray("vectors").size());

    // Not built yet: the error says how to build it, and no job runs.
    err.getBuffer().setLength(0);
    assertEquals(2, cli(err, out, "hil", "run", "--board", "qemu-microbit", "--model", fw.toString(), "--work", dir.resolve("w0").toString()));
    assertTrue(err.toString().contains("no firmware in " + fw) && err.toString().contains("cmake -S " + fw), err.toString());

    Path log = dir.resolve("build.log");
    int rc = CommandDriver.run(List.of("cmake", "-S", fw.toString(), "-B", fw.resolve("build").toString()), 300, log);
    if (rc == 0) rc = CommandDriver.run(List.of("cmake", "--build", fw.resolve("build").toString(), "-j2"), 600, log);
    assertEquals(0, rc, Files.readString(log));

    out.setLength(0);
    err.getBuffer().setLength(0);
    rc = cli(err, out, "hil", "run", "--board", "qemu-microbit", "--model", fw.toString(), "--iterations", "2",
        "--work", dir.resolve("w1").toString());
    assertEquals(0, rc, out + "\n" + err);
    assertTrue(out.toString().contains("model REGR_13k, 5 vectors x 2 runs"), out.toString());
    assertTrue(out.toString().contains("QEMU instruction counts"), out.toString());
    assertTrue(out.toString().contains("bit-exact: true (0 mismatching of 5 compared)"), out.toString());
    assertTrue(out.toString().contains("verdict: pass"), out.toString());
  }
}
