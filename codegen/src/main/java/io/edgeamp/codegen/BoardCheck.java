package io.edgeamp.codegen;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.NpuSpec;
import io.edgeamp.core.quant.Dims;
import io.edgeamp.core.quant.LayerKind;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.Requant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the board's NPU path can run each NPU layer of a model: the profile's limits
 * ({@link NpuSpec#whyCannotRun}: bit widths, channel multiple, dense fan-in, max-pool kernel) plus what
 * the artifact's integers must satisfy on this board: multipliers within {@code npu.requant_mult_bits}
 * (an artifact quantized for another board fails here), shifts within {@code npu.limits.max_requant_shift},
 * biases within {@code npu.limits.bias_bits}.
 *
 * <p>{@link #withCpuFallback} moves the failing layers to the CPU: the layer runs the float32 kernel on
 * dequantized weights ({@code w_f = (float) (q * s_w[c])}, {@code b_f = (float) (bias * s_in * s_w[c])};
 * the artifact does not hold the original float weights), its input and output tensors stay 8-bit at
 * their scales, and its output is quantized with round-half-to-even into the same clamp range.
 */
public final class BoardCheck {
  private BoardCheck() {}

  /** One layer the NPU cannot run. */
  public record Problem(int index, String layer, String reason) {
    @Override
    public String toString() {
      return "layer " + layer + ": " + reason;
    }
  }

  public static List<Problem> problems(QuantizedModel m, BoardProfile board) {
    List<Problem> out = new ArrayList<>();
    NpuSpec npu = board.npu();
    String where = " (board " + board.id() + ")";
    for (int i = 0; i < m.layers().size(); i++) {
      QLayer l = m.layers().get(i);
      if (l.onCpu()) continue;
      String why = check(l, npu);
      if (why != null) out.add(new Problem(i, l.name(), why + where));
    }
    return out;
  }

  static io.edgeamp.core.board.LayerKind boardKind(LayerKind k) {
    return switch (k) {
      case CONV -> io.edgeamp.core.board.LayerKind.CONV;
      case DEPTHWISE_CONV -> io.edgeamp.core.board.LayerKind.DEPTHWISE_CONV;
      case DENSE -> io.edgeamp.core.board.LayerKind.DENSE;
      case MAX_POOL -> io.edgeamp.core.board.LayerKind.MAX_POOL;
      case AVG_POOL, GLOBAL_AVG_POOL -> io.edgeamp.core.board.LayerKind.AVG_POOL;
      case ADD -> io.edgeamp.core.board.LayerKind.ADD;
      default -> null; // resize, clamp: copies and clamps, no NPU limits apply
    };
  }

  private static String check(QLayer l, NpuSpec npu) {
    if (!npu.present()) return "the board has no NPU path (npu.present: false); " + l.kind().jsonName() + " at " + l.bits() + " bits cannot run";
    io.edgeamp.core.board.LayerKind bk = boardKind(l.kind());
    Dims in = l.inputDims().get(0), out = l.outputDims();
    if (bk != null) {
      int fanIn = l.kind().hasWeights() ? l.rowLength() : 0;
      int pool = l.kind() == LayerKind.MAX_POOL || l.kind() == LayerKind.AVG_POOL ? l.geometry().kH() : 0;
      String why = npu.whyCannotRun(bk, l.bits(), in.c(), out.c(), fanIn, pool);
      if (why != null) return why;
    }
    if (l.kind().hasWeights()) {
      int mb = npu.requantMultBits(l.bits());
      int max = Requant.maxMultiplier(mb);
      for (int c = 0; c < l.mult().length; c++) {
        if (Math.abs(l.mult()[c]) > max) {
          return "npu.requant_mult_bits: channel " + c + " multiplier " + l.mult()[c] + " exceeds " + max + " (" + mb + "-bit multipliers at "
              + l.bits() + "-bit weights); the artifact was quantized for a board with wider multipliers, requantize it for this board";
        }
      }
      int bb = npu.limits().biasBits(l.bits());
      if (bb < 32) {
        long lim = 1L << (bb - 1);
        for (int c = 0; c < l.bias().length; c++) {
          if (l.bias()[c] >= lim || l.bias()[c] < -lim) {
            return "npu.limits.bias_bits: channel " + c + " bias " + l.bias()[c] + " does not fit " + bb + " bits at " + l.bits() + "-bit weights (range "
                + (-lim) + ".." + (lim - 1) + ")";
          }
        }
      }
    }
    // Pools and adds requantize in the runtime's software kernels (31-bit multipliers), not on the NPU.
    if (l.kind().hasWeights() && npu.limits().maxRequantShift().isPresent()) {
      int lim = npu.limits().maxRequantShift().getAsInt();
      for (int c = 0; c < l.shift().length; c++) {
        if (l.shift()[c] > lim || l.shift()[c] < 0) {
          return "npu.limits.max_requant_shift: " + (l.shift().length > 1 ? "channel " + c + " " : "") + "shift " + l.shift()[c] + " is outside 0.." + lim;
        }
      }
    }
    return null;
  }

  /** The model with the given layers moved to the CPU (float32 kernels on dequantized weights). */
  public static QuantizedModel withCpuFallback(QuantizedModel m, List<Problem> problems) {
    Map<String, String> moved = new LinkedHashMap<>();
    for (Problem p : problems) moved.put(p.layer(), p.reason());
    List<QLayer> layers = new ArrayList<>();
    for (QLayer l : m.layers()) layers.add(moved.containsKey(l.name()) ? toCpu(m, l) : l);
    Map<String, String> prov = new LinkedHashMap<>(m.provenance());
    moved.forEach((k, v) -> prov.put("codegen.cpu_fallback." + k, v));
    return new QuantizedModel(m.name(), layers, m.tensors(), m.inputTensor(), m.outputTensor(), m.inputShape(), m.outputShape(),
        m.inputTransform(), m.target(), prov);
  }

  static QLayer toCpu(QuantizedModel m, QLayer l) {
    float[] wf = null, bf = null;
    if (l.kind().hasWeights()) {
      int rows = l.rows(), k = l.rowLength();
      double sIn = m.tensor(l.inputs().get(0)).scale();
      wf = new float[rows * k];
      bf = new float[rows];
      for (int r = 0; r < rows; r++) {
        double sw = l.weightScales()[r];
        for (int e = 0; e < k; e++) wf[r * k + e] = (float) (l.weights()[r * k + e] * sw);
        bf[r] = (float) (l.bias()[r] * sIn * sw);
      }
    }
    QTensor out = m.tensor(l.output());
    if (!out.repr().isInteger()) throw new IllegalStateException("NPU layer " + l.name() + " writes a float tensor");
    // The output stays 8-bit: the integer clamp [act_min, act_max] of the quantize step is the activation.
    return new QLayer(l.name(), l.kind(), l.inputs(), l.output(), l.inputDims(), l.outputDims(), l.geometry(), l.nodes(), 32,
        QLayer.Target.CPU, l.rowLength(), null, null, l.weightScales(), new int[0], new int[0], l.actMin(), l.actMax(), wf, bf,
        -io.edgeamp.core.quant.FloatOps.NO_BOUND, io.edgeamp.core.quant.FloatOps.NO_BOUND);
  }
}
