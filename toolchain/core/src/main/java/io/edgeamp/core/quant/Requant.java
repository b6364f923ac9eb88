package io.edgeamp.core.quant;

/**
 * The integer requantization of the NPU path, exactly as the C runtime computes it
 * ({@code device-runtime/include/edgeamp/ea_requant.h}, DESIGN.md "Integer arithmetic contract"):
 *
 * <pre>
 *   p = acc * m                       64-bit, exact (|acc|, |m| &lt; 2^31)
 *   n &gt; 0:  y = (p + 2^(n-1)) &gt;&gt; n     arithmetic shift: round half up (2.5 -&gt; 3, -2.5 -&gt; -2)
 *   n = 0:  y = p                     (r = 0)
 *   n &lt; 0:  y = sat(p, +-2^31) * 2^-n  (only when a multiplier cannot be represented with n &gt;= 0)
 *   out = min(max(y, act_min), act_max)
 * </pre>
 *
 * <p>Multiplier selection: a real factor {@code M > 0} becomes {@code m / 2^n} with
 * {@code 1 <= m < 2^(multBits-1)} and the largest {@code n <= 62} for which m still fits (most
 * precise); {@code multBits = 1} means power-of-two requantization only: {@code m = 1},
 * {@code n = round(-log2 M)}.
 */
public final class Requant {
  private Requant() {}

  /** Largest shift the runtime accepts ({@code p + 2^(n-1)} cannot overflow int64 for |p| &lt; 2^62). */
  public static final int MAX_SHIFT = 62;
  /** Smallest (left) shift the runtime accepts. */
  public static final int MIN_SHIFT = -31;

  /** A multiplier and shift: {@code M ~ m / 2^n}. */
  public record MultShift(int m, int n) {
    public double value() {
      return m * Math.pow(2, -n);
    }
  }

  /** A shared-shift pair for a residual add: {@code M_a ~ ma / 2^n}, {@code M_b ~ mb / 2^n}. */
  public record AddMultShift(int ma, int mb, int n) {}

  /** {@code ea_round_shift64}: rounding shift of a 64-bit value (|p| &lt; 2^62), before the clamp. */
  public static long roundShift(long p, int n) {
    if (n > 0) return (p + (1L << (n - 1))) >> n;
    if (n == 0) return p;
    if (p > (1L << 31)) p = 1L << 31;
    else if (p < -(1L << 31)) p = -(1L << 31);
    return p * (1L << -n);
  }

  public static int clamp(long y, int lo, int hi) {
    return y < lo ? lo : (y > hi ? hi : (int) y);
  }

  /** {@code ea_requantize}: clamp(round_shift(acc * m, n)). */
  public static int requantize(int acc, int m, int n, int lo, int hi) {
    return clamp(roundShift((long) acc * m, n), lo, hi);
  }

  /** Largest multiplier magnitude for {@code multBits} (at least 1: a 1-bit multiplier is m = 1). */
  public static int maxMultiplier(int multBits) {
    if (multBits < 1 || multBits > 31) throw new IllegalArgumentException("requant_mult_bits must be in 1..31, got " + multBits);
    return multBits == 1 ? 1 : (1 << (multBits - 1)) - 1;
  }

  /**
   * Chooses {@code (m, n)} for a real factor {@code M > 0}: the largest shift {@code n <= 62} with
   * {@code round(M * 2^n) <= maxMultiplier(multBits)}; for {@code multBits = 1}, {@code m = 1} and
   * {@code n = round(-log2 M)} (exact when the scales are powers of two). {@code n} goes negative only
   * when M is too large for any {@code n >= 0}.
   */
  public static MultShift multiplier(double M, int multBits) {
    if (!(M > 0) || !Double.isFinite(M)) throw new IllegalArgumentException("requantization factor must be finite and > 0, got " + M);
    int max = maxMultiplier(multBits);
    if (multBits == 1) {
      int n = (int) Math.round(-Math.log(M) / Math.log(2));
      return new MultShift(1, Math.max(MIN_SHIFT, Math.min(MAX_SHIFT, n)));
    }
    // Start from the n that puts M * 2^n just below max, then correct for rounding.
    int n = (int) Math.floor(Math.log(max / M) / Math.log(2));
    n = Math.max(MIN_SHIFT, Math.min(MAX_SHIFT, n));
    while (n > MIN_SHIFT && Math.rint(Math.scalb(M, n)) > max) n--;
    while (n < MAX_SHIFT && Math.rint(Math.scalb(M, n + 1)) <= max) n++;
    long m = (long) Math.rint(Math.scalb(M, n));
    if (m > max) m = max; // only at n = MIN_SHIFT: saturate
    return new MultShift((int) m, n);
  }

  /**
   * A common shift for two factors (residual add, {@code ea_add}): the largest {@code n <= 62} with both
   * {@code round(Ma * 2^n)} and {@code round(Mb * 2^n)} within the multiplier range.
   */
  public static AddMultShift addMultipliers(double Ma, double Mb, int multBits) {
    if (multBits < 2) throw new IllegalArgumentException("a residual add needs multipliers of at least 2 bits, got " + multBits);
    MultShift big = multiplier(Math.max(Ma, Mb), multBits);
    int max = maxMultiplier(multBits);
    int n = big.n();
    long ma = (long) Math.rint(Math.scalb(Ma, n)), mb = (long) Math.rint(Math.scalb(Mb, n));
    while ((ma > max || mb > max) && n > MIN_SHIFT) {
      n--;
      ma = (long) Math.rint(Math.scalb(Ma, n));
      mb = (long) Math.rint(Math.scalb(Mb, n));
    }
    return new AddMultShift((int) Math.min(ma, max), (int) Math.min(mb, max), n);
  }
}
