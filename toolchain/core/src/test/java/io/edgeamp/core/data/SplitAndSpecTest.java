package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitAndSpecTest {
  @TempDir Path dir;

  private static Set<String> files(Split s) {
    Set<String> out = new TreeSet<>();
    for (WindowSource w : s.sources()) out.add(w.file());
    return out;
  }

  @Test
  void seededSplitIsReproducibleAndAPartition() {
    for (int f = 0; f < 20; f++) DataDirs.csv(dir, "files/f" + f + ".csv", null, 3, r -> r + ",1");
    DatasetSpec spec = DatasetSpec.builder(Task.REGRESSION).frameSize(3).seed(123).build();
    Dataset a = DatasetLoader.load(dir, spec);
    Dataset b = DatasetLoader.load(dir, spec);
    assertEquals(a.train().sources(), b.train().sources());
    assertEquals(a.val().sources(), b.val().sources());
    assertEquals(a.test().sources(), b.test().sources());
    assertEquals(12, files(a.train()).size());
    assertEquals(4, files(a.val()).size());
    assertEquals(4, files(a.test()).size());
    Set<String> union = new HashSet<>(files(a.train()));
    union.addAll(files(a.val()));
    union.addAll(files(a.test()));
    assertEquals(20, union.size());

    // Another seed gives another split (for these 20 files the chance of an identical train set is ~1e-5).
    Dataset c = DatasetLoader.load(dir, spec.toBuilder().seed(124).build());
    assertNotEquals(files(a.train()), files(c.train()));
  }

  @Test
  void splitFilesRoundsAndKeepsOneTrainingFile() {
    List<String> one = List.of("a");
    assertEquals(List.of(List.of("a"), List.of(), List.of()), DatasetLoader.splitFiles(one, 0.6, 0.2, 1));
    List<String> five = new ArrayList<>(List.of("e", "d", "c", "b", "a"));
    List<List<String>> parts = DatasetLoader.splitFiles(five, 0.6, 0.2, 1);
    assertEquals(3, parts.get(0).size());
    assertEquals(1, parts.get(1).size());
    assertEquals(1, parts.get(2).size());
    // Input order does not matter: files are sorted before the seeded shuffle.
    assertEquals(parts, DatasetLoader.splitFiles(List.of("a", "b", "c", "d", "e"), 0.6, 0.2, 1));
  }

  @Test
  void strideIsAFractionOfTheFrame() {
    assertEquals(128, DatasetSpec.builder(Task.REGRESSION).frameSize(512).strideFraction(0.25).build().stride());
    assertEquals(1, DatasetSpec.builder(Task.REGRESSION).frameSize(64).strideFraction(0.001).build().stride());
    assertEquals(3, DatasetSpec.builder(Task.REGRESSION).frameSize(5).strideFraction(0.5).build().stride()); // 2.5 rounds up
  }

  @Test
  void specDefaultsAndValidation() {
    DatasetSpec r = DatasetSpec.defaults(Task.REGRESSION);
    assertEquals(512, r.frameSize());
    assertEquals(0.6, r.trainFraction());
    assertEquals(1, DatasetSpec.defaults(Task.FORECASTING).forecastHorizon());
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.builder(Task.REGRESSION).frameSize(0).build());
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.builder(Task.REGRESSION).strideFraction(0).build());
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.builder(Task.REGRESSION).splitFractions(0.5, 0.2, 0.2).build());
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.builder(Task.REGRESSION).splitFractions(0, 0.5, 0.5).build());
    assertThrows(IllegalArgumentException.class, () -> DatasetSpec.builder(Task.FORECASTING).forecastHorizon(0).build());
    assertEquals(r, r.toBuilder().build());
  }

  @Test
  void taskParsesCliAndTensorlabNames() {
    assertEquals(Task.REGRESSION, Task.parse("regression"));
    assertEquals(Task.REGRESSION, Task.parse("generic_timeseries_regression"));
    assertEquals(Task.CLASSIFICATION, Task.parse("generic_timeseries_classification"));
    assertEquals(Task.CLASSIFICATION, Task.parse("timeseries_classification"));
    assertEquals(Task.CLASSIFICATION, Task.parse("motor_fault"));
    assertEquals(Task.FORECASTING, Task.parse("forecasting"));
    assertEquals(Task.FORECASTING, Task.parse("timeseries_forecasting"));
    assertEquals(Task.FORECASTING, Task.parse("generic_timeseries_forecasting"));
    assertEquals(Task.ANOMALY, Task.parse("anomaly"));
    assertEquals(Task.ANOMALY, Task.parse("generic_timeseries_anomalydetection"));
    assertEquals(Task.ANOMALY, Task.parse("timeseries_anomaly_detection"));
    assertEquals(Task.ANOMALY, Task.parse("Anomaly-Detection"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.parse("segmentation"));
    assertTrue(e.getMessage().contains("classification, regression, forecasting, anomaly"), e.getMessage());
  }
}
