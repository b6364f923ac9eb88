package io.edgeamp.core.amp;

import io.edgeamp.core.board.LayerKind;
import io.edgeamp.core.board.NpuSpec;
import io.edgeamp.core.quant.QuantPlan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which layers of a plan the board's NPU can run at which weight width, from the profile's limits
 * ({@link NpuSpec#whyCannotRun}): a weight layer keeps the widths it can run (none: it must run as
 * float on the CPU); a layer without weights that the NPU cannot run is placed on the CPU.
 */
public record NpuPlacement(Map<String, Map<Integer, String>> refusedWidths, Map<String, String> cpuOnly) {

  public static NpuPlacement of(QuantPlan plan, NpuSpec npu) {
    Map<String, Map<Integer, String>> refused = new LinkedHashMap<>();
    Map<String, String> cpu = new LinkedHashMap<>();
    for (QuantPlan.PlannedLayer l : plan.layers()) {
      LayerKind kind = boardKind(l.kind());
      if (kind == null) continue; // resize, clamp: simple copies the runtime runs anywhere
      int in = l.inputDims().get(0).c();
      int fanIn = l.rowLength();
      int pool = l.geometry().kH();
      if (kind.hasWeights()) {
        Map<Integer, String> r = new LinkedHashMap<>();
        for (int bits : new int[] {2, 4, 8}) {
          String why = npu.whyCannotRun(kind, bits, in, l.outChannels(), fanIn, 0);
          if (why != null) r.put(bits, why);
        }
        if (!r.isEmpty()) refused.put(l.name(), r);
      } else {
        String why = npu.whyCannotRun(kind, 8, in, l.outChannels(), fanIn, kind == LayerKind.MAX_POOL || kind == LayerKind.AVG_POOL ? pool : 0);
        if (why != null) cpu.put(l.name(), why);
      }
    }
    return new NpuPlacement(refused, cpu);
  }

  /** True if the layer cannot run on the NPU at any width. */
  public boolean forcedToCpu(String layer) {
    Map<Integer, String> r = refusedWidths.get(layer);
    return cpuOnly.containsKey(layer) || (r != null && r.size() == 3);
  }

  /** One reason why a layer cannot run on the NPU (its 8-bit reason, else any). */
  public String reason(String layer) {
    if (cpuOnly.containsKey(layer)) return cpuOnly.get(layer);
    Map<Integer, String> r = refusedWidths.get(layer);
    return r == null ? null : r.getOrDefault(8, r.values().iterator().next());
  }

  /** The board profile's name for a device layer kind; null for kinds the profile has no limits for (resize, clamp). */
  static LayerKind boardKind(io.edgeamp.core.quant.LayerKind k) {
    return switch (k) {
      case CONV -> LayerKind.CONV;
      case DEPTHWISE_CONV -> LayerKind.DEPTHWISE_CONV;
      case DENSE -> LayerKind.DENSE;
      case MAX_POOL -> LayerKind.MAX_POOL;
      case AVG_POOL, GLOBAL_AVG_POOL -> LayerKind.AVG_POOL;
      case ADD -> LayerKind.ADD;
      default -> null;
    };
  }
}
