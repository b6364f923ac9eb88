package io.edgeamp.core.quant;

import io.edgeamp.core.quant.QLayer.Target;
import io.edgeamp.core.quant.QTensor.Repr;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The integer model: layers with quantized weights and requantization parameters, tensors with
 * scales and types, and an evaluator that computes exactly what the device computes (the "Java
 * twin"). {@link #run} takes dataset-normalized float inputs and returns dequantized outputs;
 * {@link #runInt} runs one quantized input and exposes every intermediate tensor.
 *
 * <p>Arithmetic decisions (DESIGN.md "Integer arithmetic contract", device-runtime headers):
 * <ul>
 *   <li>activation scale: range / 127 (int8) or range / 255 (uint8), rounded to float32; power of two
 *       ({@code 2^ceil(log2 s)}) when the board requires it; a zero range counts as 1.
 *   <li>weights: s_w[c] = max|W_c| / (2^(b-1)-1), q = clamp(rint(W / s_w), +-(2^(b-1)-1)); an all-zero
 *       channel gets s_w = s_out / s_in (M = 1: the output is the bias at the output scale).
 *   <li>bias: rint(b / (s_in * s_w[c])) saturated to +-(2^30 - 1) (the kernels need |bias| &lt; 2^30).
 *   <li>requant (m, n): {@link Requant#multiplier} of M = s_in * s_w[c] / s_out with the board's
 *       {@code requant_mult_bits}; avg pool M = s_in / (s_out * k_h), global avg M = s_in / (s_out * h*w),
 *       add M_a = s_a / s_out, M_b = s_b / s_out with a shared n ({@link Requant#addMultipliers}), these
 *       three with 31-bit multipliers (software kernels).
 *   <li>clamp [act_min, act_max] = the output type's range narrowed by the fused activation
 *       [lo, hi]: act_min = quantize(lo), act_max = quantize(hi) ({@link FloatOps#quantize}, float32).
 *   <li>CPU (32-bit) layers: inputs dequantized as (float) q * s, float32 kernels in the C summation
 *       order, outputs quantized with round-half-to-even ({@link FloatOps#quantize}). A tensor between
 *       two CPU layers (every reader on the CPU, not the model output) stays float32.
 *   <li>model input: int8, quantized on the host after the {@link InputTransform}; model output: 8-bit
 *       (the model API passes bytes).
 * </ul>
 */
public final class QuantizedModel {
  /** Largest bias magnitude + 1 the integer kernels accept ({@code |bias| < 2^30}). */
  public static final int BIAS_LIMIT = 1 << 30;

  private final String name;
  private final List<QLayer> layers;
  private final Map<String, QTensor> tensors;
  private final String inputTensor;
  private final String outputTensor;
  private final int[] inputShape;
  private final int[] outputShape;
  private final InputTransform inputTransform;
  private final TargetSpec target;
  private final Map<String, String> provenance;
  private volatile IntegerEvaluator evaluator;

  public QuantizedModel(String name, List<QLayer> layers, Map<String, QTensor> tensors, String inputTensor, String outputTensor,
      int[] inputShape, int[] outputShape, InputTransform inputTransform, TargetSpec target, Map<String, String> provenance) {
    this.name = name;
    this.layers = List.copyOf(layers);
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.inputTensor = inputTensor;
    this.outputTensor = outputTensor;
    this.inputShape = inputShape.clone();
    this.outputShape = outputShape.clone();
    this.inputTransform = inputTransform;
    this.target = target;
    this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    validate();
  }

  private void validate() {
    QTensor in = tensor(inputTensor), out = tensor(outputTensor);
    if (!in.repr().isInteger() || !out.repr().isInteger()) throw new QuantException("model " + name + ": input and output tensors must be 8-bit");
    if (in.repr() != Repr.INT8) throw new QuantException("model " + name + ": the input tensor must be int8");
    for (QLayer l : layers) {
      String where = "model " + name + ", layer " + l.name() + ": ";
      int arity = l.kind() == LayerKind.ADD ? 2 : 1;
      if (l.inputs().size() != arity || l.inputDims().size() != arity) throw new QuantException(where + l.kind().jsonName() + " takes " + arity + " input(s)");
      for (int i = 0; i < arity; i++) {
        if (tensor(l.inputs().get(i)).dims().size() != l.inputDims().get(i).size()) throw new QuantException(where + "input " + l.inputs().get(i) + " has other dims");
      }
      if (tensor(l.output()).dims().size() != l.outputDims().size()) throw new QuantException(where + "output " + l.output() + " has other dims");
      int rows = l.outputDims().c(), k = l.rowLength();
      boolean npu = l.target() == Target.NPU;
      if (l.kind().hasWeights()) {
        boolean ok = npu ? l.weights() != null && l.weights().length == rows * k && l.bias() != null && l.bias().length == rows
            && l.mult().length == rows && l.shift().length == rows
            : l.weightsF() != null && l.weightsF().length == rows * k && l.biasF() != null && l.biasF().length == rows;
        if (!ok) throw new QuantException(where + "weights, bias or requantization arrays do not match " + rows + " rows of " + k);
        if (npu && l.bits() != 2 && l.bits() != 4 && l.bits() != 8) throw new QuantException(where + l.bits() + "-bit weights on the NPU");
      } else if (npu) {
        int nm = switch (l.kind()) {
          case AVG_POOL, GLOBAL_AVG_POOL -> 1;
          case ADD -> 2;
          default -> 0;
        };
        if (l.mult().length != nm || l.shift().length != (nm == 0 ? 0 : 1)) throw new QuantException(where + "expects " + nm + " multiplier(s)");
      }
      if (npu) {
        for (int n : l.shift()) if (n < Requant.MIN_SHIFT || n > Requant.MAX_SHIFT) throw new QuantException(where + "shift " + n + " outside [-31, 62]");
      }
      if (l.actMin() > l.actMax()) throw new QuantException(where + "empty clamp range [" + l.actMin() + ", " + l.actMax() + "]");
      if (l.target() == Target.NPU) {
        for (String t : l.inputs()) {
          if (!tensor(t).repr().isInteger()) throw new QuantException("layer " + l.name() + " runs on the NPU but reads the float tensor " + t);
        }
        if (!tensor(l.output()).repr().isInteger()) throw new QuantException("layer " + l.name() + " runs on the NPU but writes a float tensor");
      }
    }
  }

  // ---- building ----------------------------------------------------------------------------------

  /**
   * Builds the integer model of {@code plan} with calibration {@code cal} and one bit width per
   * layer: weight layers (conv, depthwise, dense) must all be given, 2/4/8 (NPU, if the board runs
   * it) or 32 (CPU float). Layers without weights may be given 8 (NPU) or 32 (CPU); by default they
   * run where the layer producing their first input runs (the input counts as NPU).
   */
  public static QuantizedModel build(QuantPlan plan, Calibration cal, Map<String, Integer> bits, TargetSpec target) {
    return build(plan, cal, bits, target, Map.of());
  }

  public static QuantizedModel build(QuantPlan plan, Calibration cal, Map<String, Integer> bits, TargetSpec target,
      Map<String, String> provenance) {
    return new Builder(plan, cal, bits, target, provenance).build();
  }

  /** Every weight layer at {@code b} bits (convenience for tests and baselines). */
  public static Map<String, Integer> uniformBits(QuantPlan plan, int b) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String n : plan.weightLayerNames()) m.put(n, b);
    return m;
  }

  private static final class Builder {
    final QuantPlan plan;
    final Calibration cal;
    final Map<String, Integer> bits;
    final TargetSpec target;
    final Map<String, String> provenance;
    final Map<String, Float> scales = new HashMap<>();
    final Map<String, Target> producerTarget = new HashMap<>();

    Builder(QuantPlan plan, Calibration cal, Map<String, Integer> bits, TargetSpec target, Map<String, String> provenance) {
      this.plan = plan;
      this.cal = cal;
      this.bits = bits;
      this.target = target;
      this.provenance = provenance;
    }

    QuantizedModel build() {
      List<QuantPlan.PlannedLayer> pl = plan.layers();
      checkBits();
      // Targets and bit widths.
      Target[] tgt = new Target[pl.size()];
      int[] b = new int[pl.size()];
      producerTarget.put(plan.inputTensor(), Target.NPU);
      for (int i = 0; i < pl.size(); i++) {
        QuantPlan.PlannedLayer l = pl.get(i);
        Integer given = bits.get(l.name());
        if (l.kind().hasWeights()) {
          b[i] = given;
          tgt[i] = given == 32 ? Target.CPU : Target.NPU;
        } else {
          tgt[i] = given != null ? (given == 32 ? Target.CPU : Target.NPU) : producerTarget.get(l.inputs().get(0));
          b[i] = tgt[i] == Target.CPU ? 32 : 8;
        }
        producerTarget.put(l.output(), tgt[i]);
      }
      // Scales (plan order: a tensor's scale source comes first).
      for (QuantPlan.PlannedTensor t : plan.tensors().values()) {
        if (t.scaleFrom() != null) {
          scales.put(t.name(), scales.get(t.scaleFrom()));
        } else {
          scales.put(t.name(), activationScale(t.name(), cal.range(t.name()), t.unsigned() ? 255 : 127));
        }
      }
      // Readers, representation and liveness.
      Map<String, List<Integer>> readers = new HashMap<>();
      for (int i = 0; i < pl.size(); i++) for (String in : pl.get(i).inputs()) readers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
      Map<String, QTensor> tensors = new LinkedHashMap<>();
      Map<String, Integer> producerIndex = new HashMap<>();
      producerIndex.put(plan.inputTensor(), -1);
      for (int i = 0; i < pl.size(); i++) producerIndex.put(pl.get(i).output(), i);
      for (QuantPlan.PlannedTensor t : plan.tensors().values()) {
        int first = producerIndex.get(t.name());
        List<Integer> rd = readers.getOrDefault(t.name(), List.of());
        boolean isOutput = t.name().equals(plan.outputTensor());
        int last = isOutput ? pl.size() : rd.isEmpty() ? first : rd.get(rd.size() - 1);
        Repr repr = t.unsigned() ? Repr.UINT8 : Repr.INT8;
        if (first >= 0 && tgt[first] == Target.CPU && !isOutput && !rd.isEmpty() && floatOutputOk(pl.get(first))) {
          boolean allCpu = true;
          for (int r : rd) allCpu &= tgt[r] == Target.CPU;
          if (allCpu) repr = Repr.FLOAT32;
        }
        tensors.put(t.name(), new QTensor(t.name(), t.dims(), repr, scales.get(t.name()), first, last));
      }
      List<QLayer> layers = new ArrayList<>();
      for (int i = 0; i < pl.size(); i++) layers.add(layer(pl.get(i), tgt[i], b[i], tensors));
      Map<String, String> prov = new LinkedHashMap<>();
      prov.put("source_graph", plan.floatGraph().name());
      prov.put("calibration_method", cal.method().name().toLowerCase(java.util.Locale.ROOT)
          + (cal.method() == Calibration.Method.PERCENTILE ? " " + cal.percentile() : ""));
      prov.put("calibration_samples", Integer.toString(cal.samples()));
      for (var e : plan.floatGraph().metadata().entrySet()) prov.putIfAbsent("graph." + e.getKey(), e.getValue());
      prov.putAll(provenance);
      return new QuantizedModel(plan.floatGraph().name(), layers, tensors, plan.inputTensor(), plan.outputTensor(), plan.inputShape(),
          plan.outputShape(), plan.inputTransform(), target, prov);
    }

    /**
     * CPU layers that can write float: kernels with a clamp (conv, dense, add), or pools and resize
     * without an activation (the float pool kernels have no clamp; a clamp layer has no float kernel).
     */
    private static boolean floatOutputOk(QuantPlan.PlannedLayer l) {
      boolean activation = l.actLo() != Double.NEGATIVE_INFINITY || l.actHi() != Double.POSITIVE_INFINITY;
      return switch (l.kind()) {
        case CONV, DEPTHWISE_CONV, DENSE, ADD -> true;
        case MAX_POOL, AVG_POOL, GLOBAL_AVG_POOL, RESIZE_NEAREST -> !activation;
        default -> false;
      };
    }

    private void checkBits() {
      List<String> missing = new ArrayList<>();
      TreeSet<String> known = new TreeSet<>(plan.layerNames());
      for (String k : bits.keySet()) {
        if (!known.contains(k)) throw new QuantException("bit width given for '" + k + "', which is not a layer; layers: " + plan.layerNames());
      }
      for (QuantPlan.PlannedLayer l : plan.layers()) {
        Integer v = bits.get(l.name());
        if (v == null) {
          if (l.kind().hasWeights()) missing.add(l.name());
          continue;
        }
        if (l.kind().hasWeights()) {
          if (v != 32 && !target.npuBits().contains(v)) {
            throw new QuantException("layer " + l.name() + ": " + v + " bits; board " + target.board() + " runs " + target.npuBits()
                + " on the NPU, or 32 (float on the CPU)");
          }
        } else if (v != 8 && v != 32) {
          throw new QuantException("layer " + l.name() + " (" + l.kind().jsonName() + ") has no weights: give 8 (NPU) or 32 (CPU), not " + v);
        }
      }
      if (!missing.isEmpty()) throw new QuantException("no bit width for the weight layers " + missing + " (give 2, 4, 8 or 32 each)");
    }

    private float activationScale(String tensor, double range, int qmax) {
      if (!(range >= 0) || !Double.isFinite(range)) throw new QuantException("tensor " + tensor + ": calibration range " + range + " is not finite");
      double s = (range == 0 ? 1.0 : range) / qmax;
      if (target.powerOfTwoScales()) s = pow2Ceil(s);
      float f = (float) s;
      if (!(f > 0) || !Float.isFinite(f)) throw new QuantException("tensor " + tensor + ": scale " + s + " is not a usable float32");
      return f;
    }

    private QLayer layer(QuantPlan.PlannedLayer l, Target t, int b, Map<String, QTensor> tensors) {
      QTensor out = tensors.get(l.output());
      // A float output keeps the 8-bit range it would have (uint8 after ReLU), so act_min/act_max stay meaningful.
      Repr range = plan.tensors().get(l.output()).unsigned() ? Repr.UINT8 : Repr.INT8;
      int qmin = range.qmin, qmax = range.qmax;
      float inv = out.invScale();
      int actMin = l.actLo() == Double.NEGATIVE_INFINITY ? qmin : FloatOps.quantize((float) l.actLo(), inv, qmin, qmax);
      int actMax = l.actHi() == Double.POSITIVE_INFINITY ? qmax : FloatOps.quantize((float) l.actHi(), inv, qmin, qmax);
      float lo = l.actLo() == Double.NEGATIVE_INFINITY ? -FloatOps.NO_BOUND : (float) Math.max(l.actLo(), -FloatOps.NO_BOUND);
      float hi = l.actHi() == Double.POSITIVE_INFINITY ? FloatOps.NO_BOUND : (float) Math.min(l.actHi(), FloatOps.NO_BOUND);
      int[] w = null, bias = null, mult = new int[0], shift = new int[0];
      double[] ws = new double[0];
      float[] wf = null, bf = null;
      double sOut = out.scale();
      double sIn = tensors.get(l.inputs().get(0)).scale();
      if (t == Target.CPU) {
        if (l.kind().hasWeights()) {
          wf = toFloat(l.weights());
          bf = toFloat(l.bias());
        }
      } else {
        switch (l.kind()) {
          case CONV, DEPTHWISE_CONV, DENSE -> {
            int rows = l.outChannels(), k = l.rowLength(), qw = (1 << (b - 1)) - 1;
            w = new int[rows * k];
            bias = new int[rows];
            ws = new double[rows];
            mult = new int[rows];
            shift = new int[rows];
            double[] wd = l.weights();
            for (int r = 0; r < rows; r++) {
              double m = 0;
              for (int e = 0; e < k; e++) m = Math.max(m, Math.abs(wd[r * k + e]));
              double s = m > 0 ? m / qw : sOut / sIn;
              if (target.powerOfTwoWeights(b)) s = pow2Ceil(s);
              ws[r] = s;
              for (int e = 0; e < k; e++) w[r * k + e] = (int) Math.max(-qw, Math.min(qw, Math.rint(wd[r * k + e] / s)));
              double bq = Math.rint(l.bias()[r] / (sIn * s));
              bias[r] = (int) Math.max(-(BIAS_LIMIT - 1), Math.min(BIAS_LIMIT - 1, bq));
              Requant.MultShift ms = Requant.multiplier(sIn * s / sOut, target.requantMultBits(b));
              mult[r] = ms.m();
              shift[r] = ms.n();
            }
          }
          case AVG_POOL, GLOBAL_AVG_POOL -> {
            int window = l.kind() == LayerKind.AVG_POOL ? l.geometry().kH() : l.inputDims().get(0).pixels();
            Requant.MultShift ms = Requant.multiplier(sIn / (sOut * window), TargetSpec.SOFTWARE_MULT_BITS);
            mult = new int[] {ms.m()};
            shift = new int[] {ms.n()};
          }
          case ADD -> {
            double sB = tensors.get(l.inputs().get(1)).scale();
            Requant.AddMultShift ms = Requant.addMultipliers(sIn / sOut, sB / sOut, TargetSpec.SOFTWARE_MULT_BITS);
            mult = new int[] {ms.ma(), ms.mb()};
            shift = new int[] {ms.n()};
          }
          default -> { }
        }
      }
      return new QLayer(l.name(), l.kind(), l.inputs(), l.output(), l.inputDims(), l.outputDims(), l.geometry(), l.nodes(), b, t,
          l.rowLength(), w, bias, ws, mult, shift, actMin, actMax, wf, bf, lo, hi);
    }
  }

  static double pow2Ceil(double s) {
    return Math.pow(2, Math.ceil(Math.log(s) / Math.log(2) - 1e-12));
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  // ---- accessors ---------------------------------------------------------------------------------

  public String name() {
    return name;
  }

  public List<QLayer> layers() {
    return layers;
  }

  public QLayer layer(String layerName) {
    for (QLayer l : layers) if (l.name().equals(layerName)) return l;
    throw new IllegalArgumentException("no layer named '" + layerName + "'");
  }

  public Map<String, QTensor> tensors() {
    return tensors;
  }

  public QTensor tensor(String tensorName) {
    QTensor t = tensors.get(tensorName);
    if (t == null) throw new QuantException("model " + name + ": no tensor named '" + tensorName + "'");
    return t;
  }

  public String inputTensor() {
    return inputTensor;
  }

  public String outputTensor() {
    return outputTensor;
  }

  /** Graph input shape (batch -1), e.g. [-1, C, frame, 1]. */
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Graph output shape (batch -1). */
  public int[] outputShape() {
    return outputShape.clone();
  }

  public InputTransform inputTransform() {
    return inputTransform;
  }

  public TargetSpec target() {
    return target;
  }

  public Map<String, String> provenance() {
    return provenance;
  }

  /** Bit width per layer (2/4/8 NPU weights, 8 NPU layers without weights, 32 CPU). */
  public Map<String, Integer> bits() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (QLayer l : layers) m.put(l.name(), l.bits());
    return m;
  }

  /** The same model with other provenance entries (merged over the current ones). */
  public QuantizedModel withProvenance(Map<String, String> more) {
    Map<String, String> p = new LinkedHashMap<>(provenance);
    p.putAll(more);
    return new QuantizedModel(name, layers, tensors, inputTensor, outputTensor, inputShape, outputShape, inputTransform, target, p);
  }

  /** The same model with the dataset normalization recorded in its input transform. */
  public QuantizedModel withNormalization(double[] mean, double[] std) {
    return new QuantizedModel(name, layers, tensors, inputTensor, outputTensor, inputShape, outputShape,
        inputTransform.withNormalization(mean, std), target, provenance);
  }

  // ---- evaluation --------------------------------------------------------------------------------

  IntegerEvaluator evaluator() {
    IntegerEvaluator e = evaluator;
    if (e == null) evaluator = e = new IntegerEvaluator(this);
    return e;
  }

  /** Elements per sample of the graph input. */
  public int inputSize() {
    return tensor(inputTensor).dims().size();
  }

  /**
   * Quantizes dataset-normalized inputs [N, ...graph input shape] to int8 device tensors (HWC), one
   * array per sample: {@code q = quantize((float) x * scale[c] + offset[c], inv_s_in, -128, 127)}.
   */
  public int[][] quantizeInputs(Tensor normalized) {
    QTensor in = tensor(inputTensor);
    Dims d = in.dims();
    int n = normalized.dim(0), per = d.size(), hw = d.pixels(), c = d.c();
    if (normalized.size() != n * per) {
      throw new QuantException("model " + name + ": input of shape " + java.util.Arrays.toString(normalized.shape()) + ", expected "
          + java.util.Arrays.toString(inputShape) + " (batch first)");
    }
    float inv = in.invScale();
    double[] x = normalized.data();
    int[][] out = new int[n][per];
    for (int s = 0; s < n; s++) {
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          float t = inputTransform.apply((float) x[s * per + ch * hw + p], ch);
          out[s][p * c + ch] = FloatOps.quantize(t, inv, Repr.INT8.qmin, Repr.INT8.qmax);
        }
      }
    }
    return out;
  }

  /** Runs one quantized input (HWC int8 values) and keeps every tensor. */
  public IntegerEvaluator.Trace runInt(int[] input) {
    return evaluator().run(input);
  }

  /** Runs quantized inputs in parallel over samples; returns each sample's 8-bit output (HWC). */
  public int[][] runIntBatch(int[][] inputs) {
    IntegerEvaluator e = evaluator();
    int[][] out = new int[inputs.length][];
    IntStream.range(0, inputs.length).parallel().forEach(i -> out[i] = e.run(inputs[i]).output());
    return out;
  }

  /**
   * The fake-quantized evaluation: normalized float inputs [N, ...] in, dequantized outputs
   * ((float) q * s_out) in the graph's output shape and order (channel-major) out.
   */
  public Tensor run(Tensor normalized) {
    int[][] q = runIntBatch(quantizeInputs(normalized));
    QTensor out = tensor(outputTensor);
    Dims d = out.dims();
    int per = d.size(), hw = d.pixels(), c = d.c();
    double[] y = new double[q.length * per];
    for (int s = 0; s < q.length; s++) {
      for (int p = 0; p < hw; p++) {
        for (int ch = 0; ch < c; ch++) y[s * per + ch * hw + p] = FloatOps.dequantize(q[s][p * c + ch], out.scale());
      }
    }
    int[] shape = outputShape.clone();
    shape[0] = q.length;
    return new Tensor(shape, y);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("quantized model ").append(name).append('\n');
    for (QLayer l : layers) {
      sb.append(String.format("  %-14s %-16s %-3s %2d  %s -> %s %s%n", l.name(), l.kind().jsonName(), l.target().jsonName(), l.bits(),
          l.inputs(), l.output(), tensor(l.output()).repr().jsonName()));
    }
    return sb.toString();
  }
}
