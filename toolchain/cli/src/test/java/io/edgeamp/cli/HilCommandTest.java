package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.DemoFirmware;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `toolchain hil run` with an embedded server and one QEMU board, on the demo harness firmware. */
class HilCommandTest {
  @Test
  void runPrintsLatencyAndMetric() throws Exception {
    Path repo = Path.of("../..").toAbsolutePath().normalize();
    Path dir = Files.createTempDirectory("hil-cli");
    Path elf = DemoFirmware.build(repo, "mps2-an386", dir.resolve("fw"));
    Path vectors = dir.resolve("vectors.json");
    Files.writeString(vectors, new JsonObject().put("vectors", DemoFirmware.vectors(4, 3)).encode());
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      rc = Toolchain.commandLine().execute("hil", "run", "--board", "qemu-mps2-an386", "--firmware", elf.toString(),
          "--vectors", vectors.toString(), "--work", dir.resolve("work").toString());
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, rc, out);
    assertTrue(out.contains("QEMU instruction counts"), out);
    assertTrue(out.contains("metric top1_accuracy = 1.0"), out);
    assertTrue(out.contains("verdict: pass"), out);
  }
}
