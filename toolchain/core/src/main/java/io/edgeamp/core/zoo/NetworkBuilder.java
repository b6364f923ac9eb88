package io.edgeamp.core.zoo;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Shapes;
import io.edgeamp.core.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Builds a sequential network layer by layer, tracking the current value and its shape, with weights
 * initialised as PyTorch does (Kaiming-uniform weights, uniform biases in +-1/sqrt(fan_in); BatchNorm
 * scale 1, shift 0, running mean 0, variance 1), from a seeded generator so a zoo model is
 * reproducible. Shapes are per sample with a dynamic batch: [-1, C, H, W].
 */
public final class NetworkBuilder {
  private final Graph.Builder g;
  private final Random rng;
  private String current;
  private int[] shape; // including the batch dim (-1)
  private int counter;

  public NetworkBuilder(String name, long seed, int... inputShapeWithoutBatch) {
    this.g = Graph.builder(name);
    this.rng = new Random(seed);
    this.shape = prepend(-1, inputShapeWithoutBatch);
    this.current = "input";
    g.input(current, shape);
  }

  private static int[] prepend(int v, int[] rest) {
    int[] s = new int[rest.length + 1];
    s[0] = v;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int channels() {
    return shape[1];
  }

  public String current() {
    return current;
  }

  private String next(String kind) {
    return kind + (++counter);
  }

  private Tensor uniform(int[] s, double bound) {
    double[] d = new double[Shapes.size(s)];
    for (int i = 0; i < d.length; i++) d[i] = (rng.nextDouble() * 2 - 1) * bound;
    return new Tensor(s, d);
  }

  private void add(String name, Op op, List<String> inputs, int[] outShape) {
    String out = name + "_out";
    g.node(name, op, inputs, out);
    current = out;
    shape = outShape;
  }

  /** 2-D conv with kernel (kh, kw), stride (sh, sw), symmetric padding (ph, pw). */
  public NetworkBuilder conv(int outChannels, int kh, int kw, int sh, int sw, int ph, int pw, int group, boolean bias) {
    int cin = shape[1];
    String name = next("conv");
    int fanIn = cin / group * kh * kw;
    double bound = Math.sqrt(6.0 / ((1 + 5) * fanIn)); // kaiming_uniform_(a=sqrt(5)), PyTorch's default
    g.initializer(name + ".weight", uniform(new int[] {outChannels, cin / group, kh, kw}, bound));
    List<String> in = bias ? List.of(current, name + ".weight", name + ".bias") : List.of(current, name + ".weight");
    if (bias) g.initializer(name + ".bias", uniform(new int[] {outChannels}, 1 / Math.sqrt(fanIn)));
    int oh = (shape[2] + 2 * ph - kh) / sh + 1, ow = (shape[3] + 2 * pw - kw) / sw + 1;
    add(name, new Op.Conv(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {ph, pw}, new int[] {1, 1}, group),
        in, new int[] {-1, outChannels, oh, ow});
    return this;
  }

  public NetworkBuilder batchNorm() {
    int c = shape[1];
    String name = next("bn");
    double[] ones = new double[c];
    Arrays.fill(ones, 1);
    g.initializer(name + ".weight", new Tensor(new int[] {c}, ones.clone()));
    g.initializer(name + ".bias", Tensor.zeros(c));
    g.initializer(name + ".running_mean", Tensor.zeros(c));
    g.initializer(name + ".running_var", new Tensor(new int[] {c}, ones.clone()));
    add(name, new Op.BatchNorm(1e-5, 0.9),
        List.of(current, name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var"), shape);
    return this;
  }

  public NetworkBuilder relu() {
    add(next("relu"), new Op.Relu(), List.of(current), shape);
    return this;
  }

  public NetworkBuilder activation(Op op) {
    add(next(op.onnxType().toLowerCase()), op, List.of(current), shape);
    return this;
  }

  public NetworkBuilder maxPool(int kh, int kw, int sh, int sw, int ph, int pw) {
    int oh = (shape[2] + 2 * ph - kh) / sh + 1, ow = (shape[3] + 2 * pw - kw) / sw + 1;
    add(next("maxpool"), new Op.MaxPool(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {ph, pw}, false),
        List.of(current), new int[] {-1, shape[1], oh, ow});
    return this;
  }

  public NetworkBuilder avgPool(int kh, int kw, int sh, int sw) {
    int oh = (shape[2] - kh) / sh + 1, ow = (shape[3] - kw) / sw + 1;
    add(next("avgpool"), new Op.AveragePool(new int[] {kh, kw}, new int[] {sh, sw}, new int[] {0, 0}, new int[] {0, 0}, false, false),
        List.of(current), new int[] {-1, shape[1], oh, ow});
    return this;
  }

  public NetworkBuilder globalAveragePool() {
    add(next("gap"), new Op.GlobalAveragePool(), List.of(current), new int[] {-1, shape[1], 1, 1});
    return this;
  }

  public NetworkBuilder flatten() {
    int features = 1;
    for (int i = 1; i < shape.length; i++) features *= shape[i];
    add(next("flatten"), new Op.Flatten(1), List.of(current), new int[] {-1, features});
    return this;
  }

  /** Fully connected layer as Gemm with transB (PyTorch's Linear layout: weight [out, in]). */
  public NetworkBuilder linear(int out) {
    int in = shape[1];
    String name = next("fc");
    double bound = 1 / Math.sqrt(in);
    g.initializer(name + ".weight", uniform(new int[] {out, in}, bound));
    g.initializer(name + ".bias", uniform(new int[] {out}, bound));
    add(name, new Op.Gemm(1, 1, false, true), List.of(current, name + ".weight", name + ".bias"), new int[] {-1, out});
    return this;
  }

  /** Reshape each sample to {@code perSample} (batch kept). */
  public NetworkBuilder reshape(int... perSample) {
    long[] spec = new long[perSample.length + 1];
    spec[0] = 0; // copy the batch dimension
    for (int i = 0; i < perSample.length; i++) spec[i + 1] = perSample[i];
    add(next("reshape"), new Op.Reshape(spec, false), List.of(current), prepend(-1, perSample));
    return this;
  }

  /** Nearest-neighbour upsampling of the spatial axes by integer factors. */
  public NetworkBuilder upsample(int fh, int fw) {
    add(next("resize"), new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, fh, fw}, Op.Resize.CoordinateMode.ASYMMETRIC,
        Op.Resize.NearestMode.FLOOR), List.of(current), new int[] {-1, shape[1], shape[2] * fh, shape[3] * fw});
    return this;
  }

  public NetworkBuilder metadata(String key, String value) {
    g.metadata(key, value);
    return this;
  }

  public Graph build() {
    g.clearOutputs();
    g.output(current, shape);
    return g.build();
  }
}
