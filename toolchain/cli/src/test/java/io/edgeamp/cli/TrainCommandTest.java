package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.onnx.OnnxImporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `toolchain train` end to end on small synthetic datasets of every task, and its errors. */
class TrainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String err) {}

  static Run run(String... args) {
    CommandLine cl = Toolchain.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, err.toString());
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void trainsEveryTaskAndWritesAnImportableModel(Task task, @TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    SyntheticDatasets.write(task, data, 3, task == Task.CLASSIFICATION ? 20 : 5);
    Path out = tmp.resolve("out");
    Run r = run("train", "--task", task.cliName(), "--data", data.toString(), "--epochs", "2", "--out", out.toString());
    assertEquals(0, r.exit, r.err);
    Graph g = OnnxImporter.read(out.resolve("model.onnx"));
    assertEquals(task.cliName(), g.metadata().get("task"));
    assertTrue(g.metadata().containsKey("normalization"));
    JsonNode report = JSON.readTree(out.resolve("training.json").toFile());
    assertEquals(task.cliName(), report.get("task").asText());
    assertTrue(report.get("history").size() >= 1 && report.get("history").size() <= 2);
    assertTrue(report.get("metrics").get("val").size() > 0, "no validation metrics in " + report);
    assertTrue(Files.isRegularFile(out.resolve("normalization.json")));
    try (var files = Files.list(out)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary files left behind");
    }
  }

  @Test
  void unknownTaskIsAClearError() {
    Run r = run("train", "--task", "segmentation");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("segmentation") && r.err.contains("regression"), r.err);
  }

  @Test
  void aDatasetOfTheWrongLayoutNamesTheFolder(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("reg");
    SyntheticDatasets.write(Task.REGRESSION, data, 1, 2);
    Run r = run("train", "--task", "classification", "--data", data.toString(), "--out", tmp.resolve("o").toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains(data.toString()), r.err);
    assertFalse(Files.exists(tmp.resolve("o").resolve("model.onnx")));
  }
}
