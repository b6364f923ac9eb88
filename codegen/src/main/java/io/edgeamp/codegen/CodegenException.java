package io.edgeamp.codegen;

/**
 * A model that codegen cannot turn into firmware for the board, for a reason the user can fix: a layer
 * the board's NPU path cannot run (naming the layer, the limit and the numbers), a model that does
 * not fit the board's flash or RAM, an unusable board profile or artifact. The CLI prints the message
 * and exits with code 2; nothing is written.
 */
public class CodegenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CodegenException(String message) {
    super(message);
  }

  public CodegenException(String message, Throwable cause) {
    super(message, cause);
  }
}
