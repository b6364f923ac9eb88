package io.edgeamp.core.data;

import static io.edgeamp.core.data.RegressionLayoutTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad data gives a DatasetException that names the file, the line and a fix. */
class BadDataTest {
  @TempDir Path dir;

  private static final DatasetSpec REG = DatasetSpec.builder(Task.REGRESSION).frameSize(2).strideFraction(1).build();

  private DatasetException loadFails(DatasetSpec spec) {
    return assertThrows(DatasetException.class, () -> DatasetLoader.load(dir, spec));
  }

  /** One regression file with the given lines, plus a good file so only this one is at fault. */
  private DatasetException regressionFileFails(String... lines) {
    DataDirs.lines(dir, "files/good.csv", "x,y", "1,2", "3,4", "5,6");
    DataDirs.lines(dir, "files/bad.csv", lines);
    DatasetException e = loadFails(REG);
    assertEquals("bad.csv", e.file().getFileName().toString());
    assertContains(e.getMessage(), "bad.csv", "To fix:");
    return e;
  }

  @Test
  void raggedRow() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,4", "5", "7,8");
    assertEquals(4, e.line());
    assertContains(e.getMessage(), "line 4", "has 1 value but line 1 (the header) has 2");
  }

  @Test
  void extraValueInHeaderlessFile() {
    DatasetException e = regressionFileFails("1,2", "3,4,5", "7,8");
    assertContains(e.getMessage(), "line 2", "has 3 values", "(the first row)");
  }

  @Test
  void nonNumericCell() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,abc", "5,6");
    assertContains(e.getMessage(), "line 3", "column 2 (\"y\")", "\"abc\"", "not a number");
  }

  @Test
  void invisibleCharactersAreShown() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,4\u00075", "5,6");
    assertContains(e.getMessage(), "line 3", "\"4\\u00075\"");
  }

  @Test
  void emptyCell() {
    DatasetException e = regressionFileFails("x,y", "1,2", ",4", "5,6");
    assertContains(e.getMessage(), "line 3", "missing value");
  }

  @Test
  void semicolonSeparatedFileGetsAHint() {
    DatasetException e = regressionFileFails("x;y", "1;2", "3;4");
    assertContains(e.getMessage(), "line 1", "no commas but ';'", "another separator", "comma-separated");
    // a time column in the header must not hide the separator ("has only time columns")
    e = regressionFileFails("time;value", "1;2", "3;4");
    assertContains(e.getMessage(), "line 1", "no commas but ';'");
    e = regressionFileFails("x\ty", "1\t2", "3\t4");
    assertContains(e.getMessage(), "no commas but '\\t'");
  }

  @Test
  void binaryFileIsNamedWithoutEchoingItsBytes() throws Exception {
    DataDirs.lines(dir, "files/good.csv", "x,y", "1,2", "3,4", "5,6");
    Files.write(dir.resolve("files/bad.csv"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x1b, '[', '2', 'J'});
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "bad.csv", "is not a text file", "NUL bytes", "at byte 8");
    assertEquals(-1, e.getMessage().indexOf('\u001b'), "escape bytes echoed: " + e.getMessage());
  }

  @Test
  void nan() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,4", "NaN,6");
    assertContains(e.getMessage(), "line 4", "NaN");
  }

  @Test
  void infinity() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,-inf", "5,6");
    assertContains(e.getMessage(), "line 3", "infinite");
  }

  @Test
  void numberBeyondFloat32() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,4", "5,6", "1e39,8");
    assertContains(e.getMessage(), "line 5", "float32");
  }

  @Test
  void blankLinesDoNotShiftLineNumbers() {
    DatasetException e = regressionFileFails("x,y", "", "1,2", "", "", "3,oops", "5,6");
    assertEquals(6, e.line());
  }

  @Test
  void crlfLineEndings() {
    DataDirs.lines(dir, "files/good.csv", "x,y", "1,2", "3,4");
    DataDirs.write(dir, "files/bad.csv", "x,y\r\n1,2\r\n3,4\r\n5,x\r\n");
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "bad.csv", "line 4");
  }

  @Test
  void unclosedQuote() {
    DatasetException e = regressionFileFails("x,y", "1,2", "3,\"4", "5,6");
    assertContains(e.getMessage(), "line 3", "quote");
  }

  @Test
  void emptyFile() {
    DataDirs.lines(dir, "files/good.csv", "x,y", "1,2", "3,4");
    DataDirs.write(dir, "files/empty.csv", "");
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "empty.csv", "is empty");
  }

  @Test
  void headerOnly() {
    DatasetException e = regressionFileFails("x,y");
    assertContains(e.getMessage(), "line 1", "no data rows");
  }

  @Test
  void fileShorterThanOneWindow() {
    DataDirs.lines(dir, "files/good.csv", "x,y", "1,2", "3,4", "5,6", "7,8");
    DataDirs.lines(dir, "files/short.csv", "x,y", "1,2", "3,4");
    DatasetException e = loadFails(DatasetSpec.builder(Task.REGRESSION).frameSize(3).build());
    // Points at the last row so the user sees where the file ends.
    assertContains(e.getMessage(), "short.csv", "line 3", "2 data row(s)", "frame_size=3");
  }

  @Test
  void forecastingFileShorterThanFramePlusHorizon() {
    DataDirs.lines(dir, "files/s.csv", "a", "1", "2", "3", "4");
    DatasetException e = loadFails(DatasetSpec.builder(Task.FORECASTING).frameSize(3).forecastHorizon(2).build());
    assertContains(e.getMessage(), "s.csv", "line 5", "forecast_horizon=2");
  }

  @Test
  void annotationNamingAMissingFile() {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2", "3,4");
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "a.csv", "b.csv");
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "instances_train_list.txt", "line 2", "\"b.csv\"");
  }

  @Test
  void fileInTwoSplits() {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2", "3,4");
    DataDirs.lines(dir, "annotations/instances_train_list.txt", "a.csv");
    DataDirs.lines(dir, "annotations/instances_test_list.txt", "", "a.csv");
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "instances_test_list.txt", "line 2", "instances_train_list.txt line 1");
  }

  @Test
  void filesWithDifferentColumns() {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2", "3,4");
    DataDirs.lines(dir, "files/b.csv", "x,z,y", "1,2,3", "3,4,5");
    DatasetException e = loadFails(REG.toBuilder().splitFractions(0.5, 0.5, 0).build());
    assertContains(e.getMessage(), "line 1", "3 data column(s)", "a.csv");
  }

  @Test
  void unknownTargetName() {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2", "3,4", "5,6");
    DatasetException e = loadFails(DatasetSpec.builder(Task.FORECASTING).frameSize(1).targetVariables("temp").build());
    assertContains(e.getMessage(), "a.csv", "line 1", "\"temp\"", "[x, y]");
  }

  @Test
  void targetByNameInHeaderlessFile() {
    DataDirs.lines(dir, "files/a.csv", "1,2", "3,4", "5,6");
    DatasetException e = loadFails(DatasetSpec.builder(Task.FORECASTING).frameSize(1).targetVariables("y").build());
    assertContains(e.getMessage(), "a.csv", "line 1", "no header row");
  }

  @Test
  void classificationOnAFilesLayout() {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2");
    DatasetException e = loadFails(DatasetSpec.defaults(Task.CLASSIFICATION));
    assertContains(e.getMessage(), dir.toString(), "no classes/ folder", "--task regression|forecasting");
  }

  @Test
  void regressionOnAClassesLayout() {
    DataDirs.lines(dir, "classes/a/x.csv", "x,y", "1,2");
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "no files/ folder", "--task classification|anomaly");
  }

  @Test
  void anomalyWithAnUnknownClassFolder() {
    DataDirs.lines(dir, "classes/Normal/n.csv", "x", "1", "2");
    DataDirs.lines(dir, "classes/bearing/b.csv", "x", "1", "2");
    DatasetException e = loadFails(DatasetSpec.builder(Task.ANOMALY).frameSize(1).build());
    assertContains(e.getMessage(), "bearing", "classes/Anomaly");
  }

  @Test
  void anomalyWithoutNormal() {
    DataDirs.lines(dir, "classes/Anomaly/a.csv", "x", "1", "2");
    DatasetException e = loadFails(DatasetSpec.builder(Task.ANOMALY).frameSize(1).build());
    assertContains(e.getMessage(), "Normal");
  }

  @Test
  void classificationWithOneClass() {
    DataDirs.lines(dir, "classes/only/a.csv", "x", "1", "2");
    DatasetException e = loadFails(DatasetSpec.builder(Task.CLASSIFICATION).frameSize(1).build());
    assertContains(e.getMessage(), "at least 2");
  }

  @Test
  void numpyFilesAreNamed() throws Exception {
    DataDirs.lines(dir, "files/a.csv", "x,y", "1,2");
    Files.write(dir.resolve("files/b.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
    DatasetException e = loadFails(REG);
    assertContains(e.getMessage(), "b.npy", "convert it to CSV");
  }

  @Test
  void missingFolder() {
    DatasetException e = assertThrows(DatasetException.class, () -> DatasetLoader.load(dir.resolve("nope"), REG));
    assertContains(e.getMessage(), "nope", "does not exist");
  }

  @Test
  void timeStampWithoutHeaderGetsAHint() {
    DatasetException e = regressionFileFails("12:00:01,1,2", "12:00:02,3,4");
    // The first row is taken as a header (not all numeric); the second row then fails in column 1.
    assertContains(e.getMessage(), "line 2", "time");
  }
}
