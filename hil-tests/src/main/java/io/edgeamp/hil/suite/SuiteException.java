package io.edgeamp.hil.suite;

/** A suite file that cannot be run as written. */
public final class SuiteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SuiteException(String message) {
    super(message);
  }
}
