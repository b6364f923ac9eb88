package io.edgeamp.core.amp;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.CostTable;
import io.edgeamp.core.board.LayerKind;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.alloc.AllocationConstraints;
import io.edgeamp.core.quant.alloc.CostKind;
import io.edgeamp.core.quant.alloc.LayerCandidate;

/**
 * Per-layer costs from a board profile for the allocators: flash bytes of the weights at each width
 * (the profile's bytes per weight, rows padded to whole bytes) and estimated time from the profile's
 * cost table (per MAC and per input element of the layer kind), or, where a measured latency table
 * (HIL server, per-layer rows) has a row for the layer's kind, shape and width on this board, the
 * measured median instead.
 */
final class BoardCosts {
  private BoardCosts() {}

  /** Bytes of flash the generated firmware's code takes besides the constant tables (measured by codegen). */
  static final long CODE_RESERVE_BYTES = 24 * 1024;

  /** Adds the layer's costs; returns the widths whose latency came from {@code measured} (may be null). */
  static java.util.List<Integer> add(LayerCandidate.Builder b, QuantPlan.PlannedLayer layer, BoardProfile board, MeasuredLatency measured) {
    java.util.List<Integer> fromTable = new java.util.ArrayList<>();
    String shape = MeasuredLatency.shapeKey(layer.inputDims().get(0), layer.outputDims(), layer.rowLength());
    CostTable cost = board.cost();
    LayerKind kind = NpuPlacement.boardKind(layer.kind()); // a weight layer: conv, depthwise_conv or dense
    long rows = layer.outChannels();
    long fanIn = layer.rowLength();
    long macs = (long) layer.outputDims().size() * fanIn;
    long inputs = layer.inputDims().get(0).size();
    for (int bits : new int[] {2, 4, 8, 32}) {
      long rowBytes = bits == 32 ? fanIn * 4 : (fanIn * bits + 7) / 8;
      b.cost(CostKind.FLASH_BYTES, bits, rows * rowBytes + rows * 4);
      java.util.OptionalLong m = measured == null ? java.util.OptionalLong.empty() : measured.lookup(board, layer.kind().jsonName(), shape, bits);
      if (m.isPresent()) {
        b.cost(CostKind.LATENCY_CYCLES, bits, m.getAsLong());
        fromTable.add(bits);
        continue;
      }
      try {
        b.cost(CostKind.LATENCY_CYCLES, bits, Math.round(cost.estimate(kind, bits, macs, inputs)));
      } catch (IllegalArgumentException noEntry) {
        // the table has no entry for this width (the NPU cannot run it): the width is disallowed anyway
      }
    }
    return fromTable;
  }

  /** The budget, plus the board's flash (minus the code reserve) and an optional latency limit. */
  static AllocationConstraints constraints(double budget, BoardProfile board, long maxLatency) {
    AllocationConstraints c = AllocationConstraints.budget(budget);
    if (board != null) c = c.withFlashLimit(Math.max(0, board.flashBytes() - CODE_RESERVE_BYTES));
    if (maxLatency > 0) c = c.withLatencyLimit(maxLatency);
    return c;
  }
}
