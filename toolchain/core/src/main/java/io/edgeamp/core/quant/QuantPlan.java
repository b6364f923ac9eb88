package io.edgeamp.core.quant;

import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.Pass;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequence of device layers of a float graph: what the device runs, independent of bit widths
 * and scales.
 *
 * <ul>
 *   <li>BatchNorms are folded into the conv/dense before them ({@link BatchNormFolding}); a BatchNorm
 *       reading the graph input becomes the {@link InputTransform}.
 *   <li>Conv ((k,1) and 1-D, group 1 or depthwise), Gemm/MatMul with constant weights (a following
 *       Add of a constant becomes the bias), MaxPool, AveragePool, GlobalAveragePool, residual Add,
 *       nearest Resize by integer factors: one layer each, named after the ONNX node.
 *   <li>Relu and Clip fold into the clamp of the layer before them when that layer's output has no
 *       other reader; otherwise they become a {@link LayerKind#CLAMP} layer.
 *   <li>Flatten / Reshape / Squeeze / Unsqueeze are no-ops on the device's HWC buffers: a dense layer
 *       reading a flattened C x H x W tensor gets its weight columns permuted to HWC order.
 * </ul>
 * Anything else is rejected with the node, its op and what the device supports.
 */
public final class QuantPlan {
  /** Fan-in limit of the integer kernels ({@code EA_MAX_FANIN}): keeps the int32 accumulators exact. */
  public static final int MAX_FANIN = 32768;

  static final String SUPPORTED = "Conv ((k,1) or 1-D kernels, group 1 or depthwise), Gemm/MatMul with constant weights, "
      + "BatchNormalization (folded), Relu, Clip, MaxPool/AveragePool ((k,1) windows), GlobalAveragePool, Add of two "
      + "activations (residual) or of a constant bias, Resize (nearest, integer factors), Flatten/Reshape/Squeeze/Unsqueeze";

  /**
   * One device layer. {@code weights} (rows = output channels, {@code rowLength} each) are in the
   * device layout: conv [cout][k_h][cin], depthwise [c][k_h], dense [out][in in HWC order].
   * {@code actLo/actHi} is the fused activation in float units (+-infinity: none).
   */
  public record PlannedLayer(String name, LayerKind kind, List<String> inputs, String output, List<Dims> inputDims,
      Dims outputDims, Geometry geometry, double actLo, double actHi, List<String> nodes, double[] weights, double[] bias,
      int rowLength) {
    public PlannedLayer {
      inputs = List.copyOf(inputs);
      inputDims = List.copyOf(inputDims);
      nodes = List.copyOf(nodes);
    }

    public int outChannels() {
      return outputDims.c();
    }
  }

  /**
   * A device tensor: its dims, whether it is uint8 (producer ends in ReLU/ReLU6 or keeps a uint8
   * input's values), the graph value whose float values calibrate it, and the tensor whose scale it
   * shares ({@code null}: its own scale).
   */
  public record PlannedTensor(String name, Dims dims, boolean unsigned, String calibrationValue, String scaleFrom) {}

  private final Graph floatGraph;
  private final List<PlannedLayer> layers;
  private final Map<String, PlannedTensor> tensors;
  private final String inputTensor;
  private final String outputTensor;
  private final int[] inputShape;
  private final int[] outputShape;
  private final InputTransform inputTransform;

  private QuantPlan(Graph floatGraph, List<PlannedLayer> layers, Map<String, PlannedTensor> tensors, String inputTensor,
      String outputTensor, int[] inputShape, int[] outputShape, InputTransform inputTransform) {
    this.floatGraph = floatGraph;
    this.layers = List.copyOf(layers);
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.inputTensor = inputTensor;
    this.outputTensor = outputTensor;
    this.inputShape = inputShape.clone();
    this.outputShape = outputShape.clone();
    this.inputTransform = inputTransform;
  }

  /** The BN-folded float graph the plan was made from (calibration runs it). */
  public Graph floatGraph() {
    return floatGraph;
  }

  public List<PlannedLayer> layers() {
    return layers;
  }

  public PlannedLayer layer(String name) {
    for (PlannedLayer l : layers) if (l.name().equals(name)) return l;
    throw new IllegalArgumentException("no layer named '" + name + "'; layers: " + layerNames());
  }

  public List<String> layerNames() {
    List<String> out = new ArrayList<>();
    for (PlannedLayer l : layers) out.add(l.name());
    return out;
  }

  /** Names of the layers with weights (conv, depthwise, dense): the ones a bit-width allocation covers. */
  public List<String> weightLayerNames() {
    List<String> out = new ArrayList<>();
    for (PlannedLayer l : layers) if (l.kind().hasWeights()) out.add(l.name());
    return out;
  }

  /** Device tensors in creation order (input first). */
  public Map<String, PlannedTensor> tensors() {
    return tensors;
  }

  public String inputTensor() {
    return inputTensor;
  }

  public String outputTensor() {
    return outputTensor;
  }

  /** Graph input shape, batch dimension -1. */
  public int[] inputShape() {
    return inputShape.clone();
  }

  /** Graph output shape, batch dimension -1. */
  public int[] outputShape() {
    return outputShape.clone();
  }

  public InputTransform inputTransform() {
    return inputTransform;
  }

  // ------------------------------------------------------------------------------------------------

  /** Plans {@code graph} (BatchNorms are folded first; an already folded graph is unchanged). */
  public static QuantPlan of(Graph graph) {
    return new Planner(BatchNormFolding.fold(graph)).plan();
  }

  /** Mutable layer while planning; fused activations and biases update it. */
  private static final class LB {
    String name;
    LayerKind kind;
    List<Handle> inputs = new ArrayList<>();
    String outValue;
    Dims dims;
    Geometry geo = Geometry.NONE;
    double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
    List<String> nodes = new ArrayList<>();
    double[] w, b;
    int rowLen;
    boolean unsigned;
  }

  /** A graph value as seen on the device: the layer (or input) whose buffer holds it, and its physical dims. */
  private record Handle(LB source, Dims dims) {}

  private static final class Planner {
    final Graph g;
    final Map<String, int[]> shapes = new HashMap<>();
    final Map<String, Handle> handles = new HashMap<>();
    final List<LB> layers = new ArrayList<>();
    final LB input = new LB();
    InputTransform transform;

    Planner(Graph g) {
      this.g = g;
    }

    QuantPlan plan() {
      if (g.inputs().size() != 1 || g.outputs().size() != 1) {
        throw new QuantException("graph " + g.name() + ": the device runs models with one input and one output, this one has "
            + g.inputs().size() + " inputs and " + g.outputs().size() + " outputs");
      }
      inferShapes();
      String in = g.input().name();
      int[] inShape = shapes.get(in);
      if (inShape.length < 2 || inShape.length > 4) {
        throw new QuantException("graph " + g.name() + ": input '" + in + "' has rank " + inShape.length + "; the device takes [N, C], [N, C, L] or [N, C, H, W]");
      }
      input.name = in;
      input.outValue = in;
      input.dims = Dims.ofGraphShape(inShape);
      input.unsigned = false;
      transform = InputTransform.identity(input.dims.c());
      handles.put(in, new Handle(input, input.dims));
      List<Node> nodes = g.nodes();
      String calibrationValue = in;
      int start = 0;
      if (!nodes.isEmpty() && nodes.get(0).op() instanceof Op.BatchNorm bn && nodes.get(0).input(0).equals(in)
          && g.consumers(in).size() == 1 && initializers(nodes.get(0), 1, 5)) {
        Node n = nodes.get(0);
        transform = inputBatchNorm(n, bn);
        handles.put(n.output(), new Handle(input, input.dims));
        calibrationValue = n.output();
        input.outValue = n.output();
        start = 1;
      }
      for (int i = start; i < nodes.size(); i++) visit(nodes.get(i));
      Handle out = handle(g.output().name(), "graph output");
      return build(calibrationValue, out);
    }

    private QuantPlan build(String inputCalibration, Handle out) {
      Map<String, PlannedTensor> tensors = new LinkedHashMap<>();
      tensors.put(input.name, new PlannedTensor(input.name, input.dims, false, inputCalibration, null));
      List<PlannedLayer> planned = new ArrayList<>();
      for (LB l : layers) {
        List<String> ins = new ArrayList<>();
        List<Dims> inDims = new ArrayList<>();
        for (Handle s : l.inputs) {
          ins.add(tensorName(s.source));
          inDims.add(s.dims);
        }
        String outName = tensorName(l);
        boolean unsigned = l.lo >= 0 || (l.kind != LayerKind.ADD && !l.kind.hasWeights() && l.inputs.get(0).source.unsigned);
        l.unsigned = unsigned;
        String scaleFrom = l.kind.inheritsScale() ? ins.get(0) : null;
        tensors.put(outName, new PlannedTensor(outName, l.dims, unsigned, l.outValue, scaleFrom));
        planned.add(new PlannedLayer(l.name, l.kind, ins, outName, inDims, l.dims, l.geo, l.lo, l.hi, l.nodes, l.w, l.b, l.rowLen));
      }
      if (out.source == input) {
        throw new QuantException("graph " + g.name() + ": the output is the input (no device layer in between)");
      }
      int[] inShape = g.input().shape(), outShape = g.output().shape();
      inShape[0] = -1;
      outShape = shapes.get(g.output().name()).clone();
      outShape[0] = -1;
      return new QuantPlan(g, planned, tensors, input.name, tensorName(out.source), inShape, outShape, transform);
    }

    private String tensorName(LB l) {
      return l == input ? input.name : l.outValue;
    }

    private void inferShapes() {
      // Batch 2 so a reshape that mixes batch and features shows up as a wrong leading dimension.
      int[] s = g.input().shapeWithBatch(2);
      for (int d : s) {
        if (d < 1) throw new QuantException("graph " + g.name() + ": input '" + g.input().name() + "' needs fixed dimensions apart from the batch, has " + Arrays.toString(g.input().shape()));
      }
      Pass p = FloatEngine.compile(g).forward(Tensor.zeros(s), false, false);
      shapes.put(g.input().name(), s);
      for (Node n : g.nodes()) {
        int[] os = p.value(n.output()).shape();
        if (os.length == 0 || os[0] != 2) {
          throw new QuantException(where(n) + ": its output " + Arrays.toString(os) + " does not keep the batch as the first dimension");
        }
        shapes.put(n.output(), os);
      }
    }

    private boolean initializers(Node n, int from, int to) {
      for (int i = from; i < to; i++) if (!n.hasInput(i) || !g.isInitializer(n.input(i))) return false;
      return true;
    }

    private InputTransform inputBatchNorm(Node n, Op.BatchNorm bn) {
      double[] gamma = g.initializer(n.input(1)).data(), beta = g.initializer(n.input(2)).data();
      double[] mean = g.initializer(n.input(3)).data(), var = g.initializer(n.input(4)).data();
      int c = input.dims.c();
      if (gamma.length != c) throw new QuantException(where(n) + ": " + gamma.length + " BatchNorm channels for an input of " + c);
      float[] sc = new float[c], off = new float[c];
      for (int ch = 0; ch < c; ch++) {
        double k = gamma[ch] / Math.sqrt(var[ch] + bn.epsilon());
        sc[ch] = (float) k;
        off[ch] = (float) (beta[ch] - mean[ch] * k);
      }
      return new InputTransform(sc, off, List.of(n.name()), new double[0], new double[0]);
    }

    static String where(Node n) {
      return "node '" + n.name() + "' (" + n.op().onnxType() + ")";
    }

    private QuantException unsupported(Node n, String why) {
      return new QuantException(where(n) + ": " + why + ". The device runs: " + SUPPORTED);
    }

    private Handle handle(String value, String who) {
      Handle h = handles.get(value);
      if (h == null) throw new QuantException(who + " reads '" + value + "', which is not an activation the device computes");
      return h;
    }

    private Dims dimsOf(String value) {
      return Dims.ofGraphShape(shapes.get(value));
    }

    private LB newLayer(Node n, LayerKind kind, Handle... in) {
      LB l = new LB();
      l.name = n.name();
      l.kind = kind;
      l.inputs.addAll(List.of(in));
      l.outValue = n.output();
      l.nodes.add(n.name());
      l.dims = dimsOf(n.output());
      layers.add(l);
      handles.put(n.output(), new Handle(l, l.dims));
      return l;
    }

    private void visit(Node n) {
      Op op = n.op();
      if (op instanceof Op.Conv c) conv(n, c);
      else if (op instanceof Op.Gemm gm) gemm(n, gm);
      else if (op instanceof Op.MatMul) matmul(n);
      else if (op instanceof Op.Add) add(n);
      else if (op instanceof Op.Relu) activation(n, 0, Double.POSITIVE_INFINITY);
      else if (op instanceof Op.Clip c) activation(n, c.min(), c.max());
      else if (op instanceof Op.MaxPool m) maxPool(n, m);
      else if (op instanceof Op.AveragePool a) avgPool(n, a);
      else if (op instanceof Op.GlobalAveragePool) globalAvgPool(n);
      else if (op instanceof Op.Resize r) resize(n, r);
      else if (op instanceof Op.Flatten || op instanceof Op.Reshape || op instanceof Op.Squeeze || op instanceof Op.Unsqueeze) reshape(n);
      else if (op instanceof Op.BatchNorm) {
        throw unsupported(n, "a BatchNormalization that neither follows a Conv/Gemm (to fold into) nor reads the graph input cannot run on the device; place it after a conv or dense layer");
      } else {
        throw unsupported(n, op.onnxType() + " has no device kernel");
      }
    }

    private Handle activationInput(Node n) {
      if (g.isInitializer(n.input(0))) throw unsupported(n, "its input is a constant");
      return handle(n.input(0), where(n));
    }

    private void conv(Node n, Op.Conv c) {
      Handle in = activationInput(n);
      if (!g.isInitializer(n.input(1)) || (n.hasInput(2) && !g.isInitializer(n.input(2)))) throw unsupported(n, "weights and bias must be constants");
      boolean twoD = c.spatialRank() == 2;
      if (twoD && (c.kernel()[1] != 1 || c.padsBegin()[1] != 0 || c.padsEnd()[1] != 0)) {
        throw unsupported(n, "kernel " + Arrays.toString(c.kernel()) + " with pads " + Arrays.toString(c.padsBegin()) + "/" + Arrays.toString(c.padsEnd())
            + ": the device convolves (k,1) kernels along H only (kernel width 1, no padding along W)");
      }
      for (int d : c.dilations()) if (d != 1) throw unsupported(n, "dilation " + Arrays.toString(c.dilations()) + " (the device supports dilation 1)");
      Tensor w = g.initializer(n.input(1));
      int[] ws = w.shape();
      int cout = ws[0], cinG = ws[1], kh = ws[2];
      int cin = in.dims.c();
      boolean depthwise = c.group() > 1;
      if (depthwise && !(c.group() == cin && cout == cin && cinG == 1)) {
        throw unsupported(n, "group " + c.group() + " with " + cin + " input and " + cout + " output channels: the device supports group 1 or depthwise (group = in = out channels)");
      }
      LB l = newLayer(n, depthwise ? LayerKind.DEPTHWISE_CONV : LayerKind.CONV, in);
      l.geo = Geometry.window(kh, c.strides()[0], twoD ? c.strides()[1] : 1, c.padsBegin()[0], c.padsEnd()[0]);
      double[] src = w.data();
      if (depthwise) {
        l.rowLen = kh;
        l.w = src.clone(); // [c][1][kh][1] is already [c][kh]
      } else {
        l.rowLen = kh * cin;
        l.w = new double[cout * kh * cin];
        for (int o = 0; o < cout; o++) {
          for (int ci = 0; ci < cin; ci++) {
            for (int i = 0; i < kh; i++) l.w[(o * kh + i) * cin + ci] = src[(o * cin + ci) * kh + i];
          }
        }
      }
      l.b = n.hasInput(2) ? biasVector(n, g.initializer(n.input(2)), cout) : new double[cout];
      checkFanIn(n, l.rowLen);
    }

    private double[] biasVector(Node n, Tensor t, int rows) {
      double[] d = t.data();
      if (d.length == rows) return d.clone();
      if (d.length == 1) {
        double[] b = new double[rows];
        Arrays.fill(b, d[0]);
        return b;
      }
      throw unsupported(n, "bias of " + d.length + " values for " + rows + " outputs");
    }

    private void checkFanIn(Node n, int k) {
      if (k > MAX_FANIN) throw unsupported(n, "fan-in " + k + " exceeds the integer kernels' limit " + MAX_FANIN + " (EA_MAX_FANIN)");
    }

    private void gemm(Node n, Op.Gemm gm) {
      if (gm.transA()) throw unsupported(n, "transA=1 (the activation must be the left operand, untransposed)");
      if (!g.isInitializer(n.input(1)) || (n.hasInput(2) && !g.isInitializer(n.input(2)))) throw unsupported(n, "B and C must be constants (weights and bias)");
      Tensor b = g.initializer(n.input(1));
      int out = gm.transB() ? b.dim(0) : b.dim(1), k = gm.transB() ? b.dim(1) : b.dim(0);
      double[] w = new double[out * k];
      double[] bd = b.data();
      for (int o = 0; o < out; o++) for (int i = 0; i < k; i++) w[o * k + i] = gm.alpha() * (gm.transB() ? bd[o * k + i] : bd[i * out + o]);
      double[] bias = new double[out];
      if (n.hasInput(2)) {
        double[] c = biasVector(n, g.initializer(n.input(2)), out);
        for (int o = 0; o < out; o++) bias[o] = gm.beta() * c[o];
      }
      dense(n, w, bias, out, k);
    }

    private void matmul(Node n) {
      if (!g.isInitializer(n.input(1))) throw unsupported(n, "the right operand must be a constant weight matrix");
      if (shapes.get(n.input(0)).length != 2) throw unsupported(n, "a MatMul over an input of rank " + shapes.get(n.input(0)).length + " (the device's dense layer takes [N, features])");
      Tensor b = g.initializer(n.input(1));
      int k = b.dim(0), out = b.dim(1);
      double[] w = new double[out * k];
      for (int o = 0; o < out; o++) for (int i = 0; i < k; i++) w[o * k + i] = b.data()[i * out + o];
      dense(n, w, new double[out], out, k);
    }

    private void dense(Node n, double[] w, double[] bias, int out, int k) {
      Handle in = activationInput(n);
      Dims d = in.dims;
      if (d.size() != k) throw unsupported(n, "its input has " + d.size() + " values, the weights expect " + k);
      LB l = newLayer(n, LayerKind.DENSE, in);
      l.rowLen = k;
      // Device input index (h*W + w)*C + c holds logical (flattened C,H,W) feature c*H*W + h*W + w.
      l.w = new double[out * k];
      int hw = d.pixels();
      for (int o = 0; o < out; o++) {
        for (int p = 0; p < hw; p++) {
          for (int ch = 0; ch < d.c(); ch++) l.w[o * k + p * d.c() + ch] = w[o * k + ch * hw + p];
        }
      }
      l.b = bias;
      checkFanIn(n, k);
    }

    private void add(Node n) {
      boolean c0 = g.isInitializer(n.input(0)), c1 = g.isInitializer(n.input(1));
      if (c0 && c1) throw unsupported(n, "both operands are constants");
      if (c0 || c1) {
        addConstant(n, c0 ? n.input(1) : n.input(0), g.initializer(c0 ? n.input(0) : n.input(1)));
        return;
      }
      Handle a = handle(n.input(0), where(n)), b = handle(n.input(1), where(n));
      if (!a.dims.equals(b.dims) || !Arrays.equals(shapes.get(n.input(0)), shapes.get(n.input(1)))) {
        throw unsupported(n, "operands " + Arrays.toString(shapes.get(n.input(0))) + " and " + Arrays.toString(shapes.get(n.input(1)))
            + " differ; the device adds tensors of equal shape (no broadcasting)");
      }
      newLayer(n, LayerKind.ADD, a, b);
    }

    /** x + constant: becomes the bias of the conv/dense that computes x, if nothing else reads x. */
    private void addConstant(Node n, String value, Tensor k) {
      Handle h = handle(value, where(n));
      LB l = h.source;
      int channels = l == input ? 0 : l.dims.c();
      boolean perChannel = k.size() == 1 || (k.size() == channels && trailingOnes(k, shapes.get(value)));
      if (l == input || !l.kind.hasWeights() || !l.outValue.equals(value) || g.consumers(value).size() != 1
          || l.lo != Double.NEGATIVE_INFINITY || l.hi != Double.POSITIVE_INFINITY || !perChannel) {
        throw unsupported(n, "adding a constant is supported only as the bias of the Conv/Gemm/MatMul right before it (one value per output channel)");
      }
      double[] kd = k.data();
      for (int o = 0; o < channels; o++) l.b[o] += kd.length == 1 ? kd[0] : kd[o];
      l.nodes.add(n.name());
      l.outValue = n.output();
      handles.put(n.output(), h);
    }

    /** Whether a constant of {@code k.size() == C} values broadcasts along the channel axis of {@code shape}. */
    private static boolean trailingOnes(Tensor k, int[] shape) {
      int[] ks = k.shape();
      if (shape.length == 2) return ks.length <= 2 && ks[ks.length - 1] == shape[1];
      // [C, 1, 1] / [C, 1] / [1, C, 1, 1]: all dims after the channel are 1
      int cAxisFromEnd = shape.length - 1; // channel axis counted from the end in the value's shape
      if (ks.length < cAxisFromEnd) return false;
      for (int i = ks.length - cAxisFromEnd + 1; i < ks.length; i++) if (ks[i] != 1) return false;
      return true;
    }

    private void activation(Node n, double lo, double hi) {
      if (!(lo <= hi)) throw unsupported(n, "empty clip range [" + lo + ", " + hi + "]");
      Handle h = activationInput(n);
      LB l = h.source;
      if (l != input && l.kind != LayerKind.RESIZE_NEAREST && l.outValue.equals(n.input(0)) && g.consumers(n.input(0)).size() == 1) {
        l.lo = Math.max(l.lo, lo);
        l.hi = Math.min(l.hi, hi);
        l.nodes.add(n.name());
        l.outValue = n.output();
        handles.put(n.output(), h);
        return;
      }
      LB c = newLayer(n, LayerKind.CLAMP, h);
      c.dims = h.dims;
      handles.put(n.output(), new Handle(c, h.dims));
      c.lo = lo;
      c.hi = hi;
    }

    private Handle spatialInput(Node n) {
      Handle h = activationInput(n);
      int rank = shapes.get(n.input(0)).length;
      if (rank != 3 && rank != 4) throw unsupported(n, "input of rank " + rank);
      return h;
    }

    private void checkWindow2d(Node n, int[] kernel, int[] strides, int[] pb, int[] pe) {
      if (kernel.length == 2 && (kernel[1] != 1 || pb[1] != 0 || pe[1] != 0)) {
        throw unsupported(n, "window " + Arrays.toString(kernel) + " with pads " + Arrays.toString(pb) + "/" + Arrays.toString(pe)
            + ": the device pools (k,1) windows along H only (width 1, no padding along W)");
      }
    }

    private void maxPool(Node n, Op.MaxPool m) {
      Handle in = spatialInput(n);
      checkWindow2d(n, m.kernel(), m.strides(), m.padsBegin(), m.padsEnd());
      LB l = newLayer(n, LayerKind.MAX_POOL, in);
      l.geo = Geometry.window(m.kernel()[0], m.strides()[0], m.strides().length == 2 ? m.strides()[1] : 1, m.padsBegin()[0], m.padsEnd()[0]);
      checkFanIn(n, m.kernel()[0]);
    }

    private void avgPool(Node n, Op.AveragePool a) {
      Handle in = spatialInput(n);
      checkWindow2d(n, a.kernel(), a.strides(), a.padsBegin(), a.padsEnd());
      int kh = a.kernel()[0], sh = a.strides()[0], pt = a.padsBegin()[0], pb = a.padsEnd()[0];
      int h = in.dims.h(), oh = dimsOf(n.output()).h();
      // The device divides every window by k_h (padded taps count as zero): ONNX agrees only when no
      // window is cut short, i.e. windows stay inside the input (count_include_pad=0) or inside the
      // padded input (count_include_pad=1).
      for (int o = 0; o < oh; o++) {
        int y0 = o * sh - pt;
        boolean full = a.countIncludePad() ? y0 + kh <= h + pb : (y0 >= 0 && y0 + kh <= h);
        if (!full) {
          throw unsupported(n, "output row " + o + " averages over fewer than " + kh + " cells (padding with count_include_pad="
              + (a.countIncludePad() ? 1 : 0) + (a.ceilMode() ? ", ceil_mode=1" : "") + "); the device always divides by the kernel size. "
              + "Use no padding, or count_include_pad=1 with windows inside the padded input");
        }
      }
      LB l = newLayer(n, LayerKind.AVG_POOL, in);
      l.geo = Geometry.window(kh, sh, a.strides().length == 2 ? a.strides()[1] : 1, pt, pb);
      checkFanIn(n, kh);
    }

    private void globalAvgPool(Node n) {
      Handle in = spatialInput(n);
      newLayer(n, LayerKind.GLOBAL_AVG_POOL, in);
      checkFanIn(n, in.dims.pixels());
    }

    private void resize(Node n, Op.Resize r) {
      Handle in = spatialInput(n);
      if (r.mode() != Op.Resize.Mode.NEAREST) throw unsupported(n, "Resize mode " + r.mode() + " (the device upsamples by nearest neighbour)");
      double[] sc = r.scales();
      int[] s = shapes.get(n.input(0));
      int fh = integerFactor(n, r, s[2], sc[2]);
      int fw = s.length == 4 ? integerFactor(n, r, s[3], sc[3]) : 1;
      LB l = newLayer(n, LayerKind.RESIZE_NEAREST, in);
      l.geo = Geometry.resize(fh, fw);
    }

    /** The integer factor f if output index o reads input o / f under the node's ONNX coordinate rules. */
    private int integerFactor(Node n, Op.Resize r, int len, double scale) {
      int f = (int) Math.rint(scale);
      boolean ok = f >= 1 && f == scale;
      int out = (int) Math.floor(len * scale);
      for (int o = 0; ok && o < out; o++) ok = nearestIndex(r, o, len, out, scale) == o / f;
      if (!ok) {
        throw unsupported(n, "scale " + scale + " with " + r.coordinateMode() + "/" + r.nearestMode()
            + " does not repeat each input row an integer number of times (the device's nearest upsampling)");
      }
      return f;
    }

    /** The engine's nearest index (ResizeKernel), for one axis. */
    private static int nearestIndex(Op.Resize r, int o, int len, int out, double scale) {
      double x = switch (r.coordinateMode()) {
        case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
        case PYTORCH_HALF_PIXEL -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
        case ALIGN_CORNERS -> out > 1 ? o * (len - 1) / (double) (out - 1) : 0;
        case ASYMMETRIC -> o / scale;
      };
      int idx = switch (r.nearestMode()) {
        case ROUND_PREFER_FLOOR -> x - Math.floor(x) == 0.5 ? (int) Math.floor(x) : (int) Math.round(x);
        case ROUND_PREFER_CEIL -> (int) Math.round(x);
        case FLOOR -> (int) Math.floor(x);
        case CEIL -> (int) Math.ceil(x);
      };
      return Math.max(0, Math.min(len - 1, idx));
    }

    /** Reshape-like ops keep the HWC buffer; allowed when the device order stays consistent. */
    private void reshape(Node n) {
      Handle h = activationInput(n);
      int[] os = shapes.get(n.output());
      Dims src = h.dims;
      Dims dst;
      if (os.length == 2) {
        dst = src.pixels() == 1 || src.c() == 1 ? new Dims(1, 1, src.size()) : src; // physical layout kept; dense permutes
      } else {
        Dims want = Dims.ofGraphShape(os);
        boolean sameOrder = (want.c() == src.c() && want.pixels() == src.pixels())
            || ((src.pixels() == 1 || src.c() == 1) && (want.pixels() == 1 || want.c() == 1));
        if (!sameOrder) {
          throw unsupported(n, "reshaping " + Arrays.toString(shapes.get(n.input(0))) + " to " + Arrays.toString(os)
              + " reorders the device's channel-last data; only flattening to [N, features] and adding/removing unit axes are no-ops");
        }
        dst = want;
      }
      handles.put(n.output(), new Handle(h.source, dst));
    }
  }
}
