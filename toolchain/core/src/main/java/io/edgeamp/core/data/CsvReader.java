package io.edgeamp.core.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one data file the way Tensorlab does (comma-separated, optional header, columns whose header
 * contains "time" in any case dropped), but strictly: every problem becomes a {@link DatasetException}
 * naming the file and the 1-based line, where Tensorlab would skip the file with a log warning or fail
 * later with a numpy error.
 *
 * <p>Header detection: the first row is a header unless all its cells are numbers. Values must be
 * finite and within float32 range, since the network runs in float32 on the device (and this bound
 * keeps sums in the normalization statistics finite).
 */
final class CsvReader {
  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
      .setIgnoreEmptyLines(true)
      .setTrim(true)
      .get();

  private CsvReader() {}

  static CsvTable read(Path file, String relativeName) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DatasetException(file, 0, "cannot be read (" + e.getMessage() + ").",
          "check that the file exists and is readable.", e);
    }
    if (bytes.length == 0) {
      throw new DatasetException(file, 0, "is empty (0 bytes).",
          "remove it from the dataset (and from the annotation lists) or fill it with comma-separated rows.");
    }
    for (int i = 0; i < Math.min(bytes.length, 4096); i++) {
      if (bytes[i] == 0) { // before any message quotes its cells: raw binary would garble the terminal
        throw new DatasetException(file, 0, "is not a text file (it has NUL bytes, e.g. at byte " + i + "): a binary file in the dataset folder.",
            "remove it from the dataset, or export the recording as comma-separated text.");
      }
    }
    String text = decode(bytes);
    if (text.startsWith("\uFEFF")) text = text.substring(1); // byte-order mark written by Excel
    LineIndex lineIndex = new LineIndex(text);

    List<String[]> rows = new ArrayList<>();
    List<Integer> rowLines = new ArrayList<>();
    int lastLine = 0;
    try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
      for (CSVRecord record : parser) {
        int line = lineIndex.lineOf(skipBlank(text, record.getCharacterPosition()));
        lastLine = line;
        String[] cells = record.values();
        if (cells.length == 1 && cells[0].isEmpty()) continue; // a line of blanks only
        rows.add(cells);
        rowLines.add(line);
      }
    } catch (IOException | UncheckedIOException | IllegalStateException e) {
      // Commons CSV reports malformed quoting this way; the record that failed starts after the last good one.
      String detail = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new DatasetException(file, lastLine + 1,
          "is not valid CSV near this line: a quoted value is not closed, or has text after its closing quote ("
              + detail + ").",
          "remove the stray double quote (\") or close the quoted value; numbers need no quotes.", e);
    }
    if (rows.isEmpty()) {
      throw new DatasetException(file, 0, "has no rows (only blank lines).",
          "remove it from the dataset or fill it with comma-separated rows.");
    }

    String[] first = rows.get(0);
    int width = first.length;
    if (width == 1) {
      for (String sep : new String[] {";", "\t", "|"}) {
        if (first[0].contains(sep) && first[0].split(java.util.regex.Pattern.quote(sep)).length > 1) {
          throw new DatasetException(file, rowLines.get(0), "has no commas but '" + (sep.equals("\t") ? "\\t" : sep)
              + "' between its values: it uses another separator.",
              "save it comma-separated (Tensorlab's CSV layout), e.g. in Excel as \"CSV (comma delimited)\".");
        }
      }
    }
    boolean hasHeader = false;
    for (String cell : first) {
      if (!isNumber(cell)) {
        hasHeader = true;
        break;
      }
    }
    int firstLine = rowLines.get(0);
    // Keep every column unless the header says it is a time column.
    List<Integer> kept = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      if (hasHeader && first[c].toLowerCase(Locale.ROOT).contains("time")) continue;
      kept.add(c);
      names.add(hasHeader ? (first[c].isEmpty() ? "column " + (c + 1) : first[c]) : "col" + c);
    }
    if (kept.isEmpty()) {
      throw new DatasetException(file, firstLine,
          "has only time columns (every header contains \"time\"), so there is no data left.",
          "rename the data columns so that their header does not contain \"time\".");
    }
    int start = hasHeader ? 1 : 0;
    int n = rows.size() - start;
    if (n == 0) {
      throw new DatasetException(file, firstLine, "has a header row but no data rows.",
          "add the recorded rows below the header, or remove the file.");
    }
    double[][] columns = new double[kept.size()][n];
    int[] lines = new int[n];
    for (int r = 0; r < n; r++) {
      String[] cells = rows.get(start + r);
      int line = rowLines.get(start + r);
      lines[r] = line;
      if (cells.length != width) {
        throw new DatasetException(file, line,
            "has " + cells.length + " value" + (cells.length == 1 ? "" : "s") + " but line " + firstLine
                + (hasHeader ? " (the header)" : " (the first row)") + " has " + width + ".",
            "give every row the same number of comma-separated values (no missing or extra commas).");
      }
      for (int k = 0; k < columns.length; k++) {
        int c = kept.get(k);
        columns[k][r] = parseCell(file, line, cells[c], c, hasHeader ? first[c] : null);
      }
    }
    return new CsvTable(file, relativeName, hasHeader, names, columns, lines, firstLine);
  }

  /**
   * A record's character position lies before the empty lines the parser skipped to reach it; move to
   * its first visible character so the reported line is the one the user sees.
   */
  private static long skipBlank(String text, long position) {
    int i = (int) Math.min(position, text.length());
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (ch != '\r' && ch != '\n' && ch != ' ' && ch != '\t') break;
      i++;
    }
    return i;
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }

  private static double parseCell(Path file, int line, String cell, int column, String header) {
    String where = "column " + (column + 1) + (header != null ? " (\"" + header + "\")" : "");
    if (!isNumber(cell)) {
      String fix;
      if (cell.isEmpty()) {
        fix = "fill in the missing value, or remove the row.";
      } else if (cell.indexOf(';') >= 0 || cell.indexOf('\t') >= 0) {
        fix = "separate values with commas (this looks like a semicolon- or tab-separated file).";
      } else if (header == null && column == 0) {
        fix = "write a number here; if this column is a time stamp, add a header row and put \"time\" in its name so it is dropped.";
      } else {
        fix = "write a plain decimal number (e.g. 12.5 or -3e-4); if this column is a time stamp, put \"time\" in its header name.";
      }
      return fail(file, line, where + " holds \"" + abbreviate(cell) + "\", which is not a number.", fix);
    }
    double v = parseNumber(cell);
    if (Double.isNaN(v)) {
      return fail(file, line, where + " is NaN (a missing value).", "fill in or interpolate the value, or drop the row.");
    }
    if (Math.abs(v) > Float.MAX_VALUE) {
      return fail(file, line, where + " holds " + abbreviate(cell) + ", which is infinite or beyond float32 range (3.4e38).",
          "remove or clip the value; check the sensor's units and scaling.");
    }
    return v;
  }

  /** Double.parseDouble, plus the NaN/Inf spellings pandas and numpy write (nan, inf, -inf, Infinity). */
  private static double parseNumber(String cell) {
    String t = cell.toLowerCase(Locale.ROOT);
    boolean negative = t.startsWith("-");
    String body = t.startsWith("+") || negative ? t.substring(1) : t;
    if (body.equals("nan")) return Double.NaN;
    if (body.equals("inf") || body.equals("infinity")) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    return Double.parseDouble(cell);
  }

  private static double fail(Path file, int line, String problem, String fix) {
    throw new DatasetException(file, line, problem, fix);
  }

  /** Short and visible: invisible characters (control, byte-order mark, bad UTF-8) are shown as \\uXXXX. */
  private static String abbreviate(String s) {
    String cut = s.length() <= 40 ? s : s.substring(0, 37) + "...";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cut.length(); i++) {
      char ch = cut.charAt(i);
      int type = Character.getType(ch);
      boolean invisible = Character.isISOControl(ch) || type == Character.FORMAT || ch == '\uFFFD'
          || type == Character.SURROGATE || type == Character.UNASSIGNED;
      if (invisible) sb.append(String.format("\\u%04X", (int) ch));
      else sb.append(ch);
    }
    return sb.toString();
  }

  /**
   * True for plain decimal numbers (optionally signed, with fraction and exponent) and for NaN/Inf
   * spellings, so that those are reported as missing/infinite values rather than as text. Stricter than
   * Double.parseDouble, which also takes hex floats and a trailing 'd' or 'f'.
   */
  static boolean isNumber(String s) {
    int n = s.length();
    if (n == 0) return false;
    int i = 0;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') i++;
    String rest = s.substring(i).toLowerCase(Locale.ROOT);
    if (rest.equals("nan") || rest.equals("inf") || rest.equals("infinity")) return true;
    int digits = 0;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) return false;
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      int exp = 0;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) return false;
    }
    return i == n;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Maps character offsets to 1-based line numbers; \n, \r\n and a lone \r each end a line. */
  static final class LineIndex {
    private final int[] lineEnds;
    private final int count;

    LineIndex(String text) {
      int[] ends = new int[64];
      int k = 0;
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        boolean end = ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'));
        if (end) {
          if (k == ends.length) ends = Arrays.copyOf(ends, k * 2);
          ends[k++] = i;
        }
      }
      lineEnds = ends;
      count = k;
    }

    int lineOf(long position) {
      // Number of line ends strictly before position, plus one.
      int lo = 0;
      int hi = count;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (lineEnds[mid] < position) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    }
  }
}
