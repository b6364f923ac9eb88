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
    // The QDQ model loads in ONNX Runtime (its loader checks every node against the ONNX operator schemas).
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    try (var session = env.createSession(artifact.resolve("model.qdq.onnx").toString(), new ai.onnxruntime.OrtSession.SessionOptions())) {
      assertEquals(1, session.getNumInputs());
    }
  }

  @Test
  void aToleranceOutsideItsRangeIsRefusedBeforeAnyWork(@TempDir Path out) {
    var r = TrainCommandTest.run("quantize", "--task", "classification", "--data", data.toString(), "--tolerance", "1.5", "--out", out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("autoquant_tolerance_classification") && r.err().contains("(0, 1)"), r.err());
    assertFalse(Files.exists(out.resolve("artifact")));
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
