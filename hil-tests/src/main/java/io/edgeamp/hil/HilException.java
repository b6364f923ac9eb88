package io.edgeamp.hil;

/** A failure with an HTTP-style status: 4xx are the client's mistakes, 5xx the server's. */
public class HilException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HilException(int status, String message) {
    super(message);
    this.status = status;
  }

  public HilException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
