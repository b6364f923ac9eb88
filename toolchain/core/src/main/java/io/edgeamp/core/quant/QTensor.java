package io.edgeamp.core.quant;

/**
 * A device tensor of a quantized model. {@code repr}: INT8 / UINT8 (8-bit, per-tensor scale, no zero
 * point: real = q * scale) or FLOAT32 (an edge between two CPU layers that stays float). {@code scale}
 * is a float32 value; {@code invScale()} is the float32 reciprocal the CPU quantize uses.
 * Liveness: {@code firstLayer} is the producing layer's index (-1: the model input), {@code lastLayer}
 * the last layer reading it ({@code layers.size()} for the model output, which stays live to the end).
 */
public record QTensor(String name, Dims dims, Repr repr, float scale, int firstLayer, int lastLayer) {
  public enum Repr {
    INT8(-128, 127, 1), UINT8(0, 255, 1), FLOAT32(0, 0, 4);

    public final int qmin;
    public final int qmax;
    public final int bytesPerElement;

    Repr(int qmin, int qmax, int bytes) {
      this.qmin = qmin;
      this.qmax = qmax;
      this.bytesPerElement = bytes;
    }

    public boolean isInteger() {
      return this != FLOAT32;
    }

    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Repr fromJson(String s) {
      for (Repr r : values()) if (r.jsonName().equals(s)) return r;
      throw new IllegalArgumentException("unknown tensor type '" + s + "' (int8, uint8 or float32)");
    }
  }

  public QTensor {
    if (!(scale > 0) || !Float.isFinite(scale)) throw new IllegalArgumentException("tensor " + name + ": scale must be finite and > 0, got " + scale);
  }

  public float invScale() {
    return FloatOps.inverse(scale);
  }

  public int bytes() {
    return dims.size() * repr.bytesPerElement;
  }
}
