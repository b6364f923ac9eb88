package io.edgeamp.hil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.hil.board.HardwareMap;
import io.edgeamp.hil.driver.HarnessClient;
import io.edgeamp.hil.job.JobSpec;
import io.edgeamp.hil.job.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation, metrics, harness parsing and the hardware map, without boards. */
class HilUnitTest {
  @Test
  void idsAndPathsAreConfined() throws Exception {
    Path root = TestSupport.freshDir("unit");
    assertThrows(HilException.class, () -> Ids.confine(root, "../x"));
    assertThrows(HilException.class, () -> Ids.confine(root, "/etc/passwd"));
    assertThrows(HilException.class, () -> Ids.confine(root, "a/../../x"));
    Files.createSymbolicLink(root.resolve("link"), Path.of("/etc"));
    assertThrows(HilException.class, () -> Ids.confine(root, "link/passwd"));
    assertEquals(root.resolve("a/b.elf"), Ids.confine(root, "a/b.elf"));
    for (String bad : new String[] {"", "..", "a/b", "a b", "-x", "x..y", "a\u0000"}) {
      assertFalse(Ids.isId(bad), bad);
    }
    assertTrue(Ids.isId("qemu-mps2-an386-0"));
  }

  @Test
  void tokenFileIsPrivateAndStable() throws Exception {
    Path f = TestSupport.freshDir("token").resolve("token");
    String t = HilServer.loadOrCreateToken(f);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(t, HilServer.loadOrCreateToken(f));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
  }

  @Test
  void bitExactnessAndTop1() {
    JsonArray vectors = DemoFirmware.vectors(3, 1);
    JsonObject job = new JsonObject().put("id", "j").put("profile", "p").put("firmware", new JsonObject().put("id", "fw-1"))
        .put("vectors", vectors);
    JobSpec spec = JobSpec.parse(job, null);
    assertEquals("top1", spec.metric);
    List<Metrics.Measured> ok = new java.util.ArrayList<>();
    for (JobSpec.Vector v : spec.vectors) {
      List<Integer> out = new java.util.ArrayList<>();
      for (int x : v.expected) {
        out.add(x);
      }
      ok.add(new Metrics.Measured(out, List.of(2800L), List.of(2L)));
    }
    JsonObject r = Metrics.evaluate(spec, ok, new JsonObject());
    assertEquals("pass", r.getString("verdict"));
    assertEquals(1.0, r.getJsonObject("metric").getDouble("value"));
    // one element off in vector 1, and a short output in vector 2
    ok.get(1).outputs.set(4, ok.get(1).outputs.get(4) + 1);
    ok.get(2).outputs.remove(7);
    r = Metrics.evaluate(spec, ok, new JsonObject());
    assertEquals("mismatch", r.getString("verdict"));
    assertEquals(2, r.getInteger("mismatches"));
    assertEquals(1, r.getJsonObject("first_mismatch").getInteger("vector"));
    assertEquals(4, r.getJsonObject("first_mismatch").getInteger("element"));
    assertThrows(HilException.class, () -> JobSpec.parse(job.copy().put("iterations", 0), null));
    assertThrows(HilException.class, () -> JobSpec.parse(job.copy().put("id", "../x"), null));
    assertThrows(HilException.class, () -> JobSpec.parse(job.copy().put("vectors", new JsonArray()), null));
  }

  @Test
  void harnessRepliesAreParsed() throws Exception {
    String dut = "m-[Expecting 2 bytes]\r\nm-ready\r\nm-load-done\r\nm-ready\r\n"
        + "m-warmup-start-1\r\nm-warmup-done\r\nm-infer-start-2\r\nm-lap-cycles-2800\r\nm-lap-us-2\r\n"
        + "m-lap-cycles-2800\r\nm-lap-us-2\r\nm-results-[-3,4]\r\nm-infer-done\r\nm-ready\r\n"
        + "e-[Unknown command: x]\r\nm-ready\r\n";
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    try (HarnessClient h = new HarnessClient(new ByteArrayInputStream(dut.getBytes(StandardCharsets.US_ASCII)), sent, "t")) {
      h.load(new byte[] {1, (byte) 0xff}, 1000);
      HarnessClient.Inference inf = h.infer(2, 1, 1000);
      assertEquals(List.of(2800L, 2800L), inf.cycles);
      assertEquals(List.of(-3, 4), inf.outputs);
      assertThrows(HarnessClient.HarnessErrorException.class, () -> h.command("x", 1000));
      assertThrows(HarnessClient.BoardLostException.class, () -> h.command("name", 1000));
    }
    assertEquals("db load 2%db 01ff%infer 2 1%x%name%", sent.toString(StandardCharsets.US_ASCII));
  }

  @Test
  void perLayerLinesBecomeLatencyTableRows() throws Exception {
    String dut = "m-warmup-start-0\r\nm-warmup-done\r\nm-infer-start-1\r\nm-lap-cycles-1000\r\nm-lap-us-1\r\n"
        + "m-layer-0-[conv2,conv,64x1x3>64x1x8/9,4]-640\r\nm-layer-1-[fc14,dense,1x1x8>1x1x4/8,8]-320\r\n"
        + "m-results-[1,2]\r\nm-infer-done\r\nm-ready\r\n";
    HarnessClient.Inference inf;
    try (HarnessClient h = new HarnessClient(new ByteArrayInputStream(dut.getBytes(StandardCharsets.US_ASCII)), new ByteArrayOutputStream(), "t")) {
      inf = h.infer(1, 0, 1000);
    }
    assertEquals(2, inf.layers.size());
    assertEquals(new HarnessClient.Layer(0, "conv2", "conv", "64x1x3>64x1x8/9", 4, 640), inf.layers.get(0));
    assertEquals(null, HarnessClient.Layer.parse("m-layer-x-[a,b,c,4]-1"));
    JsonObject job = new JsonObject().put("id", "j").put("profile", "p").put("firmware", new JsonObject().put("id", "fw-1"))
        .put("vectors", DemoFirmware.vectors(1, 1));
    JobSpec spec = JobSpec.parse(job, null);
    JsonObject result = new JsonObject().put("model", "m").put("unit", "instructions")
        .put("latency", new JsonObject().put("cycles", Metrics.stats(List.of(1000L))).put("us", Metrics.stats(List.of(1L))))
        .put("per_vector", new JsonArray().add(new JsonObject().put("outputs", new JsonArray().add(1).add(2))))
        .put("layer_latency", new JsonArray().add(new JsonObject().put("index", 0).put("name", "conv2").put("kind", "conv")
            .put("shape", "64x1x3>64x1x8/9").put("bits", 4).put("cycles_median", 640L).put("cycles_min", 600L).put("cycles_max", 700L)
            .put("samples", 3)));
    io.edgeamp.hil.board.Board board = new io.edgeamp.hil.board.Board("qemu-mps2-an386", "qemu-mps2-an386", "qemu", java.util.Set.of(), null, null,
        b -> { });
    List<JsonObject> rows = io.edgeamp.hil.job.JobRunner.latencyRows(spec, board, result);
    assertEquals(2, rows.size());
    assertEquals("model", rows.get(0).getString("layer_kind"));
    assertEquals("conv", rows.get(1).getString("layer_kind"));
    assertEquals("64x1x3>64x1x8/9", rows.get(1).getString("shape"));
    assertEquals(4, rows.get(1).getInteger("bits"));
    assertEquals(640L, rows.get(1).getLong("cycles_median"));
  }

  @Test
  void hardwareMapRejectsUnknownKeysAndShellStrings() throws Exception {
    Path dir = TestSupport.freshDir("hwmap");
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "boards:\n  - id: nucleo-1\n    profile: nucleo-f446re\n    tags: [m4]\n"
        + "    console: {kind: tcp, address: \"127.0.0.1:7001\"}\n"
        + "    flasher: {argv: [openocd, -c, \"program {elf} verify reset exit\"], timeout_s: 30}\n"
        + "    fixtures: {power: relay-3}\n");
    HardwareMap m = HardwareMap.load(good);
    assertEquals("nucleo-1", m.boards.get(0).id);
    assertEquals(30, m.boards.get(0).flasher.timeoutS);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(good) + "    colour: red\n");
    assertThrows(Exception.class, () -> HardwareMap.load(bad));
    Path badId = dir.resolve("bad-id.yaml");
    Files.writeString(badId, Files.readString(good).replace("nucleo-1", "../x"));
    assertThrows(Exception.class, () -> HardwareMap.load(badId));
  }
}
