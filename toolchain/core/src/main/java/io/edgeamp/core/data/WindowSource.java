package io.edgeamp.core.data;

/**
 * Where a window came from, for diagnostics ("the worst prediction is the window starting at line 4097
 * of files/run_17.csv").
 *
 * @param file the data file, relative to the dataset root (e.g. {@code files/run_17.csv})
 * @param firstLine 1-based line, as an editor shows it, of the window's first row
 */
public record WindowSource(String file, int firstLine) {
  @Override
  public String toString() {
    return file + ":" + firstLine;
  }
}
