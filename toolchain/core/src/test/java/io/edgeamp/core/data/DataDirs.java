package io.edgeamp.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/** Writes small hand-made dataset files for the tests. */
final class DataDirs {
  private DataDirs() {}

  static Path write(Path root, String relative, String content) {
    Path p = root.resolve(relative);
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** A CSV with an optional header and {@code rows} rows made by {@code row}. */
  static Path csv(Path root, String relative, String header, int rows, IntFunction<String> row) {
    StringBuilder sb = new StringBuilder();
    if (header != null) sb.append(header).append('\n');
    for (int r = 0; r < rows; r++) sb.append(row.apply(r)).append('\n');
    return write(root, relative, sb.toString());
  }

  static Path lines(Path root, String relative, String... lines) {
    return write(root, relative, String.join("\n", lines) + "\n");
  }

  /** Population mean and std, as the loader computes them (std 1 for a constant channel). */
  static double[] meanStd(double... v) {
    double s = 0;
    for (double x : v) s += x;
    double m = s / v.length;
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    double std = Math.sqrt(ss / v.length);
    return new double[] {m, std < Normalization.MIN_STD ? 1 : std};
  }
}
