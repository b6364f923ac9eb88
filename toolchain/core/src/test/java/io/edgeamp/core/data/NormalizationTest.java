package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizationTest {
  @TempDir Path dir;

  /**
   * Train, val and test files have very different value ranges; the statistics must equal those of the
   * training file alone. If val or test leaked into the fit, the mean would move by hundreds.
   */
  @Test
  void fittedOnTrainingFilesOnly() {
    double[] trainX = {1, 2, 4, 8, 16};
    double[] trainY = {0.5, 0.25, 0.125, 1, 2};
    StringBuilder train = new StringBuilder("x,y\n");
    for (int i = 0; i < trainX.length; i++) train.append(trainX[i]).append(',').append(trainY[i]).append('\n');
    DataDirs.write(dir, "files/train.csv", train.toString());
    DataDirs.csv(dir, "files/val.csv", "x,y", 5, r -> (1000 + r) + "," + (5000 + r));
    DataDirs.csv(dir, "files/test.csv", "x,y", 5, r -> (-1000 - r) + "," + (-5000 - r));
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "train.csv");
    DataDirs.lines(dir, "annotations/instances_val_list.txt", "val.csv");
    DataDirs.lines(dir, "annotations/instances_test_list.txt", "test.csv");
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.REGRESSION).frameSize(2).build());

    double[] x = DataDirs.meanStd(trainX);
    double[] y = DataDirs.meanStd(trainY);
    Normalization n = ds.normalization();
    assertEquals(x[0], n.inputMean()[0], 1e-12);
    assertEquals(x[1], n.inputStd()[0], 1e-12);
    assertEquals(y[0], n.targetMean()[0], 1e-12);
    assertEquals(y[1], n.targetStd()[0], 1e-12);
    // And the val windows are normalized with those statistics, not their own.
    assertEquals((1000 - x[0]) / x[1], ds.val().inputs().get(0, 0, 0, 0), 1e-12);
  }

  @Test
  void constantChannelGetsStdOne() {
    DataDirs.csv(dir, "files/a.csv", "c,v,y", 6, r -> "5," + r + ",1");
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.REGRESSION).frameSize(2).splitFractions(1, 0, 0).build());
    assertEquals(5, ds.normalization().inputMean()[0], 0);
    assertEquals(1, ds.normalization().inputStd()[0], 0);
    assertEquals(0, ds.train().inputs().get(0, 0, 0, 0), 0);
  }

  @Test
  void jsonRoundTripsExactly() {
    Random rnd = new Random(7);
    double[] m = new double[5];
    double[] s = new double[5];
    for (int i = 0; i < 5; i++) {
      m[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
      s[i] = Math.abs(rnd.nextGaussian()) * Math.pow(10, rnd.nextInt(20) - 10) + Double.MIN_NORMAL;
    }
    m[0] = 0.1 + 0.2; // not representable in short decimal form
    m[1] = -Double.MIN_VALUE;
    Normalization n = new Normalization(List.of("a", "b", "c", "d", "e"), m, s, List.of("t"), new double[] {Math.PI},
        new double[] {Math.E});
    Normalization back = Normalization.fromJson(n.toJson());
    assertEquals(n, back);
    for (int i = 0; i < 5; i++) {
      assertEquals(Double.doubleToRawLongBits(m[i]), Double.doubleToRawLongBits(back.inputMean()[i]));
      assertEquals(Double.doubleToRawLongBits(s[i]), Double.doubleToRawLongBits(back.inputStd()[i]));
    }
    Path file = dir.resolve("norm.json");
    n.write(file);
    assertEquals(n, Normalization.read(file));
  }

  @Test
  void unknownVersionIsRejected() {
    Normalization n = new Normalization(List.of("a"), new double[] {1}, new double[] {2}, List.of(), new double[0], new double[0]);
    String json = n.toJson().replace("\"version\" : 1", "\"version\" : 99");
    assertNotEquals(n.toJson(), json);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.fromJson(json));
    assertEquals(true, e.getMessage().contains("version 99"));
  }

  @Test
  void applyAndInverseAreInverses() {
    Normalization n = new Normalization(List.of("a", "b"), new double[] {1, -2}, new double[] {2, 0.5},
        List.of("p", "q"), new double[] {10, 20}, new double[] {3, 4});
    Tensor x = new Tensor(new int[] {1, 2, 3, 1}, new double[] {1, 3, 5, -2, -1.5, 0});
    Tensor nx = n.normalizeInputs(x);
    assertArrayEquals(new double[] {0, 1, 2, 0, 1, 4}, nx.data(), 1e-15);
    assertArrayEquals(x.data(), n.denormalizeInputs(nx).data(), 1e-12);
    // Targets: horizon 2 x 2 targets, element j uses target column j % 2.
    Tensor y = new Tensor(new int[] {1, 4}, new double[] {13, 24, 7, 16});
    assertArrayEquals(new double[] {1, 1, -1, -1}, n.normalizeTargets(y).data(), 1e-15);
    assertEquals(13, n.denormalizeTarget(2, 1), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> n.normalizeInputs(Tensor.zeros(1, 3, 3, 1)));
  }
}
