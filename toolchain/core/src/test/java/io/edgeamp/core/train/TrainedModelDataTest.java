package io.edgeamp.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.data.DatasetException;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic data a run writes into OUT/data: reused for the same task, regenerated for another, a user's folder left alone. */
class TrainedModelDataTest {
  @TempDir Path out;

  @Test
  void aSyntheticSetOfAnotherTaskIsRegeneratedForThisOne() {
    Path first = TrainedModel.dataOrSynthetic(null, Task.ANOMALY, out, 1);
    assertEquals(Task.ANOMALY, SyntheticDatasets.recommendedSpec(first).orElseThrow().task());
    Path again = TrainedModel.dataOrSynthetic(null, Task.FORECASTING, out, 1);
    assertEquals(first, again);
    assertEquals(Task.FORECASTING, SyntheticDatasets.recommendedSpec(again).orElseThrow().task());
    assertEquals(Task.FORECASTING, TrainedModel.load(again, Task.FORECASTING).task());
  }

  @Test
  void aSyntheticSetOfThisTaskIsReused() throws Exception {
    Path first = TrainedModel.dataOrSynthetic(null, Task.REGRESSION, out, 1);
    Path marker = Files.writeString(first.resolve("files").resolve("touched.txt"), "kept");
    TrainedModel.dataOrSynthetic(null, Task.REGRESSION, out, 1);
    assertTrue(Files.isRegularFile(marker), "regenerated although the task matched");
  }

  @Test
  void aFolderTheUserFilledIsNotOverwritten() throws Exception {
    Files.createDirectories(out.resolve("data"));
    Files.writeString(out.resolve("data/mine.csv"), "x\n1\n");
    DatasetException e = assertThrows(DatasetException.class, () -> TrainedModel.dataOrSynthetic(null, Task.REGRESSION, out, 1));
    assertTrue(e.getMessage().contains("was not written by 'dataset synth'"), e.getMessage());
    assertEquals("x\n1\n", Files.readString(out.resolve("data/mine.csv")));
  }
}
