package io.edgeamp.core.board;

import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Layer shapes the board's NPU path accepts, beyond the bit widths and the channel multiple of
 * {@link NpuSpec}. YAML: {@code npu.limits}. An absent limit means "no limit" (the generic CPU-kernel
 * NPU path of the device runtime has none).
 *
 * @param fcMinFanIn for each weight bit width, the smallest fan-in (input features) of a dense layer;
 *     a bit width that is not a key has no minimum
 * @param maxPoolKernel the largest max-pool kernel side (a k x k window, k at most this)
 * @param maxRequantShift the largest requantization right shift n[c]
 * @param biasBits for each weight bit width, the width of the signed bias the NPU takes; a bit width
 *     that is not a key takes the int32 bias of the integer arithmetic contract
 * @param convSingleInputChannel whether a convolution with exactly one input channel (a "first
 *     convolution") is accepted even when 1 is not a multiple of {@code channel_multiple}
 */
public record NpuLimits(
    Map<Integer, Integer> fcMinFanIn,
    OptionalInt maxPoolKernel,
    OptionalInt maxRequantShift,
    Map<Integer, Integer> biasBits,
    boolean convSingleInputChannel) {

  /** No limits at all. */
  public static final NpuLimits NONE =
      new NpuLimits(Map.of(), OptionalInt.empty(), OptionalInt.empty(), Map.of(), false);

  public NpuLimits {
    fcMinFanIn = java.util.Collections.unmodifiableMap(new TreeMap<>(fcMinFanIn));
    biasBits = java.util.Collections.unmodifiableMap(new TreeMap<>(biasBits));
  }

  /** The minimum dense fan-in at this weight bit width, or 0 when there is none. */
  public int fcMinFanIn(int bits) {
    return fcMinFanIn.getOrDefault(bits, 0);
  }

  /** The signed bias width at this weight bit width: the limit if any, else 32. */
  public int biasBits(int bits) {
    return biasBits.getOrDefault(bits, 32);
  }
}
