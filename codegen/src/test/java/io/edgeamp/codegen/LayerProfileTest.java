package io.edgeamp.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-layer profiling: the harness firmware (built with EDGEAMP_LAYER_PROFILE, the default) reports one
 * m-layer line per layer after infer, keyed like codegen-report.json, whose counts add up to the
 * whole-inference lap minus the timer reads' overhead; the self-test firmware stays unprofiled.
 */
class LayerProfileTest {
  @TempDir Path work;

  @Test
  void harnessReportsPerLayerCountsThatSumToTheInference() throws Exception {
    for (String tool : List.of("cmake", "arm-none-eabi-gcc", "qemu-system-arm")) {
      assumeTrue(FirmwareBuild.run(List.of(tool, "--version"), null, 30, null).exit() == 0, tool + " not available");
    }
    Path runtime = Fixtures.root().resolve("device-runtime");
    BoardProfile board = Fixtures.board("qemu-mps2-an386");
    QuantizedModel m = Fixtures.zooModel("CLS_4k_NPU", 4, new int[] {2, 4, 8, 8, 8}, TargetSpec.of(board));
    Codegen.Result g = Codegen.generate(m, "layer profile test", board, work.resolve("gen"),
        Codegen.Options.defaults().withName("prof").withVectors(3).withRuntimeDir(runtime));
    JsonNode report = new ObjectMapper().readTree(g.out().resolve("codegen-report.json").toFile());
    JsonNode rl = report.get("layers");
    assertEquals(m.layers().size(), rl.size());
    Path bin = FirmwareBuild.build(runtime, List.of(g.out()), "mps2-an386", work.resolve("build"), 2);
    Path elf = bin.resolve("0").resolve(g.cName() + "_harness.elf");
    try (HarnessSession s = new HarnessSession(board.qemu().command(elf), 30_000)) {
      s.load(g.inputs()[2]);
      HarnessSession.Inference inf = s.infer(1, 1);
      assertArrayEquals(g.expected()[2], inf.results());
      assertEquals(m.layers().size(), inf.layers().size(), s.transcript());
      long sum = 0;
      for (int i = 0; i < inf.layers().size(); i++) {
        HarnessSession.Layer l = inf.layers().get(i);
        QLayer q = m.layers().get(i);
        assertEquals(i, l.index());
        assertEquals(q.kind().jsonName(), l.kind());
        assertEquals(q.bits(), l.bits());
        assertEquals(rl.get(i).get("shape").asText(), l.shape());
        assertEquals(rl.get(i).get("kind").asText(), l.kind());
        assertEquals(rl.get(i).get("bits").asInt(), l.bits());
        assertTrue(l.count() >= 0, l.toString()); // timer resolution: 40 instructions on mps2
        sum += l.count();
      }
      long lap = inf.lapCounts().get(0);
      // The lap also holds the call, the first timer read and the return: a few hundred instructions at most.
      assertTrue(sum <= lap && lap - sum < 400, "layers sum " + sum + ", lap " + lap + "\n" + s.transcript());
    }
  }
}
