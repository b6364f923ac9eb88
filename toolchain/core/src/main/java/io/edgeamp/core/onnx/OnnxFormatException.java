package io.edgeamp.core.onnx;

import java.io.IOException;

/**
 * An ONNX file that EdgeAMP cannot read or a graph it cannot write: corrupt or truncated protobuf, an
 * unsupported opset or operator, an attribute out of range, a missing weight. The message names the file,
 * the node (name and op type) where there is one, and what would fix the model.
 *
 * <p>A checked {@link IOException} because it is a property of the input file, like {@code ZipException}:
 * callers that read files already handle one exception type.
 */
public final class OnnxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String nodeName;
  private final String opType;

  public OnnxFormatException(String file, String nodeName, String opType, String problem, Throwable cause) {
    super(compose(file, nodeName, opType, problem), cause);
    this.file = file;
    this.nodeName = nodeName;
    this.opType = opType;
  }

  public OnnxFormatException(String file, String problem) {
    this(file, null, null, problem, null);
  }

  /** The file (or "<bytes>") the problem was found in. */
  public String file() {
    return file;
  }

  /** The offending node's name, or null when the problem is not in one node. */
  public String nodeName() {
    return nodeName;
  }

  /** The offending node's op type, or null. */
  public String opType() {
    return opType;
  }

  private static String compose(String file, String nodeName, String opType, String problem) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<onnx>" : file).append(": ");
    if (nodeName != null || opType != null) {
      sb.append("node '").append(nodeName == null ? "" : nodeName).append("' (").append(opType == null ? "?" : opType).append("): ");
    }
    return sb.append(problem).toString();
  }
}
