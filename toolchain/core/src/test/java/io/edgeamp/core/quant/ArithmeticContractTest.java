package io.edgeamp.core.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of the integer arithmetic contract (DESIGN.md, device-runtime/include/edgeamp/*.h). */
class ArithmeticContractTest {

  @Test
  void roundingShiftRoundsHalfUpIncludingNegatives() {
    assertEquals(3, Requant.roundShift(5, 1));    //  2.5  -> 3
    assertEquals(-2, Requant.roundShift(-5, 1));  // -2.5  -> -2 (toward +inf on ties)
    assertEquals(-3, Requant.roundShift(-7, 1));  // -3.5  -> -3
    assertEquals(-2, Requant.roundShift(-7, 2));  // -1.75 -> -2
    assertEquals(-1, Requant.roundShift(-5, 2));  // -1.25 -> -1
    assertEquals(2, Requant.roundShift(6, 2));    //  1.5  -> 2
    assertEquals(1, Requant.roundShift(5, 2));    //  1.25 -> 1
    assertEquals(0, Requant.roundShift(-2, 2));   // -0.5  -> 0
  }

  @Test
  void shiftZeroAddsNoRoundingAndNegativeShiftsSaturateFirst() {
    assertEquals(7, Requant.roundShift(7, 0));
    assertEquals(-7, Requant.roundShift(-7, 0));
    assertEquals(12, Requant.roundShift(3, -2));
    assertEquals(1L << 32, Requant.roundShift(1L << 40, -1));      // saturated to 2^31 before the shift
    assertEquals(-(1L << 33), Requant.roundShift(-(1L << 50), -2));
  }

  @Test
  void requantizeMultipliesIn64BitsThenClampsToTheOutputType() {
    assertEquals(38, Requant.requantize(100, 3, 3, -128, 127));            // (300 + 4) >> 3
    assertEquals(-37, Requant.requantize(-100, 3, 3, -128, 127));          // (-300 + 4) >> 3 = -296 >> 3 = -37 (-37.5 -> -37)
    assertEquals(-128, Requant.requantize(-1000, 1, 0, -128, 127));        // int8 clamp
    assertEquals(127, Requant.requantize(1000, 1, 0, -128, 127));
    assertEquals(0, Requant.requantize(-5, 1, 0, 0, 255));                 // uint8: ReLU folded into the clamp
    assertEquals(255, Requant.requantize(300, 1, 0, 0, 255));
    assertEquals(200, Requant.requantize(200, 1, 0, 0, 255));              // would wrap as int8
    assertEquals(150, Requant.requantize(400, 1, 0, 0, 150));              // ReLU6 narrows the top
    // acc * m overflows 32 bits but not 64: 2^30 * (2^30 - 1) >> 58 = 3.99... -> 4
    assertEquals(4, Requant.requantize(1 << 30, (1 << 30) - 1, 58, -128, 127));
  }

  @Test
  void multiplierSelectionMaximisesPrecisionWithinTheBoardsBits() {
    // 31 bits: |m| < 2^30
    assertEquals(new Requant.MultShift(805306368, 30), Requant.multiplier(0.75, 31));  // 0.75 * 2^30
    assertEquals(new Requant.MultShift(1 << 29, 29), Requant.multiplier(1.0, 31));
    // 8 bits: m <= 127
    assertEquals(new Requant.MultShift(96, 7), Requant.multiplier(0.75, 8));            // 0.75 * 128 = 96; 192 > 127
    assertEquals(new Requant.MultShift(77, 8), Requant.multiplier(0.3, 8));             // 76.8 -> 77; 153.6 > 127
    assertEquals(new Requant.MultShift(64, 6), Requant.multiplier(127.6 / 128, 8));     // 127.6 rounds to 128 > 127
    assertEquals(new Requant.MultShift(100, -1), Requant.multiplier(200, 8));           // needs a left shift
    // 1 bit: powers of two only, m = 1
    assertEquals(new Requant.MultShift(1, 2), Requant.multiplier(0.25, 1));
    assertEquals(new Requant.MultShift(1, 2), Requant.multiplier(0.3, 1));              // log2 -> 1.74 -> 2
    assertEquals(new Requant.MultShift(1, 0), Requant.multiplier(1.0, 1));
    // residual add: a shared shift
    assertEquals(new Requant.AddMultShift(64, 32, 7), Requant.addMultipliers(0.5, 0.25, 8));
    assertThrows(IllegalArgumentException.class, () -> Requant.multiplier(0, 8));
  }

  @Test
  void quantizeRoundsHalfToEvenInFloat32() {
    assertEquals(0, FloatOps.quantize(0.5f, 1f, -128, 127));
    assertEquals(2, FloatOps.quantize(1.5f, 1f, -128, 127));
    assertEquals(2, FloatOps.quantize(2.5f, 1f, -128, 127));
    assertEquals(4, FloatOps.quantize(3.5f, 1f, -128, 127));
    assertEquals(-2, FloatOps.quantize(-2.5f, 1f, -128, 127));
    assertEquals(-4, FloatOps.quantize(-3.5f, 1f, -128, 127));
    assertEquals(0, FloatOps.quantize(-0.5f, 1f, -128, 127));
    // x * inv is rounded to float first: 0.35433072f * 12.7f = 4.50000005... exactly, 4.5f in float -> 4 (even)
    assertEquals(4, FloatOps.quantize(0.35433071851730347f, 12.7f, -128, 127));
    assertEquals(127, FloatOps.quantize(300f, 1f, -128, 127));
    assertEquals(-128, FloatOps.quantize(-1e30f, 1f, -128, 127));
    assertEquals(0, FloatOps.quantize(-3f, 1f, 0, 255));     // uint8
    assertEquals(200, FloatOps.quantize(200f, 1f, 0, 255));
    assertEquals(0, FloatOps.quantize(Float.NaN, 1f, -128, 127));
    assertEquals(5, FloatOps.quantize(Float.NaN, 1f, 5, 9));  // NaN -> 0, then clamped
  }

  @Test
  void floatClampPassesNaNAndDequantizeIsOneRounding() {
    assertEquals(0f, FloatOps.clamp(-1f, 0f, 6f));
    assertEquals(6f, FloatOps.clamp(7f, 0f, 6f));
    assertEquals(Float.NaN, FloatOps.clamp(Float.NaN, 0f, 6f));
    assertEquals((float) (-128 * (double) 0.1f), FloatOps.dequantize(-128, 0.1f));
  }

  @Test
  void packingPutsElementKAtBitOffsetKbLowBitsFirstWithByteAlignedRows() {
    // 4 bits, rows of 3 (each row ends mid-byte): [1, -1, 7], [-8, 2, -3]
    byte[] p4 = WeightPacking.pack(new int[] {1, -1, 7, -8, 2, -3}, 2, 3, 4);
    assertArrayEquals(new byte[] {(byte) 0xF1, 0x07, 0x28, 0x0D}, p4);
    // 2 bits, rows of 5: [1, -1, 0, 1, -1] -> 01 11 00 01 | 11; [0, 0, 0, 0, -2] -> 0 | 10
    byte[] p2 = WeightPacking.pack(new int[] {1, -1, 0, 1, -1, 0, 0, 0, 0, -2}, 2, 5, 2);
    assertArrayEquals(new byte[] {0x4D, 0x03, 0x00, 0x02}, p2);
    // 8 bits: two's complement bytes
    byte[] p8 = WeightPacking.pack(new int[] {-1, 127, -128}, 1, 3, 8);
    assertArrayEquals(new byte[] {(byte) 0xFF, 0x7F, (byte) 0x80}, p8);
    assertEquals(2, WeightPacking.rowBytes(3, 4));
    assertEquals(2, WeightPacking.rowBytes(5, 2));
    assertEquals(1, WeightPacking.rowBytes(4, 2));
    // and back
    assertArrayEquals(new int[] {1, -1, 7, -8, 2, -3}, WeightPacking.unpack(p4, 0, 2, 3, 4));
    assertArrayEquals(new int[] {1, -1, 0, 1, -1, 0, 0, 0, 0, -2}, WeightPacking.unpack(p2, 0, 2, 5, 2));
    assertArrayEquals(new int[] {-1, 127, -128}, WeightPacking.unpack(p8, 0, 1, 3, 8));
    assertThrows(IllegalArgumentException.class, () -> WeightPacking.pack(new int[] {8}, 1, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> WeightPacking.pack(new int[] {1}, 1, 1, 3));
  }
}
