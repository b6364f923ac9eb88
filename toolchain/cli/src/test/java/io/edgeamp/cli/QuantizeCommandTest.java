package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeamp.core.artifact.ArtifactReader;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `toolchain quantize` through the CLI: an artifact with its report, and bad input refused with nothing written. */
class QuantizeCommandTest {
  @TempDir static Path shared;
  static Path data;

  @BeforeAll
  static void smallClassificationSet() {
    data = shared.resolve("cls");
    SyntheticDatasets.write(Task.CLASSIFICATION, data, 5, 12);
  }

  @Test
  void quantizesAZooModelAndWritesArtifactAndReport(@TempDir Path out) throws Exception {
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "3", "--board", "qemu-mps2-an386",
        "--allocator", "ilp", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    Path artifact = out.resolve("artifact");
    var model = ArtifactReader.read(artifact);
    assertEquals("qemu-mps2-an386", model.target().board());
    JsonNode report = new ObjectMapper().readTree(artifact.resolve("report.json").toFile());
    assertEquals("ilp", report.get("allocator").asText());
    assertTrue(report.get("tolerance_met") == null ? report.get("toleranceMet").asBoolean() : report.get("tolerance_met").asBoolean());
    assertTrue(report.get("layers").size() >= 4);
    String html = Files.readString(artifact.resolve("report.html"));
    assertTrue(html.contains("<svg") && html.contains("Confusion matrix"), "report.html lacks its plots");
    assertTrue(Files.isRegularFile(out.resolve("float").resolve("model.onnx")));
    // test_vectors.bin: real test windows whose expected outputs the artifact's model reproduces
    var tv = io.edgeamp.core.artifact.TestVectors.read(artifact.resolve("test_vectors.bin"));
    assertEquals(QuantizeCommand.TEST_VECTORS, tv.count());
    for (int k = 0; k < tv.count(); k++) {
      int[] in = new int[tv.inputs()[k].length];
      for (int i = 0; i < in.length; i++) in[i] = tv.inputs()[k][i];
      int[] y = model.runInt(in).output();
      byte[] yb = new byte[y.length];
      for (int i = 0; i < y.length; i++) yb[i] = (byte) y[i];
      assertTrue(java.util.Arrays.equals(tv.outputs()[k], yb), "vector " + k);
    }
    // The QDQ model loads in ONNX Runtime (its loader checks every node against the ONNX operator schemas).
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (var session = env.createSession(artifact.resolve("model.qdq.onnx").toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
      assertEquals(1, session.getNumInputs());
    }
  }

  @Test
  void aLatencyLimitNoAllocationMeetsIsAClearError(@TempDir Path out) {
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--board", "qemu-mps2-an386",
        "--max-latency", "10", "--out", out.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("no allocation") && r.err().toLowerCase().contains("latency"), r.err());
    assertFalse(Files.exists(out.resolve("artifact")));
  }

  @Test
  void aMeasuredLatencyTableReplacesTheEstimatesSoATightLimitBecomesFeasible(@TempDir Path out) throws Exception {
    // Without measurements --max-latency 10 is infeasible (previous test). A table measuring every weighted layer of this
    // network at 1 instruction per width, on this board, makes it feasible; rows for another board must not count.
    var first = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--board", "qemu-mps2-an386",
        "--out", out.resolve("a").toString());
    assertTrue(first.exit() == 0 || first.exit() == 3, first.err());
    var model = ArtifactReader.read(out.resolve("a").resolve("artifact"));
    ObjectMapper json = new ObjectMapper();
    var table = json.createObjectNode().put("schema", "edgeamp.latency-table").put("version", 1);
    var rows = table.putArray("rows");
    rows.addObject().put("board", "qemu-mps2-an386").put("profile", "qemu-mps2-an386").putNull("layer").put("layer_kind", "model")
        .put("shape", "in[1]->out[1]").putNull("bits").put("unit", "instructions").put("cycles_median", 1);
    int weighted = 0;
    for (var l : model.layers()) {
      if (!l.kind().hasWeights()) continue;
      weighted++;
      for (int bits : new int[] {2, 4, 8, 32}) {
        String shape = io.edgeamp.core.amp.MeasuredLatency.shapeKey(l.inputDims().get(0), l.outputDims(), l.rowLength());
        rows.addObject().put("board", "qemu-mps2-an386").put("profile", "qemu-mps2-an386").put("layer", l.name()).put("layer_kind", l.kind().jsonName())
            .put("shape", shape).put("bits", bits).put("unit", "instructions").put("cycles_median", 1);
        rows.addObject().put("board", "qemu-other").put("profile", "qemu-other").put("layer", l.name()).put("layer_kind", l.kind().jsonName())
            .put("shape", shape).put("bits", bits).put("unit", "instructions").put("cycles_median", 0);
      }
    }
    assertTrue(weighted >= 2 && weighted <= 10, "weighted layers: " + weighted);
    Path file = out.resolve("latency.json");
    json.writeValue(file.toFile(), table);
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--board", "qemu-mps2-an386",
        "--max-latency", "10", "--latency-table", file.toString(), "--out", out.resolve("b").toString());
    assertTrue(r.exit() == 0 || r.exit() == 3, r.err());
    JsonNode report = json.readTree(out.resolve("b").resolve("artifact").resolve("report.json").toFile());
    String warnings = report.get("warnings").toString();
    assertTrue(warnings.contains("LATENCY costs measured") && warnings.contains("w8"), warnings);
    // Without --board the table cannot be keyed: a clear error.
    var noBoard = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--latency-table",
        file.toString(), "--out", out.resolve("c").toString());
    assertEquals(2, noBoard.exit(), noBoard.err());
    assertTrue(noBoard.err().contains("--latency-table needs --board"), noBoard.err());
  }

  @Test
  void aToleranceOutsideItsRangeIsRefusedBeforeAnyWork(@TempDir Path out) {
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--tolerance", "1.5", "--out", out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--tolerance 1.5: for classification it is a relative drop of accuracy") && r.err().contains("(0, 1)"), r.err());
    assertFalse(Files.exists(out.resolve("artifact")));
  }

  /**
   * --config's windowing reaches the dataset (frame_size 128 against a model trained on 256-sample windows is a
   * shape error naming both), and a run that fails after it made the synthetic data leaves nothing behind.
   */
  @Test
  void configWindowingIsAppliedAndAFailedRunLeavesNoData(@TempDir Path out) throws Exception {
    var trained = TrainCommandTest.run("train", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--out",
        out.resolve("t").toString());
    assertEquals(0, trained.exit(), trained.err());
    Path cfg = Files.writeString(out.resolve("config.yaml"),
        "common:\n  task_type: generic_timeseries_classification\ndata_processing_feature_extraction:\n  frame_size: 128\n");
    Path o = out.resolve("q");
    var r = TrainCommandTest.run("quantize", "--config", cfg.toString(), "--model", out.resolve("t/model.onnx").toString(), "--out", o.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("does not take the dataset's windows [N, 4, 128, 1]"), r.err());
    assertFalse(Files.exists(o), "left behind: " + o);
  }

  /** Arguments that can be checked without data fail before the synthetic dataset (or anything else) is written. */
  @Test
  void argumentMistakesAreRefusedBeforeAnythingIsWritten(@TempDir Path out) throws Exception {
    Path o = out.resolve("o");
    String[][] cases = {
        {"--model", out.resolve("missing.onnx").toString(), "--model " + out.resolve("missing.onnx") + " does not exist"},
        {"--model", out.toString(), "--model " + out + " is a folder"},
        {"--zoo", "FOO", "unknown zoo network 'FOO'"},
        {"--epochs", "0", "--epochs must be >= 1, got 0"},
        {"--max-latency", "-5", "--max-latency must be >= 0"},
        {"--max-latency", "5", "--max-latency needs --board"},
    };
    for (String[] c : cases) {
      var r = TrainCommandTest.run("quantize", "--task", "forecasting", c[0], c[1], "--out", o.toString());
      assertEquals(2, r.exit(), r.err());
      assertTrue(r.err().contains(c[2]), c[2] + " not in: " + r.err());
      assertFalse(Files.exists(o), "wrote " + o + " for " + c[0] + " " + c[1]);
    }
    Files.createDirectories(o);
    Files.writeString(o.resolve("artifact"), "in the way");
    var r = TrainCommandTest.run("quantize", "--task", "forecasting", "--out", o.toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains(o.resolve("artifact") + " is a file"), r.err());
    assertFalse(Files.exists(o.resolve("data")));
  }

  @Test
  void aTaskThatDoesNotMatchTheDatasetLayoutNamesTheFolder(@TempDir Path out) {
    var r = TrainCommandTest.run("quantize", "--task", "regression", "--data", data.toString(), "--out", out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains(data.toString()), r.err());
    assertFalse(Files.exists(out.resolve("artifact")));
  }

  @Test
  void aBoardWhoseNpuCanRunNoLayerIsAClearError(@TempDir Path out) throws Exception {
    Path profiles = out.resolve("profiles");
    Files.createDirectories(profiles);
    Path home = Path.of(System.getenv("EDGEAMP_HOME"));
    String yaml = Files.readString(home.resolve("board-profiles").resolve("qemu-mps2-an386.yaml"))
        .replace("id: qemu-mps2-an386", "id: no-npu")
        .replaceAll("(?s)npu:\\n.*?\\n\\n", "npu:\n  present: false\n\n")
        .replace("linker_script: ../device-runtime", "linker_script: " + home.resolve("device-runtime"));
    Path board = profiles.resolve("no-npu.yaml");
    Files.writeString(board, yaml);
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--epochs", "1", "--board", board.toString(),
        "--out", out.resolve("o").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("no-npu") && r.err().contains("none of"), r.err());
    assertFalse(Files.exists(out.resolve("o").resolve("artifact")));
  }
}
