package io.edgeamp.core.board;

import java.util.List;

/**
 * A board profile that cannot be used: a YAML syntax error, an unknown key, a missing field, a value
 * of the wrong type or out of range, or an unknown board id. The message has one line per problem,
 * each naming the file and the key path (for example {@code board-profiles/foo.yaml: npu.bits[1]: 3
 * is not one of 2, 4, 8}) and what would fix it; {@link #problems()} gives them one by one.
 */
public final class BoardProfileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem. {@code keyPath} is the YAML key path ({@code npu.bits[1]}, {@code flasher.kind}), or
   * empty when the problem is about the whole file.
   */
  public record Problem(String keyPath, String message) {
    @Override
    public String toString() {
      return keyPath.isEmpty() ? message : keyPath + ": " + message;
    }
  }

  private final String file;
  private final List<Problem> problems;

  public BoardProfileException(String file, List<Problem> problems) {
    super(format(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public BoardProfileException(String file, String keyPath, String message) {
    this(file, List.of(new Problem(keyPath, message)));
  }

  /** The profile file as it was named to the loader (or the search folders, for an unknown id). */
  public String file() {
    return file;
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String format(String file, List<Problem> problems) {
    StringBuilder sb = new StringBuilder();
    for (Problem p : problems) {
      if (sb.length() > 0) sb.append('\n');
      sb.append(file).append(": ").append(p);
    }
    return sb.toString();
  }
}
