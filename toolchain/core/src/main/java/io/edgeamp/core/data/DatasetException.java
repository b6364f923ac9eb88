package io.edgeamp.core.data;

import java.nio.file.Path;

/**
 * A dataset that cannot be used as it is. The message names the file and the 1-based line (as an
 * editor shows it) where that applies, says what is wrong and what would fix it, so the user can act
 * on it without reading our code.
 *
 * <p>Unchecked: bad data is reported to the user, not recovered from, and the callers (CLI, training)
 * have nothing better to do than print it.
 */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Path file;
  private final int line;

  /** A problem with the dataset as a whole (no single file to blame). */
  public DatasetException(String message) {
    super(message);
    this.file = null;
    this.line = 0;
  }

  /** A problem in {@code file}; {@code line} is 1-based, or 0 when no line applies. */
  public DatasetException(Path file, int line, String problem, String fix) {
    this(file, line, problem, fix, null);
  }

  public DatasetException(Path file, int line, String problem, String fix, Throwable cause) {
    super(format(file, line, problem, fix), cause);
    this.file = file;
    this.line = line;
  }

  private static String format(Path file, int line, String problem, String fix) {
    StringBuilder sb = new StringBuilder();
    sb.append(file);
    if (line > 0) sb.append(", line ").append(line);
    sb.append(": ").append(problem);
    if (fix != null && !fix.isEmpty()) sb.append(" To fix: ").append(fix);
    return sb.toString();
  }

  /** The file at fault, or null when the problem is not in one file. */
  public Path file() {
    return file;
  }

  /** The 1-based line at fault, or 0 when no single line is. */
  public int line() {
    return line;
  }
}
