package io.edgeamp.core.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One data file after reading: numeric columns (time columns already dropped), column-major, with
 * the editor line of each row so later checks can still point at the right line.
 */
final class CsvTable {
  final Path file;
  /** Path relative to the dataset root, for window sources. */
  final String relativeName;
  final boolean hasHeader;
  /** Header names of the kept columns, or col0, col1... for header-less files. */
  final List<String> names;
  /** columns[c][r]: value of kept column c in data row r. */
  final double[][] columns;
  /** lines[r]: 1-based line of data row r. */
  final int[] lines;
  /** 1-based line of the header (or of the first data row when there is none). */
  final int firstLine;

  CsvTable(Path file, String relativeName, boolean hasHeader, List<String> names, double[][] columns, int[] lines,
      int firstLine) {
    this.file = file;
    this.relativeName = relativeName;
    this.hasHeader = hasHeader;
    this.names = List.copyOf(names);
    this.columns = columns;
    this.lines = lines;
    this.firstLine = firstLine;
  }

  int rows() {
    return lines.length;
  }

  int cols() {
    return columns.length;
  }

  /** "lines 2-4097" for messages. */
  String lineRange() {
    return rows() == 0 ? "no data rows" : "lines " + lines[0] + "-" + lines[rows() - 1];
  }
}
