package io.edgeamp.core.quant;

/**
 * The float32 boundary operations of the CPU path, as the C runtime computes them
 * ({@code ea_kernels_f32.h}: {@code ea_quantize_f32}, {@code ea_dequantize_*_f32}, {@code ea_clampf}).
 * Java float arithmetic is IEEE binary32 with round-to-nearest-even and never fuses a multiply-add,
 * like the generated C built with {@code -ffp-contract=off}.
 */
public final class FloatOps {
  private FloatOps() {}

  /** Largest float; the "no activation" clamp bounds are -MAX/+MAX (JSON cannot hold infinities). */
  public static final float NO_BOUND = Float.MAX_VALUE;

  /** Round half to even of a float32 (ties go to the even integer: 0.5 -&gt; 0, 1.5 -&gt; 2, -2.5 -&gt; -2). */
  public static float roundHalfEven(float x) {
    return (float) Math.rint(x); // exact: every float is a double, and rint rounds ties to even
  }

  /**
   * {@code ea_quantize_f32} for one value: {@code v = x * invScale} rounded to float, NaN -&gt; 0,
   * saturate to +-65536, round half to even, clamp to [qmin, qmax].
   */
  public static int quantize(float x, float invScale, int qmin, int qmax) {
    float v = x * invScale;
    if (v != v) v = 0f;
    v = v < -65536f ? -65536f : (v > 65536f ? 65536f : v);
    int q = (int) roundHalfEven(v);
    return q < qmin ? qmin : (q > qmax ? qmax : q);
  }

  /** {@code ea_dequantize_*_f32}: (float) q * scale, one rounding. */
  public static float dequantize(int q, float scale) {
    return (float) q * scale;
  }

  /** {@code ea_clampf}: y &lt; lo ? lo : (y &gt; hi ? hi : y); a NaN passes through. */
  public static float clamp(float y, float lo, float hi) {
    return y < lo ? lo : (y > hi ? hi : y);
  }

  /** The float32 reciprocal stored for a scale: {@code (float) (1.0 / scale)}. */
  public static float inverse(float scale) {
    return (float) (1.0 / scale);
  }
}
