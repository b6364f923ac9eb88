package io.edgeamp.core.quant;

import java.util.List;

/**
 * What the board's NPU path accepts (from the board profile's {@code npu} section):
 * {@code requantMultBits} bounds the per-channel requantization multipliers of conv/dense layers
 * ({@code |m| < 2^(bits-1)}; 1 = power-of-two scales only, m = 1), {@code powerOfTwoScales} forces
 * every activation and weight scale to a power of two (implied by {@code requantMultBits == 1}),
 * {@code npuBits} lists the weight widths the NPU runs.
 */
public record TargetSpec(String board, int requantMultBits, boolean powerOfTwoScales, List<Integer> npuBits) {
  /** Pooling and add requantization run in the runtime's software kernels with 31-bit multipliers. */
  public static final int SOFTWARE_MULT_BITS = 31;

  /** A generic Cortex-M target: 31-bit multipliers, any scale, 2/4/8-bit weights. */
  public static final TargetSpec GENERIC = new TargetSpec("generic", 31, false, List.of(2, 4, 8));

  public TargetSpec {
    npuBits = List.copyOf(npuBits);
    Requant.maxMultiplier(requantMultBits); // validates the range
    if (requantMultBits == 1) powerOfTwoScales = true;
    for (int b : npuBits) WeightPacking.checkBits(b);
  }

  public static TargetSpec of(String board, int requantMultBits, boolean powerOfTwoScales, List<Integer> npuBits) {
    return new TargetSpec(board, requantMultBits, powerOfTwoScales, npuBits);
  }
}
