package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Classification and anomaly detection: classes/<label>/*.csv. */
class ClassLayoutTest {
  @TempDir Path dir;

  private void classFile(String label, String name, double value, int rows) {
    DataDirs.csv(dir, "classes/" + label + "/" + name, "time,v1,v2", rows, r -> r + "," + value + "," + (value + r));
  }

  @Test
  void labelsAreSortedFolderNamesAndSplitIsPerClass() {
    // Folder names deliberately not created in sorted order.
    for (String label : new String[] {"cat", "ant", "bee"}) {
      for (int f = 0; f < 5; f++) classFile(label, "f" + f + ".csv", label.charAt(0), 8);
    }
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.CLASSIFICATION).frameSize(4).strideFraction(1).build());

    assertEquals(List.of("ant", "bee", "cat"), ds.classNames());
    assertArrayEquals(new int[0], ds.targetShape());
    // Per class 5 files -> 3/1/1; 2 windows per file.
    assertEquals(3 * 3 * 2, ds.train().size());
    assertEquals(3 * 2, ds.val().size());
    assertEquals(3 * 2, ds.test().size());
    Split tr = ds.train();
    int[] labels = tr.labels();
    Tensor raw = ds.normalization().denormalizeInputs(tr.inputs());
    int[] perClass = new int[3];
    for (int i = 0; i < tr.size(); i++) {
      String label = tr.source(i).file().split("/")[1];
      assertEquals(ds.classNames().indexOf(label), labels[i]);
      assertEquals(labels[i], tr.targets().get(i), 0.0);
      assertEquals(label.charAt(0), raw.get(i, 0, 0, 0), 1e-9);
      perClass[labels[i]]++;
    }
    assertArrayEquals(new int[] {6, 6, 6}, perClass);
  }

  @Test
  void annotationsNameLabelSlashFile() {
    classFile("on", "a.csv", 1, 4);
    classFile("on", "b.csv", 2, 4);
    classFile("off", "c.csv", 3, 4);
    classFile("off", "d.csv", 4, 4);
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "on/a.csv", "off/c.csv");
    DataDirs.lines(dir, "annotations/instances_val_list.txt", "./on/b.csv");
    DataDirs.lines(dir, "annotations/instances_test_list.txt", "classes/off/d.csv");
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.CLASSIFICATION).frameSize(4).build());
    assertEquals(List.of("off", "on"), ds.classNames());
    assertEquals(2, ds.train().size());
    assertArrayEquals(new int[] {0, 1}, ds.train().labels()); // sorted by path: off/c, on/a
    assertArrayEquals(new int[] {1}, ds.val().labels());
    assertArrayEquals(new int[] {0}, ds.test().labels());
  }

  @Test
  void anomalyTrainsOnNormalOnlyAndLabelsEvaluationWindows() {
    for (int f = 0; f < 5; f++) classFile("Normal", "n" + f + ".csv", 1 + f * 0.1, 8);
    for (int f = 0; f < 2; f++) classFile("Anomaly", "a" + f + ".csv", 1000, 8);
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.ANOMALY).frameSize(4).strideFraction(1).build());

    assertEquals(List.of("Normal", "Anomaly"), ds.classNames());
    Split tr = ds.train();
    assertEquals(3 * 2, tr.size());
    for (int i = 0; i < tr.size(); i++) {
      assertTrue(tr.source(i).file().startsWith("classes/Normal/"), tr.source(i).file());
      assertEquals(0, tr.labels()[i]);
    }
    assertSame(tr.inputs(), tr.targets()); // autoencoder: reconstruct the input
    assertArrayEquals(ds.inputShape(), ds.targetShape());
    assertEquals(2, ds.val().size());
    assertArrayEquals(new int[] {0, 0}, ds.val().labels());
    // Test: 1 Normal file + both Anomaly files.
    int anomalies = 0;
    for (int l : ds.test().labels()) anomalies += l;
    assertEquals(4, anomalies);
    assertEquals(6, ds.test().size());
    // Statistics from Normal training files only: the 1000s of the Anomaly files are not in the mean.
    assertTrue(ds.normalization().inputMean()[0] < 2, "mean " + ds.normalization().inputMean()[0]);
  }

  @Test
  void anomalyFilesInTheTrainingListAreLeftOut() {
    classFile("normal", "n.csv", 1, 4);
    classFile("Anomaly", "a.csv", 9, 4);
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "normal/n.csv", "Anomaly/a.csv");
    Dataset ds = DatasetLoader.load(dir, DatasetSpec.builder(Task.ANOMALY).frameSize(4).build());
    assertEquals(1, ds.train().size());
    assertEquals("classes/normal/n.csv", ds.train().source(0).file());
    assertEquals(0, ds.test().size());
  }
}
