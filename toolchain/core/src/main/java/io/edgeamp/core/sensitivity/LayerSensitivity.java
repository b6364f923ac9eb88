package io.edgeamp.core.sensitivity;

/**
 * One layer's sensitivity: the value (top eigenvalue, or mean Hessian diagonal for the trace method),
 * the Hessian-vector products it took, whether it converged, and the time spent.
 */
public record LayerSensitivity(String layer, String weight, long parameters, double value, int iterations, boolean converged,
    double seconds) {
  /** A usable value: finite and converged. */
  public boolean usable() {
    return converged && Double.isFinite(value);
  }
}
