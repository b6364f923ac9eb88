package io.edgeamp.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes generated signals as CSV with a fixed number of decimals per column (what a logger would
 * record). Numbers need no quoting, so a plain writer is enough; formatting is done by hand because
 * String.format would dominate the generation time.
 */
final class SynthCsv {
  private static final long[] POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000};

  private SynthCsv() {}

  /** columns[c][r]; decimals[c] in 0..6. */
  static void write(Path file, List<String> header, double[][] columns, int[] decimals) {
    int rows = columns[0].length;
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append(String.join(",", header)).append('\n');
        for (int r = 0; r < rows; r++) {
          for (int c = 0; c < columns.length; c++) {
            if (c > 0) sb.append(',');
            appendFixed(sb, columns[c][r], decimals[c]);
          }
          sb.append('\n');
          if (sb.length() > 60_000) {
            w.append(sb);
            sb.setLength(0);
          }
        }
        w.append(sb);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void appendFixed(StringBuilder sb, double v, int decimals) {
    if (!Double.isFinite(v) || Math.abs(v) > 1e12) throw new IllegalArgumentException("generator produced " + v);
    long scale = POW10[decimals];
    long scaled = Math.round(Math.abs(v) * scale);
    if (v < 0 && scaled != 0) sb.append('-');
    sb.append(scaled / scale);
    if (decimals > 0) {
      sb.append('.');
      String frac = Long.toString(scaled % scale);
      for (int i = frac.length(); i < decimals; i++) sb.append('0');
      sb.append(frac);
    }
  }

  /**
   * The random stream of file {@code index}. java.util.Random's first outputs for nearby seeds are
   * nearly equal (seed+1 gives almost the same first nextDouble), so seed and index are scrambled with
   * the SplitMix64 finalizer first; without it every file of a run got the same load.
   */
  static java.util.Random rng(long seed, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new java.util.Random(z ^ (z >>> 31));
  }

  static void writeLines(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
