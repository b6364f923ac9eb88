package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegressionLayoutTest {
  @TempDir Path dir;

  private static final double EPS = 1e-12;

  /** Header with a time column, annotations present: the Tensorlab layout as documented. */
  @Test
  void headerTimeColumnDroppedTargetIsWindowMeanOfLastColumn() {
    // x1 = r+1, x2 = 10(r+1), target = 100(r+1); 6 rows.
    DataDirs.csv(dir, "files/a.csv", "Time (s),x1,x2,target", 6, r -> r * 0.1 + "," + (r + 1) + "," + 10 * (r + 1) + "," + 100 * (r + 1));
    DataDirs.csv(dir, "files/b.csv", "TIMESTAMP,x1,x2,target", 5, r -> r + ",7,8,9");
    DataDirs.csv(dir, "files/c.csv", "time,x1,x2,target", 4, r -> r + ",1,2,3");
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "a.csv");
    DataDirs.lines(dir, "annotations/instances_val_list.txt", "b.csv");
    DataDirs.lines(dir, "annotations/instances_test_list.txt", "c.csv", "");
    DatasetSpec spec = DatasetSpec.builder(Task.REGRESSION).frameSize(4).strideFraction(0.5).build();
    assertEquals(2, spec.stride());

    Dataset ds = DatasetLoader.load(dir, spec);

    assertEquals(List.of("x1", "x2"), ds.inputNames());
    assertEquals(List.of("target"), ds.targetNames());
    assertArrayEquals(new int[] {2, 4, 1}, ds.inputShape());
    assertArrayEquals(new int[] {1}, ds.targetShape());
    // (6-4)/2+1 = 2 train windows; val (5-4)/2+1 = 1; test (4-4)/2+1 = 1.
    assertEquals(2, ds.train().size());
    assertEquals(1, ds.val().size());
    assertEquals(1, ds.test().size());
    assertArrayEquals(new int[] {2, 2, 4, 1}, ds.train().inputs().shape());
    assertArrayEquals(new int[] {2, 1}, ds.train().targets().shape());

    double[] x1 = DataDirs.meanStd(1, 2, 3, 4, 5, 6);
    double[] x2 = DataDirs.meanStd(10, 20, 30, 40, 50, 60);
    double[] tg = DataDirs.meanStd(100, 200, 300, 400, 500, 600);
    Tensor in = ds.train().inputs();
    // Window 1 starts at row 2 (x1 = 3): channel 0 holds x1 rows 2..5, channel 1 x2 rows 2..5.
    for (int i = 0; i < 4; i++) {
      assertEquals((3 + i - x1[0]) / x1[1], in.get(1, 0, i, 0), EPS);
      assertEquals((10 * (3 + i) - x2[0]) / x2[1], in.get(1, 1, i, 0), EPS);
    }
    // Targets: mean of rows 0..3 = 250, rows 2..5 = 450 (normalized with train stats of the target column).
    assertEquals((250 - tg[0]) / tg[1], ds.train().targets().get(0, 0), EPS);
    assertEquals((450 - tg[0]) / tg[1], ds.train().targets().get(1, 0), EPS);
    Tensor raw = ds.normalization().denormalizeTargets(ds.train().targets());
    assertEquals(250, raw.get(0, 0), 1e-9);
    assertEquals(450, raw.get(1, 0), 1e-9);
    // Sources point at editor lines: header is line 1, row 0 is line 2.
    assertEquals(new WindowSource("files/a.csv", 2), ds.train().source(0));
    assertEquals(new WindowSource("files/a.csv", 4), ds.train().source(1));
    assertEquals("files/b.csv", ds.val().source(0).file());
    // Val window: constant 9 target.
    assertEquals(9, ds.normalization().denormalizeTarget(0, ds.val().targets().get(0, 0)), 1e-9);
  }

  /** No header (first row numeric), no annotations: seeded 0.6/0.2/0.2 split of 5 files = 3/1/1. */
  @Test
  void headerlessWithoutAnnotationsIsSplitAtFileLevel() {
    for (int f = 0; f < 5; f++) {
      int file = f;
      DataDirs.csv(dir, "files/run" + f + ".csv", null, 10, r -> (file * 100 + r) + "," + (r % 3) + "," + (2.5 * r));
    }
    DatasetSpec spec = DatasetSpec.builder(Task.REGRESSION).frameSize(4).strideFraction(0.25).build();
    assertEquals(1, spec.stride());
    Dataset ds = DatasetLoader.load(dir, spec);

    assertEquals(List.of("col0", "col1"), ds.inputNames());
    assertEquals(List.of("col2"), ds.targetNames());
    // 10 rows, frame 4, stride 1 -> 7 windows per file.
    assertEquals(21, ds.train().size());
    assertEquals(7, ds.val().size());
    assertEquals(7, ds.test().size());
    // The first row is data (line 1), not a header.
    WindowSource first = ds.train().source(0);
    assertEquals(1, first.firstLine());
    int file = first.file().charAt("files/run".length()) - '0';
    Tensor raw = ds.normalization().denormalizeInputs(ds.train().inputs());
    assertEquals(file * 100, raw.get(0, 0, 0, 0), 1e-9);
    // Target of window k (rows k..k+3 of 2.5 r) = 2.5 (k + 1.5).
    Tensor t = ds.normalization().denormalizeTargets(ds.train().targets());
    assertEquals(2.5 * 1.5, t.get(0, 0), 1e-9);
    assertEquals(2.5 * 2.5, t.get(1, 0), 1e-9);
  }

  @Test
  void variablesSelectsTheFirstColumnsAndRejectsTheTarget() {
    DataDirs.csv(dir, "files/a.csv", "a,b,c,y", 8, r -> r + "," + 2 * r + "," + 3 * r + "," + r);
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.REGRESSION).frameSize(4).variables(2)
        .splitFractions(1, 0, 0).build());
    assertEquals(List.of("a", "b"), ds.inputNames());
    assertEquals(0, ds.val().size());

    DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(dir,
        DatasetSpec.builder(Task.REGRESSION).frameSize(4).variables(4).build()));
    assertContains(e.getMessage(), "a.csv", "line 1", "variables");
  }

  @Test
  void batchAndSelectCopyTheRightWindows() {
    DataDirs.csv(dir, "files/a.csv", "x,y", 12, r -> r + "," + r);
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.REGRESSION).frameSize(2).strideFraction(0.5)
        .splitFractions(1, 0, 0).build());
    Split s = ds.train();
    assertEquals(11, s.size());
    Split b = s.batch(3, 6);
    assertEquals(3, b.size());
    assertEquals(s.inputs().get(3, 0, 1, 0), b.inputs().get(0, 0, 1, 0));
    assertEquals(s.targets().get(5, 0), b.targets().get(2, 0));
    assertEquals(s.source(4), b.source(1));
    Split sel = s.select(new int[] {10, 0});
    assertEquals(s.targets().get(10, 0), sel.targets().get(0, 0));
    assertEquals(s.targets().get(0, 0), sel.targets().get(1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> s.batch(5, 12));
    assertThrows(IllegalStateException.class, s::labels);
  }

  static void assertContains(String message, String... parts) {
    for (String p : parts) {
      if (!message.contains(p)) {
        throw new AssertionError("message should contain \"" + p + "\" but was: " + message);
      }
    }
  }
}
