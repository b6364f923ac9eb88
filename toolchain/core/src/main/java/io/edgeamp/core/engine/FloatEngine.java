package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Graph} in double precision: inference, training passes with gradients, and exact
 * Hessian-vector products (see {@link HessianVectorProduct}).
 *
 * <p>The engine owns a copy of the graph's initializers ({@link #parameters()}); training updates
 * them in place and {@link #toGraph()} writes them back into a new graph.
 */
public final class FloatEngine {
  private final Graph graph;
  private final List<Kernel> kernels;
  private final Map<String, Tensor> params;
  private final Set<String> buffers;
  private final boolean hasFoldableBatchNorm;
  private final boolean fastSupported;

  /** -Dedgeamp.profile=true prints each node's forward time to stderr (for performance work). */
  private static final boolean PROFILE = Boolean.getBoolean("edgeamp.profile");

  private FloatEngine(Graph graph) {
    this.graph = graph;
    List<Kernel> ks = new ArrayList<>();
    Set<String> bufs = new HashSet<>();
    for (Node n : graph.nodes()) {
      Kernel k = kernelFor(n);
      ks.add(k);
      for (int i = 0; i < n.inputs().size(); i++) if (k.isBuffer(i) && n.hasInput(i)) bufs.add(n.input(i));
    }
    this.kernels = List.copyOf(ks);
    this.buffers = Collections.unmodifiableSet(bufs);
    Map<String, Tensor> p = new LinkedHashMap<>();
    for (var e : graph.initializers().entrySet()) p.put(e.getKey(), e.getValue().copy());
    this.params = Collections.unmodifiableMap(p);
    this.hasFoldableBatchNorm = BatchNormFolding.fold(graph).nodes().size() < graph.nodes().size();
    this.fastSupported = Float32Inference.supports(graph);
  }

  public static FloatEngine compile(Graph graph) {
    return new FloatEngine(graph);
  }

  private static Kernel kernelFor(Node n) {
    Op op = n.op();
    if (op instanceof Op.Conv c) return new ConvKernel(n, c);
    if (op instanceof Op.BatchNorm b) return new BatchNormKernel(n, b);
    if (op instanceof Op.Gemm g) return new GemmKernel(n, g);
    if (op instanceof Op.MatMul m) return new GemmKernel(n, m);
    if (op instanceof Op.Add) return new ElementwiseBinaryKernel(n, false);
    if (op instanceof Op.Mul) return new ElementwiseBinaryKernel(n, true);
    if (op instanceof Op.Relu || op instanceof Op.Clip || op instanceof Op.LeakyRelu || op instanceof Op.Sigmoid
        || op instanceof Op.Tanh) {
      return new ActivationKernel(n);
    }
    if (op instanceof Op.MaxPool || op instanceof Op.AveragePool) return new PoolKernel(n);
    if (op instanceof Op.GlobalAveragePool) return new GlobalAveragePoolKernel(n);
    if (op instanceof Op.Flatten || op instanceof Op.Reshape || op instanceof Op.Squeeze || op instanceof Op.Unsqueeze) {
      return new ReshapeKernel(n);
    }
    if (op instanceof Op.Concat c) return new ConcatKernel(n, c);
    if (op instanceof Op.Softmax s) return new SoftmaxKernel(n, s);
    if (op instanceof Op.Resize r) return new ResizeKernel(n, r);
    throw new EngineException("node '" + n.name() + "': no kernel for " + op.onnxType());
  }

  public Graph graph() {
    return graph;
  }

  /** The engine's weights by initializer name; mutate their data to train. */
  public Map<String, Tensor> parameters() {
    return params;
  }

  /** Initializer names that are trained (all but BatchNorm running statistics). */
  public List<String> trainableNames() {
    List<String> out = new ArrayList<>();
    for (String name : params.keySet()) if (!buffers.contains(name)) out.add(name);
    return out;
  }

  /** The graph with the engine's current weights. */
  public Graph toGraph() {
    return graph.withInitializers(params);
  }

  /**
   * The engine inference runs on: this one, or, when BatchNorms can be folded into the layers before
   * them, an engine on the folded graph made from the current weights (as ONNX Runtime's optimiser
   * does; it saves a pass over every folded activation).
   */
  private FloatEngine inferenceEngine() {
    if (!hasFoldableBatchNorm) return this;
    return new FloatEngine(BatchNormFolding.fold(toGraph()));
  }

  /**
   * Inference on named inputs; returns the graph outputs by name. Runs in float32 on
   * {@link Float32Inference} when the graph's ops and shapes allow it (results within float32
   * rounding of {@link #runDouble}), otherwise in double.
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    Float32Inference fast = fastPath();
    if (fast != null) {
      for (var in : graph.inputs()) {
        Tensor t = inputs.get(in.name());
        if (t != null) checkInputShape(in.name(), in.shape(), t.shape());
      }
      Map<String, Tensor> out = fast.run(inputs);
      if (out != null) return out;
    }
    return runDouble(inputs);
  }

  /** Inference in double precision (the reference the float32 fast path is tested against). */
  public Map<String, Tensor> runDouble(Map<String, Tensor> inputs) {
    Pass p = inferenceEngine().forward(inputs, false, false);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (var o : graph.outputs()) out.put(o.name(), p.value(o.name()));
    return out;
  }

  /** Inference for a single-input, single-output graph. */
  public Tensor run(Tensor input) {
    return run(Map.of(graph.input().name(), input)).get(graph.output().name());
  }

  /** -Dedgeamp.f32=false turns the float32 inference fast path off (everything runs in double). */
  private static final boolean FAST_PATH = !"false".equals(System.getProperty("edgeamp.f32"));

  /** The float32 program and the weights it was compiled from. */
  private record FastPath(Float32Inference program, double[][] weights) {}

  private volatile FastPath fast;

  /**
   * The float32 fast path for the current weights, or null if the graph has an op it lacks.
   *
   * <p>Training mutates {@link #parameters()} in place, so the compiled program (float copies of the
   * folded weights) is cached with a snapshot of the weights it was made from and rebuilt when they
   * differ. Comparing is exact and costs one pass over the weights (microseconds for the zoo models,
   * far below a forward pass); rebuilding (fold + convert, plans made again on first use) happens only
   * after the weights changed, i.e. once per validation pass during training.
   */
  private Float32Inference fastPath() {
    if (!FAST_PATH || !fastSupported) return null;
    FastPath f = fast;
    if (f != null && sameWeights(f.weights)) return f.program;
    double[][] snapshot = new double[params.size()][];
    int i = 0;
    for (Tensor t : params.values()) snapshot[i++] = t.data().clone();
    // toGraph(): the engine's current weights (graph keeps the ones it was compiled with)
    Graph g = hasFoldableBatchNorm ? BatchNormFolding.fold(toGraph()) : toGraph();
    Float32Inference program = Float32Inference.compile(g);
    fast = new FastPath(program, snapshot);
    return program;
  }

  private boolean sameWeights(double[][] snapshot) {
    int i = 0;
    for (Tensor t : params.values()) if (!Arrays.equals(t.data(), snapshot[i++])) return false;
    return true;
  }

  public Pass forward(Tensor input, boolean training, boolean retain) {
    return forward(Map.of(graph.input().name(), input), training, retain);
  }

  /**
   * A forward pass. {@code training} makes BatchNorm use (and update) batch statistics;
   * {@code retain} keeps what backward and Hessian-vector products need.
   */
  public Pass forward(Map<String, Tensor> inputs, boolean training, boolean retain) {
    Map<String, Tensor> values = new LinkedHashMap<>(params);
    for (var in : graph.inputs()) {
      Tensor t = inputs.get(in.name());
      if (t == null) throw new EngineException("graph " + graph.name() + ": no value given for input '" + in.name() + "'");
      checkInputShape(in.name(), in.shape(), t.shape());
      values.put(in.name(), t);
    }
    NodeState[] states = new NodeState[kernels.size()];
    for (int i = 0; i < kernels.size(); i++) {
      Kernel k = kernels.get(i);
      states[i] = new NodeState(training, retain);
      long t0 = PROFILE ? System.nanoTime() : 0;
      Tensor y = k.forward(gather(values, k.node), states[i]);
      if (PROFILE) System.err.printf("forward %-12s %8.2f ms%n", k.node.name(), (System.nanoTime() - t0) / 1e6);
      values.put(k.node.output(), y);
    }
    return new Pass(this, values, states);
  }

  private static void checkInputShape(String name, int[] declared, int[] actual) {
    boolean ok = declared.length == actual.length;
    for (int i = 0; ok && i < declared.length; i++) ok = declared[i] < 0 || declared[i] == actual[i];
    if (!ok) {
      throw new EngineException("input '" + name + "' has shape " + Arrays.toString(actual) + ", the model expects "
          + Arrays.toString(declared) + " (-1: any size)");
    }
  }

  static Tensor[] gather(Map<String, Tensor> values, Node n) {
    Tensor[] in = new Tensor[n.inputs().size()];
    for (int i = 0; i < in.length; i++) in[i] = n.hasInput(i) ? values.get(n.input(i)) : null;
    return in;
  }

  List<Kernel> kernels() {
    return kernels;
  }

  boolean isBuffer(String name) {
    return buffers.contains(name);
  }
}
