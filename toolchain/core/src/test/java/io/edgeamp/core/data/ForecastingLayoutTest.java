package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastingLayoutTest {
  @TempDir Path dir;

  /** a = r, b = 100 + r^2; rows 0..9, after a time column that must be dropped. */
  private void writeSeries() {
    DataDirs.csv(dir, "files/s.csv", "timestamp,a,b", 10, r -> (1000 + r) + "," + r + "," + (100 + r * r));
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "s.csv");
  }

  @Test
  void targetsAreTheNextHorizonRowsOfTheTargetColumn() {
    writeSeries();
    DatasetSpec spec = DatasetSpec.builder(Task.FORECASTING).frameSize(3).strideFraction(0.34).forecastHorizon(2)
        .variables(1).targetVariables("b").build();
    assertEquals(1, spec.stride());
    Dataset ds = DatasetLoader.load(dir, spec);

    assertEquals(List.of("a"), ds.inputNames());
    assertEquals(List.of("b"), ds.targetNames());
    // Windows start at 0..5: start + frame + horizon <= 10.
    Split tr = ds.train();
    assertEquals(6, tr.size());
    assertArrayEquals(new int[] {6, 2}, tr.targets().shape());
    assertArrayEquals(new int[] {2}, ds.targetShape());
    Tensor y = ds.normalization().denormalizeTargets(tr.targets());
    Tensor x = ds.normalization().denormalizeInputs(tr.inputs());
    for (int s = 0; s < 6; s++) {
      for (int i = 0; i < 3; i++) assertEquals(s + i, x.get(s, 0, i, 0), 1e-9);
      assertEquals(100 + (s + 3) * (s + 3), y.get(s, 0), 1e-9);
      assertEquals(100 + (s + 4) * (s + 4), y.get(s, 1), 1e-9);
    }
    // Target statistics come from the target column's training rows.
    double[] b = new double[10];
    for (int r = 0; r < 10; r++) b[r] = 100 + r * r;
    double[] ms = DataDirs.meanStd(b);
    assertEquals(ms[0], ds.normalization().targetMean()[0], 1e-9);
    assertEquals(ms[1], ds.normalization().targetStd()[0], 1e-9);
  }

  @Test
  void severalTargetsByIndexAndNameAreHorizonMajor() {
    writeSeries();
    // "1" is b (0-based after the time column), "a" by name.
    DatasetSpec spec = DatasetSpec.builder(Task.FORECASTING).frameSize(3).strideFraction(1).forecastHorizon(2)
        .targetVariables("1", "a").build();
    Dataset ds = DatasetLoader.load(dir, spec);
    assertEquals(List.of("a", "b"), ds.inputNames()); // variables 0 = every column
    assertEquals(List.of("b", "a"), ds.targetNames());
    // Stride 3: starts 0 and 3 (3+5 <= 10), 6 would need rows up to 10.
    assertEquals(2, ds.train().size());
    Tensor y = ds.normalization().denormalizeTargets(ds.train().targets());
    int s = 3;
    assertEquals(100 + (s + 3) * (s + 3), y.get(1, 0), 1e-9); // step 0, b
    assertEquals(s + 3, y.get(1, 1), 1e-9); // step 0, a
    assertEquals(100 + (s + 4) * (s + 4), y.get(1, 2), 1e-9); // step 1, b
    assertEquals(s + 4, y.get(1, 3), 1e-9); // step 1, a
  }

  @Test
  void emptyTargetVariablesMeansEveryColumn() {
    writeSeries();
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.FORECASTING).frameSize(4).forecastHorizon(1).build());
    assertEquals(List.of("a", "b"), ds.targetNames());
    assertArrayEquals(new int[] {2}, ds.targetShape());
  }
}
