package io.edgeamp.core.quant;

/**
 * Packing of signed b-bit weights (b in {2, 4, 8}) into rows of bytes (DESIGN.md "Packing",
 * {@code ea_types.h}): element k of a row at bit offset k*b, low bits first, little-endian within a
 * byte; every row (one output channel) starts on a byte boundary, so a row of K elements takes
 * ceil(K*b/8) bytes and may end mid-byte (unused high bits are zero). Values are two's complement
 * fields of b bits.
 */
public final class WeightPacking {
  private WeightPacking() {}

  public static int rowBytes(int k, int bits) {
    checkBits(bits);
    return (int) (((long) k * bits + 7) / 8);
  }

  static void checkBits(int bits) {
    if (bits != 2 && bits != 4 && bits != 8) throw new IllegalArgumentException("packed weights have 2, 4 or 8 bits, got " + bits);
  }

  /** Packs {@code rows x k} values (row-major) of range [-(2^(b-1)), 2^(b-1)-1]. */
  public static byte[] pack(int[] q, int rows, int k, int bits) {
    int rb = rowBytes(k, bits);
    if (q.length != rows * k) throw new IllegalArgumentException(rows + " x " + k + " weights expected, got " + q.length);
    int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1, mask = (1 << bits) - 1;
    byte[] out = new byte[rows * rb];
    for (int r = 0; r < rows; r++) {
      for (int e = 0; e < k; e++) {
        int v = q[r * k + e];
        if (v < lo || v > hi) throw new IllegalArgumentException("weight " + v + " (row " + r + ", element " + e + ") does not fit " + bits + " bits");
        int bit = e * bits;
        out[r * rb + bit / 8] |= (byte) ((v & mask) << (bit % 8));
      }
    }
    return out;
  }

  /** Inverse of {@link #pack}: reads {@code rows x k} signed values from {@code packed} at {@code offset}. */
  public static int[] unpack(byte[] packed, int offset, int rows, int k, int bits) {
    int rb = rowBytes(k, bits);
    int half = 1 << (bits - 1), mask = (1 << bits) - 1;
    int[] q = new int[rows * k];
    for (int r = 0; r < rows; r++) {
      for (int e = 0; e < k; e++) {
        int bit = e * bits;
        int field = ((packed[offset + r * rb + bit / 8] & 0xFF) >>> (bit % 8)) & mask;
        q[r * k + e] = field >= half ? field - 2 * half : field;
      }
    }
    return q;
  }
}
