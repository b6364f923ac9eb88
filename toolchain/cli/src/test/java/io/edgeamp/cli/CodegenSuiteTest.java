package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.codegen.Codegen;
import io.edgeamp.core.artifact.ArtifactWriter;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import io.edgeamp.hil.fleet.FleetFeed;
import io.edgeamp.hil.suite.CaseResult;
import io.edgeamp.hil.suite.DemoFirmwareBuilder;
import io.edgeamp.hil.suite.Suite;
import io.edgeamp.hil.suite.SuiteReport;
import io.edgeamp.hil.suite.SuiteRunner;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A suite entry with firmware: codegen end to end: a quantized artifact (the zoo's CLS_4k_NPU with
 * random weights, calibrated and quantized at mixed 2/4/8 bits for qemu-mps2-an386 by the core API; a
 * trained model through `toolchain quantize` takes about a minute here, which the time box does not
 * allow) -> code generator -> CMake -> QEMU flash -> harness measurements -> result checked against
 * the suite's thresholds (bit-exact with the Java device twin) and seen on MQTT by the fleet feed
 * that drives the dashboard.
 */
class CodegenSuiteTest {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

  @Test
  void codegenEntryRunsBitExactOnQemu() throws Exception {
    Path dir = Files.createTempDirectory("hil-codegen-suite");
    TargetSpec t = TargetSpec.of(Codegen.board("qemu-mps2-an386", List.of(REPO.resolve("board-profiles"))));
    Graph g = BatchNormFolding.fold(ModelZoo.build("CLS_4k_NPU", 3, 64, 4, 5));
    QuantPlan plan = QuantPlan.of(g);
    Random r = new Random(1);
    Tensor cal = Tensor.zeros(48, 3, 64, 1);
    for (int i = 0; i < cal.size(); i++) {
      cal.data()[i] = r.nextGaussian();
    }
    Map<String, Integer> bits = new LinkedHashMap<>();
    int[] cycle = {8, 4, 2, 8};
    List<String> wl = plan.weightLayerNames();
    for (int i = 0; i < wl.size(); i++) {
      bits.put(wl.get(i), cycle[i % cycle.length]);
    }
    QuantizedModel m = QuantizedModel.build(plan, Calibration.run(plan, cal), bits, t);
    Path artifact = dir.resolve("artifact");
    ArtifactWriter.write(m, artifact);

    Path suiteFile = dir.resolve("codegen.yaml");
    Files.writeString(suiteFile, String.join("\n",
        "suite: codegen-e2e",
        "task: classification",
        "boards: [qemu-mps2-an386]",
        "defaults: {vectors: 4, iterations: 2, warmup: 1, thresholds: {bit_exact: true, metric_min: 1.0}}",
        "entries:",
        "  - name: cls4k-mixed",
        "    firmware: codegen",
        "    artifact: artifact",
        ""));
    Map<String, JsonObject> onMqtt = new ConcurrentHashMap<>();
    SuiteRunner runner = new SuiteRunner(Map.of("demo", new DemoFirmwareBuilder(REPO), "codegen", new CodegenFirmwareBuilder(REPO)),
        dir.resolve("work"), System.out);
    runner.onServer = s -> s.fleet().addListener((FleetFeed.FleetEvent e) -> {
      if ("result".equals(e.kind)) {
        onMqtt.put(e.key, e.body);
      }
    });
    SuiteReport rep = runner.run(Suite.read(suiteFile));
    rep.print(System.out);
    CaseResult c = rep.cases.get(0);
    assertEquals("pass", c.status, c.error + " " + c.failures);
    assertEquals(Boolean.TRUE, c.result.getBoolean("bit_exact"));
    assertTrue(c.median() > 0);
    // The suite reads results over REST; the MQTT copy is published after the store commit and may
    // arrive a moment later.
    long deadline = System.currentTimeMillis() + 20_000;
    while (!onMqtt.containsKey(c.job) && System.currentTimeMillis() < deadline) Thread.sleep(50);
    assertTrue(onMqtt.containsKey(c.job), "result on MQTT within 20 s: " + onMqtt.keySet());
    assertEquals("pass", onMqtt.get(c.job).getString("verdict"));
  }
}
