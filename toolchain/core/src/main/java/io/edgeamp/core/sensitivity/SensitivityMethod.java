package io.edgeamp.core.sensitivity;

import java.util.Locale;

/** How a layer's sensitivity is measured from its Hessian block. */
public enum SensitivityMethod {
  /** Top eigenvalue by power iteration (HAWQ-V1, Tensorlab's choice). */
  EIGENVALUE,
  /** Hutchinson estimate of the trace divided by the parameter count (HAWQ-V2's average eigenvalue). */
  TRACE;

  public static SensitivityMethod parse(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "eigenvalue", "eig", "top-eigenvalue" -> EIGENVALUE;
      case "trace", "hutchinson" -> TRACE;
      default -> throw new IllegalArgumentException("--sensitivity: expected eigenvalue or trace, got '" + s + "'");
    };
  }
}
