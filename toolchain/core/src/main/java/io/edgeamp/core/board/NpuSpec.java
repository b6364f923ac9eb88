package io.edgeamp.core.board;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The board's integer ("NPU") execution path: which weight bit widths it runs, how precise the
 * per-channel requantization multiplier may be, and which layer shapes it accepts. YAML: {@code npu}.
 *
 * <p>{@code implementation} says what runs it: {@link Implementation#CPU_KERNELS} (the optimized
 * integer kernels of the device runtime on the CPU; every emulated board) or
 * {@link Implementation#HARDWARE} (a neural-network accelerator, such as TI's TINPU on the F28P55x).
 *
 * @param requantMultBits for each supported bit width, the largest number of bits of the signed
 *     requantization multiplier m[c] (DESIGN.md "Integer arithmetic contract"); 1 means power-of-two
 *     scales only. Keys are exactly {@code bits}.
 * @param channelMultiple convolution channel counts must be multiples of this (1: any count)
 */
public record NpuSpec(
    boolean present,
    Implementation implementation,
    List<Integer> bits,
    Map<Integer, Integer> requantMultBits,
    int channelMultiple,
    NpuLimits limits) {

  public enum Implementation {
    CPU_KERNELS("cpu_kernels"),
    HARDWARE("hardware");

    private final String yamlName;

    Implementation(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }

  /** A board without an integer path: every layer runs as float on the CPU. */
  public static final NpuSpec ABSENT = new NpuSpec(false, null, List.of(), Map.of(), 1, NpuLimits.NONE);

  public NpuSpec {
    bits = List.copyOf(bits);
    requantMultBits = java.util.Collections.unmodifiableMap(new TreeMap<>(requantMultBits));
    if (limits == null) limits = NpuLimits.NONE;
  }

  /** Whether the NPU path runs layers with weights of this bit width. */
  public boolean supportsBits(int b) {
    return present && bits.contains(b);
  }

  /** The multiplier width for weights of this bit width; throws if the width is not supported. */
  public int requantMultBits(int b) {
    Integer m = requantMultBits.get(b);
    if (m == null || !present) {
      throw new IllegalArgumentException("the NPU path has no " + b + "-bit weights (npu.bits: " + bits + ")");
    }
    return m;
  }

  /**
   * Whether the NPU path can run a layer, and if not, why.
   *
   * @param kind the layer kind
   * @param bits the weight bit width for kinds with weights; for the others, the activation width
   *     (8 on the NPU path)
   * @param inChannels input channels (for dense, the input features)
   * @param outChannels output channels (for dense, the output features)
   * @param fanIn the number of products summed per output (dense: input features; conv: in x kh x kw);
   *     used for the dense fan-in limit
   * @param poolKernel the pool window side for pooling kinds, else ignored (pass 0)
   * @return null when the NPU can run it, else a sentence naming the limit and the numbers
   */
  public String whyCannotRun(
      LayerKind kind, int bits, int inChannels, int outChannels, int fanIn, int poolKernel) {
    if (kind == null) throw new IllegalArgumentException("layer kind is null");
    if (inChannels < 0 || outChannels < 0 || fanIn < 0 || poolKernel < 0) {
      throw new IllegalArgumentException("negative layer size: in=" + inChannels + " out=" + outChannels
          + " fanIn=" + fanIn + " poolKernel=" + poolKernel);
    }
    if (!present) return "the board has no NPU path (npu.present: false); " + kind + " runs as float on the CPU";
    if (kind.hasWeights()) {
      if (!bits().contains(bits)) {
        return "npu.bits: " + kind + " with " + bits + "-bit weights; the NPU path runs "
            + bits().stream().map(String::valueOf).collect(Collectors.joining(", ")) + "-bit weights only";
      }
    } else if (bits != 8) {
      return "npu: " + kind + " on " + bits + "-bit activations; activations on the NPU path are 8-bit";
    }
    int m = channelMultiple;
    switch (kind) {
      case CONV:
        if (outChannels % m != 0) {
          return "npu.channel_multiple: conv output channels " + outChannels + " is not a multiple of " + m;
        }
        if (inChannels % m != 0 && !(limits.convSingleInputChannel() && inChannels == 1)) {
          return "npu.channel_multiple: conv input channels " + inChannels + " is not a multiple of " + m
              + (limits.convSingleInputChannel() ? " (nor 1, which the first-convolution mode accepts)" : "");
        }
        break;
      case DEPTHWISE_CONV:
        if (inChannels != outChannels) {
          return "depthwise_conv: input channels " + inChannels + " and output channels " + outChannels
              + " differ (a depthwise convolution keeps the channel count)";
        }
        if (inChannels % m != 0) {
          return "npu.channel_multiple: depthwise_conv channels " + inChannels + " is not a multiple of " + m;
        }
        break;
      case DENSE:
        int min = limits.fcMinFanIn(bits);
        if (fanIn < min) {
          return "npu.limits.fc_min_fan_in: dense fan-in " + fanIn + " at " + bits
              + "-bit is below the minimum " + min;
        }
        break;
      case MAX_POOL:
        if (limits.maxPoolKernel().isPresent() && poolKernel > limits.maxPoolKernel().getAsInt()) {
          return "npu.limits.max_pool_kernel: max_pool kernel " + poolKernel + " exceeds the maximum "
              + limits.maxPoolKernel().getAsInt();
        }
        break;
      default:
        break;
    }
    return null;
  }

  /** {@link #whyCannotRun(LayerKind, int, int, int, int, int)} with the kind by YAML name ("conv"). */
  public String whyCannotRun(String kind, int bits, int inChannels, int outChannels, int fanIn, int poolKernel) {
    return whyCannotRun(LayerKind.parse(kind), bits, inChannels, outChannels, fanIn, poolKernel);
  }
}
