package io.edgeamp.core.quant;

/**
 * Per-sample dimensions of a device tensor, channel-last (HWC) as the C runtime stores it. A 1-D
 * tensor [C, L] is L x 1 x C; a feature vector [F] is 1 x 1 x F.
 */
public record Dims(int h, int w, int c) {
  public Dims {
    if (h < 1 || w < 1 || c < 1) throw new IllegalArgumentException("dimensions must be positive: " + h + "x" + w + "x" + c);
  }

  public int size() {
    return h * w * c;
  }

  public int pixels() {
    return h * w;
  }

  /** Dims of a per-sample value of an NCHW graph value shape (batch dimension included). */
  public static Dims ofGraphShape(int[] shape) {
    return switch (shape.length) {
      case 2 -> new Dims(1, 1, shape[1]);
      case 3 -> new Dims(shape[2], 1, shape[1]);
      case 4 -> new Dims(shape[2], shape[3], shape[1]);
      default -> throw new IllegalArgumentException("device tensors have rank 2, 3 or 4 (with batch), got rank " + shape.length);
    };
  }

  @Override
  public String toString() {
    return h + "x" + w + "x" + c;
  }
}
