package io.edgeamp.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 inference fast path ({@link Float32Inference}) against the double engine's inference
 * on random inputs: every op and attribute variant it supports, fused and unfused activations, the
 * zoo models, batches that split into chunks with a remainder, graphs that mix samples (one chunk),
 * weight changes (the cached program is rebuilt), and the fallback to double.
 */
class Float32InferenceTest {

  /** Max abs error allowed, relative to the double output's largest magnitude. */
  private static final double TOLERANCE = 1e-4;

  record Case(String name, Graph graph, int[] perSample) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Tensor random(Random r, int... shape) {
    return TestModels.random(r, shape);
  }

  /** A graph of one node on input x [-1, perSample...] (and more inputs or initializers set by extra). */
  private static Graph single(String name, Op op, int[] perSample, Consumer<Graph.Builder> extra, String... inputs) {
    int[] decl = new int[perSample.length + 1];
    decl[0] = -1;
    System.arraycopy(perSample, 0, decl, 1, perSample.length);
    Graph.Builder b = Graph.builder(name).input("x", decl);
    extra.accept(b);
    List<String> in = new ArrayList<>(List.of("x"));
    in.addAll(List.of(inputs));
    b.node("n", op, in, "y");
    b.output("y");
    return b.build();
  }

  private static Op.Conv conv(int[] k, int[] s, int[] pb, int[] pe, int[] d, int group) {
    return new Op.Conv(k, s, pb, pe, d, group);
  }

  private static Consumer<Graph.Builder> weights(long seed, int[] w, int bias) {
    return b -> {
      Random r = new Random(seed);
      b.initializer("w", random(r, w));
      if (bias > 0) b.initializer("b", random(r, bias));
    };
  }

  static Stream<Arguments> ops() {
    List<Case> cs = new ArrayList<>();
    // Conv: 1-D and (k,1) 2-D as in the zoo, strides, asymmetric pads, dilation, groups, depthwise, pointwise, no bias
    cs.add(new Case("conv 1-D k3 s1 p1", single("c", conv(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 1),
        new int[] {3, 20}, weights(1, new int[] {5, 3, 3}, 5), "w", "b"), new int[] {3, 20}));
    cs.add(new Case("conv (3,1) s2 p1 (zoo)", single("c", conv(new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {1, 1}, 1),
        new int[] {6, 64, 1}, weights(2, new int[] {16, 6, 3, 1}, 16), "w", "b"), new int[] {6, 64, 1}));
    cs.add(new Case("conv 1-D s3 dilation 2 pads 2/1", single("c", conv(new int[] {3}, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {2}, 1),
        new int[] {4, 31}, weights(3, new int[] {7, 4, 3}, 7), "w", "b"), new int[] {4, 31}));
    cs.add(new Case("conv 1-D groups 2, no bias", single("c", conv(new int[] {5}, new int[] {1}, new int[] {2}, new int[] {2}, new int[] {1}, 2),
        new int[] {4, 40}, weights(4, new int[] {6, 2, 5}, 0), "w"), new int[] {4, 40}));
    cs.add(new Case("conv 1-D depthwise s1", single("c", conv(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 8),
        new int[] {8, 50}, weights(5, new int[] {8, 1, 3}, 8), "w", "b"), new int[] {8, 50}));
    cs.add(new Case("conv (5,1) depthwise s2 dilation 2", single("c", conv(new int[] {5, 1}, new int[] {2, 1}, new int[] {4, 0}, new int[] {3, 0}, new int[] {2, 1}, 4),
        new int[] {4, 37, 1}, weights(6, new int[] {4, 1, 5, 1}, 4), "w", "b"), new int[] {4, 37, 1}));
    cs.add(new Case("conv 2-D 3x3 depthwise", single("c", conv(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 3),
        new int[] {3, 9, 21}, weights(7, new int[] {3, 1, 3, 3}, 3), "w", "b"), new int[] {3, 9, 21}));
    cs.add(new Case("conv 2-D 3x2 s(1,2) pads 1/0 0/1", single("c", conv(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}, new int[] {0, 1}, new int[] {1, 1}, 1),
        new int[] {3, 7, 9}, weights(8, new int[] {5, 3, 3, 2}, 5), "w", "b"), new int[] {3, 7, 9}));
    cs.add(new Case("conv 2-D 3x3 s2 dilation (2,1) groups 3", single("c", conv(new int[] {3, 3}, new int[] {2, 2}, new int[] {2, 1}, new int[] {2, 1}, new int[] {2, 1}, 3),
        new int[] {6, 12, 11}, weights(9, new int[] {9, 2, 3, 3}, 9), "w", "b"), new int[] {6, 12, 11}));
    cs.add(new Case("conv 1x1 pointwise", single("c", conv(new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {1, 1}, 1),
        new int[] {5, 6, 7}, weights(10, new int[] {37, 5, 1, 1}, 37), "w", "b"), new int[] {5, 6, 7}));
    // Gemm / MatMul
    cs.add(new Case("gemm transB + bias (Linear)", single("g", new Op.Gemm(1, 1, false, true), new int[] {19},
        weights(11, new int[] {37, 19}, 37), "w", "b"), new int[] {19}));
    cs.add(new Case("gemm alpha 0.5 beta 2, bias [1,N]", single("g", new Op.Gemm(0.5, 2, false, false), new int[] {7},
        b -> {
          Random r = new Random(12);
          b.initializer("w", random(r, 7, 5));
          b.initializer("b", random(r, 1, 5));
        }, "w", "b"), new int[] {7}));
    cs.add(new Case("gemm no bias", single("g", new Op.Gemm(1, 1, false, false), new int[] {33},
        weights(13, new int[] {33, 40}, 0), "w"), new int[] {33}));
    cs.add(new Case("gemm transA, fixed batch (mixes samples)", Graph.builder("ta").input("x", 5, 6)
        .initializer("w", random(new Random(14), 5, 4)).node("g", new Op.Gemm(1, 1, true, false), List.of("x", "w"), "y").output("y").build(),
        new int[] {6}));
    cs.add(new Case("matmul rank 3", single("m", new Op.MatMul(), new int[] {4, 9},
        b -> b.initializer("w", random(new Random(15), 9, 18)), "w"), new int[] {4, 9}));
    // Activations
    cs.add(new Case("relu", single("a", new Op.Relu(), new int[] {3, 37}, b -> {}), new int[] {3, 37}));
    cs.add(new Case("clip", single("a", new Op.Clip(-0.5, 0.7), new int[] {3, 37}, b -> {}), new int[] {3, 37}));
    cs.add(new Case("leaky relu", single("a", new Op.LeakyRelu(0.1), new int[] {3, 37}, b -> {}), new int[] {3, 37}));
    cs.add(new Case("sigmoid", single("a", new Op.Sigmoid(), new int[] {3, 37}, b -> {}), new int[] {3, 37}));
    cs.add(new Case("tanh", single("a", new Op.Tanh(), new int[] {3, 37}, b -> {}), new int[] {3, 37}));
    // Pools
    cs.add(new Case("maxpool (3,1) s1 p1 (zoo)", single("p", new Op.MaxPool(new int[] {3, 1}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 0}, false),
        new int[] {4, 45, 1}, b -> {}), new int[] {4, 45, 1}));
    cs.add(new Case("maxpool 1-D k3 s2 ceil", single("p", new Op.MaxPool(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {0}, true),
        new int[] {4, 20}, b -> {}), new int[] {4, 20}));
    cs.add(new Case("maxpool 2-D 3x2 s(2,1) pads", single("p", new Op.MaxPool(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 0}, false),
        new int[] {3, 9, 8}, b -> {}), new int[] {3, 9, 8}));
    cs.add(new Case("avgpool 2-D 2x2 s2", single("p", new Op.AveragePool(new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {0, 0}, false, false),
        new int[] {3, 8, 9}, b -> {}), new int[] {3, 8, 9}));
    cs.add(new Case("avgpool 1-D pads ceil include-pad", single("p", new Op.AveragePool(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true, true),
        new int[] {3, 18}, b -> {}), new int[] {3, 18}));
    cs.add(new Case("avgpool 1-D pads exclude-pad", single("p", new Op.AveragePool(new int[] {4}, new int[] {3}, new int[] {2}, new int[] {1}, false, false),
        new int[] {3, 18}, b -> {}), new int[] {3, 18}));
    cs.add(new Case("global average pool", single("p", new Op.GlobalAveragePool(), new int[] {5, 13, 3}, b -> {}), new int[] {5, 13, 3}));
    // BatchNorm (unfoldable: on the input)
    cs.add(new Case("batchnorm", single("bn", new Op.BatchNorm(1e-5, 0.9), new int[] {4, 21, 1}, b -> {
      Random r = new Random(16);
      b.initializer("g", random(r, 4));
      b.initializer("be", random(r, 4));
      b.initializer("m", random(r, 4));
      double[] v = new double[4];
      for (int i = 0; i < 4; i++) v[i] = 0.5 + r.nextDouble();
      b.initializer("v", new Tensor(new int[] {4}, v));
    }, "g", "be", "m", "v"), new int[] {4, 21, 1}));
    // Add / Mul with broadcasting
    cs.add(new Case("add per-channel", single("e", new Op.Add(), new int[] {3, 10}, b -> b.initializer("c", random(new Random(17), 3, 1)), "c"),
        new int[] {3, 10}));
    cs.add(new Case("mul same shape weight", single("e", new Op.Mul(), new int[] {3, 10}, b -> b.initializer("c", random(new Random(18), 1, 3, 10)), "c"),
        new int[] {3, 10}));
    cs.add(new Case("mul trailing broadcast", single("e", new Op.Mul(), new int[] {3, 10}, b -> b.initializer("c", random(new Random(19), 10)), "c"),
        new int[] {3, 10}));
    // Views, Concat, Softmax, Resize
    cs.add(new Case("flatten", single("f", new Op.Flatten(1), new int[] {3, 4, 5}, b -> {}), new int[] {3, 4, 5}));
    cs.add(new Case("reshape [0,-1]", single("f", new Op.Reshape(new long[] {0, -1}, false), new int[] {3, 4}, b -> {}), new int[] {3, 4}));
    cs.add(new Case("reshape [-1] (mixes samples)", single("f", new Op.Reshape(new long[] {-1}, false), new int[] {3, 4}, b -> {}), new int[] {3, 4}));
    cs.add(new Case("squeeze", single("f", new Op.Squeeze(List.of(3)), new int[] {3, 4, 1}, b -> {}), new int[] {3, 4, 1}));
    cs.add(new Case("unsqueeze", single("f", new Op.Unsqueeze(List.of(1)), new int[] {3, 4}, b -> {}), new int[] {3, 4}));
    cs.add(new Case("concat axis 1", single("k", new Op.Concat(1), new int[] {3, 4}, b -> {}, "x"), new int[] {3, 4}));
    cs.add(new Case("concat axis -1", single("k", new Op.Concat(-1), new int[] {3, 4}, b -> {}, "x", "x"), new int[] {3, 4}));
    cs.add(new Case("concat axis 0 (mixes samples)", single("k", new Op.Concat(0), new int[] {3, 4}, b -> {}, "x"), new int[] {3, 4}));
    cs.add(new Case("softmax last axis", single("s", new Op.Softmax(-1), new int[] {3, 7}, b -> {}), new int[] {3, 7}));
    cs.add(new Case("softmax axis 1 of 3", single("s", new Op.Softmax(1), new int[] {6, 4}, b -> {}), new int[] {6, 4}));
    cs.add(new Case("softmax axis 0 (mixes samples)", single("s", new Op.Softmax(0), new int[] {5}, b -> {}), new int[] {5}));
    cs.add(new Case("resize nearest 2x asymmetric floor", single("r", new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, 2, 1},
        Op.Resize.CoordinateMode.ASYMMETRIC, Op.Resize.NearestMode.FLOOR), new int[] {3, 7, 1}, b -> {}), new int[] {3, 7, 1}));
    cs.add(new Case("resize linear half-pixel 1.5x2", single("r", new Op.Resize(Op.Resize.Mode.LINEAR, new double[] {1, 1, 1.5, 2},
        Op.Resize.CoordinateMode.HALF_PIXEL, Op.Resize.NearestMode.ROUND_PREFER_FLOOR), new int[] {2, 6, 5}, b -> {}), new int[] {2, 6, 5}));
    cs.add(new Case("resize nearest align-corners round", single("r", new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, 3},
        Op.Resize.CoordinateMode.ALIGN_CORNERS, Op.Resize.NearestMode.ROUND_PREFER_CEIL), new int[] {2, 5}, b -> {}), new int[] {2, 5}));
    return cs.stream().map(Arguments::of);
  }

  /** Fused epilogues and multi-node graphs. */
  static Stream<Arguments> graphs() {
    List<Case> cs = new ArrayList<>();
    for (Op act : List.of(new Op.Relu(), new Op.Clip(0, 6), new Op.Clip(-0.3, 0.4), new Op.LeakyRelu(0.2))) {
      Random r = new Random(21);
      Graph g = Graph.builder("conv+" + act.onnxType()).input("x", -1, 3, 30, 1)
          .initializer("w", random(r, 8, 3, 3, 1)).initializer("b", random(r, 8))
          .initializer("fw", random(r, 5, 8 * 15)).initializer("fb", random(r, 5))
          .node("c", conv(new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {1, 1}, 1), List.of("x", "w", "b"), "h")
          .node("a", act, List.of("h"), "h2")
          .node("f", new Op.Flatten(1), List.of("h2"), "h3")
          .node("fc", new Op.Gemm(1, 1, false, true), List.of("h3", "fw", "fb"), "h4")
          .node("a2", act, List.of("h4"), "y")
          .output("y").build();
      cs.add(new Case("conv and gemm with fused " + act, g, new int[] {3, 30, 1}));
    }
    Random r = new Random(22);
    Graph twice = Graph.builder("conv read twice").input("x", -1, 2, 12)
        .initializer("w", random(r, 4, 2, 3))
        .node("c", conv(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 1), List.of("x", "w"), "h")
        .node("a", new Op.Relu(), List.of("h"), "h2")
        .node("s", new Op.Add(), List.of("h", "h2"), "y")
        .output("y").build();
    cs.add(new Case("conv read twice (relu not fused)", twice, new int[] {2, 12}));
    Graph twoInputs = Graph.builder("matmul of two activations").input("x", -1, 4).input("z", 4, 3)
        .node("m", new Op.MatMul(), List.of("x", "z"), "h")
        .node("t", new Op.Tanh(), List.of("h"), "y")
        .output("y").build();
    cs.add(new Case("matmul with an activation right operand", twoInputs, new int[] {4}));
    // max pools and BatchNorms fused into the phase split of the conv that reads them
    for (int[] cfg : new int[][] {{1, 1, 1}, {2, 1, 1}, {3, 2, 3}}) {
      int stride = cfg[0], dil = cfg[1], poolK = cfg[2] + 2;
      Random q = new Random(30 + stride);
      double[] var = new double[3];
      for (int i = 0; i < 3; i++) var[i] = 0.5 + q.nextDouble();
      Graph g = Graph.builder("fused inputs s" + stride).input("x", -1, 3, 41)
          .initializer("g", random(q, 3)).initializer("be", random(q, 3)).initializer("m", random(q, 3))
          .initializer("v", new Tensor(new int[] {3}, var))
          .initializer("w1", random(q, 5, 3, 3)).initializer("b1", random(q, 5))
          .initializer("w2", random(q, 4, 5, 3)).initializer("b2", random(q, 4))
          .node("bn", new Op.BatchNorm(1e-3, 0.9), List.of("x", "g", "be", "m", "v"), "h0")
          .node("c1", conv(new int[] {3}, new int[] {stride}, new int[] {2}, new int[] {1}, new int[] {dil}, 1), List.of("h0", "w1", "b1"), "h1")
          .node("r", new Op.Relu(), List.of("h1"), "h2")
          .node("p", new Op.MaxPool(new int[] {poolK}, new int[] {1}, new int[] {2}, new int[] {poolK - 3}, false), List.of("h2"), "h3")
          .node("c2", conv(new int[] {3}, new int[] {stride}, new int[] {1}, new int[] {1}, new int[] {dil}, 1), List.of("h3", "w2", "b2"), "y")
          .output("y").build();
      cs.add(new Case("batchnorm and max pool fused into convs, stride " + stride + " dilation " + dil + " pool " + poolK, g, new int[] {3, 41}));
    }
    Random q = new Random(40);
    Graph poolTwice = Graph.builder("pool read twice").input("x", -1, 2, 20, 1)
        .initializer("w", random(q, 3, 2, 3, 1))
        .node("p", new Op.MaxPool(new int[] {3, 1}, new int[] {1, 1}, new int[] {1, 0}, new int[] {1, 0}, false), List.of("x"), "h")
        .node("c", conv(new int[] {3, 1}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 0}, new int[] {1, 1}, 1), List.of("h", "w"), "h2")
        .node("f", new Op.Flatten(1), List.of("h"), "h3")
        .node("f2", new Op.Flatten(1), List.of("h2"), "h4")
        .node("k", new Op.Concat(1), List.of("h3", "h4"), "y")
        .output("y").build();
    cs.add(new Case("max pool read twice (not fused)", poolTwice, new int[] {2, 20, 1}));
    cs.add(new Case("TestModels.convRegressor", TestModels.convRegressor(), new int[] {3, 16, 1}));
    cs.add(new Case("TestModels.smoothClassifier", TestModels.smoothClassifier(), new int[] {4, 7, 6}));
    cs.add(new Case("TestModels.branching", TestModels.branching(), new int[] {2, 9}));
    for (String zoo : ModelZoo.NAMES) {
      cs.add(new Case("zoo " + zoo, TestModels.perturbBatchNorm(ModelZoo.build(zoo, 6, 64, 3, 5), 9), new int[] {6, 64, 1}));
    }
    return cs.stream().map(Arguments::of);
  }

  private static Map<String, Tensor> inputs(Graph g, int batch, int[] perSample, long seed) {
    Random r = new Random(seed);
    Map<String, Tensor> in = new java.util.LinkedHashMap<>();
    for (var vi : g.inputs()) {
      int[] s;
      if (vi.shape()[0] < 0) {
        s = new int[perSample.length + 1];
        s[0] = batch;
        System.arraycopy(perSample, 0, s, 1, perSample.length);
      } else {
        s = vi.shape();
      }
      in.put(vi.name(), random(r, s));
    }
    return in;
  }

  private static void assertMatchesDouble(Case c, int batch) {
    Map<String, Tensor> in = inputs(c.graph, batch, c.perSample, batch * 31L + c.name.hashCode());
    FloatEngine e = FloatEngine.compile(c.graph);
    Map<String, Tensor> want = e.runDouble(in);
    Float32Inference fast = Float32Inference.compile(BatchNormFolding.fold(c.graph));
    assertNotNull(fast, c.name + ": the fast path should support this graph");
    Map<String, Tensor> got = fast.run(in);
    assertNotNull(got, c.name + ": the fast path refused batch " + batch);
    assertClose(want, got, c.name + ", batch " + batch);
    // FloatEngine.run takes the same path
    assertClose(want, e.run(in), c.name + ", batch " + batch + " via FloatEngine.run");
  }

  static void assertClose(Map<String, Tensor> want, Map<String, Tensor> got, String what) {
    assertEquals(want.keySet(), got.keySet(), what);
    for (var e : want.entrySet()) {
      Tensor w = e.getValue(), g = got.get(e.getKey());
      assertArrayEquals(w.shape(), g.shape(), what + ": shape");
      double scale = Math.max(w.maxAbs(), 1e-30), worst = 0;
      for (int i = 0; i < w.size(); i++) worst = Math.max(worst, Math.abs(w.data()[i] - g.data()[i]));
      double err = worst;
      assertTrue(err <= TOLERANCE * scale, () -> what + ": max abs error " + err + " at scale " + scale);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void everyOpMatchesTheDoubleEngine(Case c) {
    for (int batch : new int[] {1, 2, 37}) {
      if (c.graph.input().shape()[0] >= 0 && batch != c.graph.input().shape()[0]) continue;
      assertMatchesDouble(c, batch);
    }
    if (c.graph.input().shape()[0] >= 0) assertMatchesDouble(c, c.graph.input().shape()[0]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphs")
  void graphsMatchTheDoubleEngine(Case c) {
    for (int batch : new int[] {1, 5, 70}) assertMatchesDouble(c, batch);
  }

  @Test
  void benchmarkShapeMatchesAndSamplesDoNotDependOnTheirChunk() {
    Graph g = TestModels.perturbBatchNorm(ModelZoo.build("REGR_13k", 6, 512, 1, 1), 3);
    Map<String, Tensor> in = inputs(g, 128, new int[] {6, 512, 1}, 4);
    FloatEngine e = FloatEngine.compile(g);
    Map<String, Tensor> want = e.runDouble(in);
    Map<String, Tensor> got = e.run(in);
    assertClose(want, got, "REGR_13k batch 128");
    // a sample's result is bit-identical whether it runs in a chunk of the batch or alone
    Tensor x = in.get("input");
    int per = 6 * 512;
    double[] y = got.get(g.output().name()).data();
    for (int s : new int[] {0, 17, 127}) {
      double[] one = java.util.Arrays.copyOfRange(x.data(), s * per, (s + 1) * per);
      double[] alone = e.run(new Tensor(new int[] {1, 6, 512, 1}, one)).data();
      assertEquals(y[s], alone[0], 0.0, "sample " + s);
    }
    // and repeated runs are identical
    assertArrayEquals(y, e.run(in).get(g.output().name()).data());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updateCases")
  void weightUpdatesAreSeenByTheNextRun(String name, Graph g) {
    FloatEngine e = FloatEngine.compile(g);
    Tensor x = random(new Random(5), 9, 3, 16, 1);
    Tensor before = e.run(x);
    // mutate every weight in place, as the optimiser and weight fake-quantization do
    for (String p : e.trainableNames()) {
      double[] w = e.parameters().get(p).data();
      for (int i = 0; i < w.length; i++) w[i] += 0.05 * (i % 3 - 1);
    }
    Tensor after = e.run(x);
    Tensor want = e.runDouble(Map.of(g.input().name(), x)).get(g.output().name());
    assertClose(Map.of("y", want), Map.of("y", after), name + " after the update");
    boolean changed = false;
    for (int i = 0; i < before.size(); i++) changed |= before.data()[i] != after.data()[i];
    assertTrue(changed, "the run after a weight update must use the new weights");
  }

  static Stream<Arguments> updateCases() {
    Graph g = TestModels.convRegressor();
    return Stream.of(Arguments.of("with BatchNorms to fold", g), Arguments.of("already folded", BatchNormFolding.fold(g)));
  }

  @Test
  void unsupportedCasesFallBackToTheDoubleEngine() {
    // conv weights computed at run time: planning refuses, FloatEngine.run gives the double result
    Random r = new Random(6);
    Graph g = Graph.builder("runtime weights").input("x", -1, 2, 10).input("w", 3, 2, 3)
        .node("c", conv(new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, new int[] {1}, 1), List.of("x", "w"), "y")
        .output("y").build();
    Map<String, Tensor> in = Map.of("x", random(r, 4, 2, 10), "w", random(r, 3, 2, 3));
    Float32Inference fast = Float32Inference.compile(g);
    assertNotNull(fast);
    assertNull(fast.run(in));
    FloatEngine e = FloatEngine.compile(g);
    assertArrayEquals(e.runDouble(in).get("y").data(), e.run(in).get("y").data());
    assertTrue(Float32Inference.supports(TestModels.convRegressor()));
    assertFalse(Float32Inference.supports(Graph.builder("two outputs").input("x", 1)
        .node(new io.edgeamp.core.ir.Node("n", new Op.Relu(), List.of("x"), List.of("y", "extra"))).output("y").build()));
  }
}
