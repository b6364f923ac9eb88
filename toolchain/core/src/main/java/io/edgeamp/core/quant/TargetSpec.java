package io.edgeamp.core.quant;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.NpuSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the board's NPU path accepts (the board profile's {@code npu} section): for each weight width
 * it runs (2, 4, 8), the multiplier width {@code requant_mult_bits} that bounds the per-channel
 * requantization of conv/dense layers ({@code |m| < 2^(bits-1)}; 1 = power-of-two scales only, m = 1).
 * {@code powerOfTwoScales} makes every activation scale a power of two; it is implied when any width
 * has 1-bit multipliers (activation scales are shared by layers of every width). Weight scales are
 * powers of two for the widths with 1-bit multipliers (or everywhere when powerOfTwoScales is set).
 */
public record TargetSpec(String board, Map<Integer, Integer> requantMultBits, boolean powerOfTwoScales) {
  /** Pooling and add requantization run in the runtime's software kernels with 31-bit multipliers. */
  public static final int SOFTWARE_MULT_BITS = 31;

  /** A generic Cortex-M target: 31-bit multipliers, any scale, 2/4/8-bit weights. */
  public static final TargetSpec GENERIC = of("generic", 31, false, List.of(2, 4, 8));

  public TargetSpec {
    requantMultBits = Collections.unmodifiableMap(new TreeMap<>(requantMultBits));
    for (var e : requantMultBits.entrySet()) {
      WeightPacking.checkBits(e.getKey());
      Requant.maxMultiplier(e.getValue()); // validates 1..31
      if (e.getValue() == 1) powerOfTwoScales = true;
    }
  }

  /** The same multiplier width for every NPU weight width. */
  public static TargetSpec of(String board, int requantMultBits, boolean powerOfTwoScales, List<Integer> npuBits) {
    Map<Integer, Integer> m = new TreeMap<>();
    for (int b : npuBits) m.put(b, requantMultBits);
    return new TargetSpec(board, m, powerOfTwoScales);
  }

  /** From a board profile; a board without an integer path runs every layer at 32 bits. */
  public static TargetSpec of(BoardProfile profile) {
    NpuSpec npu = profile.npu();
    Map<Integer, Integer> m = new TreeMap<>();
    if (npu.present()) for (int b : npu.bits()) m.put(b, npu.requantMultBits(b));
    return new TargetSpec(profile.id(), m, false);
  }

  /** Weight widths the NPU path runs. */
  public List<Integer> npuBits() {
    return new ArrayList<>(requantMultBits.keySet());
  }

  /** The multiplier width for layers with {@code bits}-bit weights. */
  public int requantMultBits(int bits) {
    Integer m = requantMultBits.get(bits);
    if (m == null) throw new QuantException("board " + board + " runs no " + bits + "-bit weights on the NPU (it runs " + npuBits() + ")");
    return m;
  }

  /** Whether weights of this width need power-of-two scales. */
  public boolean powerOfTwoWeights(int bits) {
    return powerOfTwoScales || requantMultBits(bits) == 1;
  }
}
