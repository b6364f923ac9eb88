package io.edgeamp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DatasetCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Toolchain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void synthThenInfo() {
    Path data = dir.resolve("wm");
    assertEquals(0, run("dataset", "synth", "--task", "generic_timeseries_regression", "--out", data.toString(),
        "--seed", "3", "--files", "5"), err.toString());
    assertTrue(out.toString().contains("5 files"), out.toString());
    assertTrue(Files.isRegularFile(data.resolve("files/wm_004.csv")));
    assertTrue(Files.isRegularFile(data.resolve("annotations/instances_train_list.txt")));

    out.getBuffer().setLength(0);
    // No --task: synth.json says regression and the spec it was sized for.
    assertEquals(0, run("dataset", "info", data.toString()), err.toString());
    String info = out.toString();
    assertTrue(info.contains("[Vd_V, Id_A, Vq_V, Iq_A, Iqref_A, speed_rpm] -> window [6, 512, 1]"), info);
    assertTrue(info.contains("train    279 windows"), info); // round(5 * 0.6) = 3 files x 93 windows
    assertTrue(info.contains("targets: [load_kg] -> [1]"), info);
  }

  @Test
  void infoWithOverridesOnClassification() {
    Path data = dir.resolve("motor");
    assertEquals(0, run("dataset", "synth", "--task", "classification", "--out", data.toString(), "--files", "8"), err.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, run("dataset", "info", data.toString(), "--task", "classification", "--frame-size", "128",
        "--stride-size", "1"), err.toString());
    assertTrue(out.toString().contains("window [4, 128, 1]"), out.toString());
    assertTrue(out.toString().contains("classes: [bearing_fault, healthy, imbalance, misalignment]"), out.toString());
  }

  @Test
  void badDataIsReportedWithFileAndLine() throws Exception {
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/run.csv"), "x,y\n1,2\n3\n");
    assertEquals(2, run("dataset", "info", dir.toString(), "--task", "regression", "--frame-size", "1"));
    assertTrue(err.toString().contains("run.csv, line 3"), err.toString());
    assertTrue(err.toString().contains("To fix:"), err.toString());
  }

  @Test
  void unknownTaskIsAUsageError() {
    assertEquals(2, run("dataset", "synth", "--task", "segmentation", "--out", dir.toString()));
    assertTrue(err.toString().contains("unknown task 'segmentation'"), err.toString());
  }

  @Test
  void infoWithoutTaskOnARealDatasetAsksForIt() throws Exception {
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(dir.resolve("files/run.csv"), "x,y\n1,2\n");
    assertEquals(2, run("dataset", "info", dir.toString()));
    assertTrue(err.toString().contains("--task is required"), err.toString());
  }
}
