package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyntheticDatasetsTest {
  @TempDir Path dir;

  private static int windows(int rows, DatasetSpec spec) {
    int need = spec.frameSize() + (spec.task() == Task.FORECASTING ? spec.forecastHorizon() : 0);
    return (rows - need) / spec.stride() + 1;
  }

  @ParameterizedTest
  @EnumSource(Task.class)
  void defaultSizeLoadsBackWithTheExpectedShapes(Task task) {
    SyntheticDatasets.Result r = SyntheticDatasets.write(task, dir, 11, 0);
    System.out.println("synthetic " + task + ": " + r.files() + " files, " + r.rows() + " rows in " + r.elapsed().toMillis() + " ms");
    // Generation time is a benchmark figure (docs/BENCHMARKS.md), not a unit-test assertion.
    assertEquals(SyntheticDatasets.defaultFiles(task), r.files());
    assertTrue(Files.isRegularFile(dir.resolve("annotations/instances_train_list.txt")));

    DatasetSpec spec = SyntheticDatasets.recommendedSpec(dir).orElseThrow();
    assertEquals(r.spec(), spec);
    Dataset ds = DatasetLoader.load(dir, spec);
    int n = r.files();
    switch (task) {
      case REGRESSION: {
        assertEquals(List.of("Vd_V", "Id_A", "Vq_V", "Iq_A", "Iqref_A", "speed_rpm"), ds.inputNames());
        assertArrayEquals(new int[] {6, 512, 1}, ds.inputShape());
        assertArrayEquals(new int[] {1}, ds.targetShape());
        int perFile = windows(WashingMachineLoadGenerator.ROWS, spec);
        assertEquals(93, perFile);
        assertEquals(Math.round(n * 0.6) * perFile, ds.train().size()); // 32 files x 93 = 2,976: ~3,000
        assertEquals(n * perFile, ds.train().size() + ds.val().size() + ds.test().size());
        break;
      }
      case CLASSIFICATION: {
        assertEquals(List.of("bearing_fault", "healthy", "imbalance", "misalignment"), ds.classNames());
        assertArrayEquals(new int[] {4, 256, 1}, ds.inputShape());
        int perFile = windows(MotorFaultGenerator.ROWS, spec);
        int perClass = n / 4;
        assertEquals(4 * Math.round(perClass * 0.6) * perFile, ds.train().size());
        int[] count = new int[4];
        for (int l : ds.train().labels()) count[l]++;
        for (int c : count) assertEquals(count[0], c, "balanced classes " + Arrays.toString(count));
        break;
      }
      case ANOMALY: {
        assertEquals(List.of("Normal", "Anomaly"), ds.classNames());
        assertArrayEquals(new int[] {3, 256, 1}, ds.inputShape());
        assertArrayEquals(ds.inputShape(), ds.targetShape());
        for (int l : ds.train().labels()) assertEquals(0, l);
        for (int l : ds.val().labels()) assertEquals(0, l);
        int anomalies = 0;
        for (int l : ds.test().labels()) anomalies += l;
        int perFile = windows(VibrationAnomalyGenerator.ROWS, spec);
        assertEquals(VibrationAnomalyGenerator.anomalyFiles(n) * perFile, anomalies);
        assertTrue(ds.test().size() > anomalies, "test also holds normal windows");
        break;
      }
      case FORECASTING: {
        assertEquals(List.of("outdoor_temp_c", "solar_w_m2", "hvac_kw", "indoor_temp_c"), ds.inputNames());
        assertEquals(List.of("indoor_temp_c"), ds.targetNames());
        assertArrayEquals(new int[] {4, 64, 1}, ds.inputShape());
        assertArrayEquals(new int[] {4}, ds.targetShape());
        int perFile = windows(ThermalForecastGenerator.ROWS, spec);
        assertEquals(Math.round(n * 0.6) * perFile, ds.train().size());
        // The target of a window is the indoor temperature in the 4 rows after it.
        Tensor x = ds.normalization().denormalizeInputs(ds.val().inputs().reshape(ds.val().size(), 4, 64, 1));
        Tensor y = ds.normalization().denormalizeTargets(ds.val().targets());
        Tensor next = ds.normalization().denormalizeInputs(ds.val().batch(1, 2).inputs());
        // Windows of one file are 6 rows apart: row 64 of window 0 = row 58 of window 1.
        assertEquals(next.get(0, 3, 58, 0), y.get(0, 0), 1e-9);
        assertEquals(x.get(0, 3, 63, 0), next.get(0, 3, 57, 0), 1e-9);
        break;
      }
      default:
        throw new AssertionError(task);
    }
    for (Split s : List.of(ds.train(), ds.val(), ds.test())) {
      for (double v : s.inputs().data()) assertTrue(Double.isFinite(v));
    }
  }

  /**
   * The load is learnable from the signals: a least-squares fit on one physical window feature, the
   * inertia estimate cov(Iq, dω/dt) / var(dω/dt) ∝ (J0 + m r²) / Kt, predicts the load of the test
   * files with R² > 0.8.
   */
  @Test
  void regressionLoadIsRecoverableFromWindowFeatures() {
    SyntheticDatasets.write(Task.REGRESSION, dir, 5, 0);
    Dataset ds = DatasetLoader.load(dir, SyntheticDatasets.recommendedSpec(dir).orElseThrow());
    double[][] train = features(ds, ds.train());
    double[][] test = features(ds, ds.test());
    // Simple linear regression load = a + b * J_hat, fitted on train windows.
    double mx = mean(train[0]);
    double my = mean(train[1]);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < train[0].length; i++) {
      sxy += (train[0][i] - mx) * (train[1][i] - my);
      sxx += (train[0][i] - mx) * (train[0][i] - mx);
    }
    double b = sxy / sxx;
    double a = my - b * mx;
    double ssRes = 0;
    double ssTot = 0;
    double mTest = mean(test[1]);
    for (int i = 0; i < test[0].length; i++) {
      double e = test[1][i] - (a + b * test[0][i]);
      ssRes += e * e;
      ssTot += (test[1][i] - mTest) * (test[1][i] - mTest);
    }
    double r2 = 1 - ssRes / ssTot;
    System.out.println("synthetic regression: load ~ " + a + " + " + b + " * J_hat, test R^2 = " + r2);
    assertTrue(b > 0, "more load needs more current per acceleration");
    assertTrue(r2 > 0.8, "R^2 " + r2);
  }

  /** [J_hat per window, load per window]. */
  private static double[][] features(Dataset ds, Split s) {
    Tensor x = ds.normalization().denormalizeInputs(s.inputs());
    Tensor y = ds.normalization().denormalizeTargets(s.targets());
    int iq = ds.inputNames().indexOf("Iq_A");
    int rpm = ds.inputNames().indexOf("speed_rpm");
    int frame = ds.spec().frameSize();
    int lag = 8; // central difference over 16 ms to keep speed-sensor noise out of dω/dt
    double[][] out = new double[2][s.size()];
    for (int w = 0; w < s.size(); w++) {
      int m = frame - 2 * lag;
      double[] dw = new double[m];
      double[] i = new double[m];
      for (int t = lag; t < frame - lag; t++) {
        double w1 = x.get(w, rpm, t + lag, 0) * 2 * Math.PI / 60;
        double w0 = x.get(w, rpm, t - lag, 0) * 2 * Math.PI / 60;
        dw[t - lag] = (w1 - w0) / (2 * lag * WashingMachineLoadGenerator.DT);
        i[t - lag] = x.get(w, iq, t, 0);
      }
      double md = mean(dw);
      double mi = mean(i);
      double cov = 0;
      double var = 0;
      for (int k = 0; k < m; k++) {
        cov += (i[k] - mi) * (dw[k] - md);
        var += (dw[k] - md) * (dw[k] - md);
      }
      out[0][w] = cov / var;
      out[1][w] = y.get(w, 0);
    }
    return out;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double d : v) s += d;
    return s / v.length;
  }

  @Test
  void outputIsAFunctionOfTheSeed() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    SyntheticDatasets.write(Task.ANOMALY, a, 3, 4);
    SyntheticDatasets.write(Task.ANOMALY, b, 3, 4);
    SyntheticDatasets.write(Task.ANOMALY, c, 4, 4);
    String f = "classes/Normal/normal_000.csv";
    assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)));
    assertFalse(Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(c.resolve(f))));
    assertEquals(Files.readAllLines(a.resolve("annotations/instances_test_list.txt")),
        Files.readAllLines(b.resolve("annotations/instances_test_list.txt")));
  }

  @Test
  void refusesToWriteIntoAForeignFolderButReplacesItsOwn() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "mine");
    DatasetException e = assertThrows(DatasetException.class, () -> SyntheticDatasets.write(Task.FORECASTING, dir, 1, 2));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());

    Path out = dir.resolve("synth");
    SyntheticDatasets.write(Task.REGRESSION, out, 1, 3);
    SyntheticDatasets.write(Task.FORECASTING, out, 1, 2); // a different task replaces the old layout
    assertFalse(Files.exists(out.resolve("files/wm_000.csv")));
    assertTrue(Files.exists(out.resolve("files/zone_001.csv")));
    Dataset ds = DatasetLoader.load(out, SyntheticDatasets.recommendedSpec(out).orElseThrow());
    assertEquals(Task.FORECASTING, ds.task());
    assertEquals(Set.of("files/zone_000.csv", "files/zone_001.csv"), sourceFiles(ds));
    assertTrue(Files.readString(dir.resolve("notes.txt")).equals("mine"));
  }

  private static Set<String> sourceFiles(Dataset ds) {
    Set<String> files = new TreeSet<>();
    for (Split s : List.of(ds.train(), ds.val(), ds.test())) {
      for (WindowSource w : s.sources()) files.add(w.file());
    }
    return files;
  }
}
