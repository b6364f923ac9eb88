package io.edgeamp.codegen;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.onnx.OnnxExporter;
import io.edgeamp.core.onnx.OnnxImporter;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Quantized models for the tests: zoo graphs with random weights and non-trivial BatchNorms, mixed bit widths. */
final class Fixtures {
  private Fixtures() {}

  static final int CHANNELS = 3, FRAME = 64;

  /** The repository root (where device-runtime/ and board-profiles/ are). */
  static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("device-runtime/include/edgeamp")) && Files.isDirectory(d.resolve("board-profiles"))) return d;
    }
    throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
  }

  static BoardProfile board(String id) {
    return Codegen.board(id, List.of(root().resolve("board-profiles")));
  }

  static Tensor gaussian(long seed, int... shape) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
    return t;
  }

  /** A zoo graph whose BatchNorm statistics are not the identity (so folding matters). */
  static Graph zoo(String name, int outputs, long seed) {
    Graph g = ModelZoo.build(name, CHANNELS, FRAME, outputs, seed);
    Random r = new Random(seed * 31 + 7);
    var b = g.toBuilder();
    for (var e : g.initializers().entrySet()) {
      String k = e.getKey();
      if (!k.startsWith("bn")) continue;
      double[] d = e.getValue().data().clone();
      for (int i = 0; i < d.length; i++) d[i] = k.endsWith("running_var") || k.endsWith("weight") ? 0.5 + r.nextDouble() : 0.3 * r.nextGaussian();
      b.initializer(k, new Tensor(e.getValue().shape(), d));
    }
    return b.build();
  }

  /** Folds, calibrates on N(0,1) inputs and quantizes with the weight layers' bits taken cyclically from {@code cycle}. */
  static QuantizedModel quantize(Graph g, int[] cycle, TargetSpec target, int channels, int frame) {
    Graph folded = BatchNormFolding.fold(g);
    QuantPlan plan = QuantPlan.of(folded);
    Calibration cal = Calibration.run(plan, gaussian(1, 48, channels, frame, 1));
    List<String> wl = plan.weightLayerNames();
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    return QuantizedModel.build(plan, cal, bits, target);
  }

  /**
   * A residual graph with a depthwise conv, a pointwise conv, an add of tensors at different scales,
   * average and max pooling, nearest upsampling, a standalone ReLU, global average pooling and a dense
   * head, written as ONNX with the core's exporter and imported back (the "imported ONNX model" case).
   */
  static Graph importedOnnx(Path dir) throws java.io.IOException {
    Random r = new Random(11);
    Graph.Builder b = Graph.builder("onnx_residual").input("x", -1, 4, 32, 1);
    b.initializer("w1", rand(r, 0.4, 8, 4, 3, 1)).initializer("b1", rand(r, 0.1, 8));
    b.initializer("wd", rand(r, 0.6, 8, 1, 3, 1)).initializer("bd", rand(r, 0.1, 8));
    b.initializer("w2", rand(r, 0.3, 8, 8, 1, 1));
    b.initializer("fc", rand(r, 0.1, 3, 8 * 8)).initializer("fcb", rand(r, 0.1, 3));
    int[] k3 = {3, 1}, s1 = {1, 1}, p1 = {1, 0}, p0 = {0, 0}, d1 = {1, 1};
    b.node("c1", new Op.Conv(k3, s1, p1, p1, d1, 1), List.of("x", "w1", "b1"), "c1_out");
    b.node("r1", new Op.Relu(), List.of("c1_out"), "r1_out");
    b.node("dw", new Op.Conv(k3, s1, p1, p1, d1, 8), List.of("r1_out", "wd", "bd"), "dw_out");
    b.node("pw", new Op.Conv(new int[] {1, 1}, s1, p0, p0, d1, 1), List.of("dw_out", "w2"), "pw_out");
    b.node("sum", new Op.Add(), List.of("pw_out", "r1_out"), "sum_out");
    b.node("avg", new Op.AveragePool(new int[] {4, 1}, new int[] {4, 1}, p0, p0, false, false), List.of("sum_out"), "avg_out");
    b.node("up", new Op.Resize(Op.Resize.Mode.NEAREST, new double[] {1, 1, 2, 1}, Op.Resize.CoordinateMode.ASYMMETRIC,
        Op.Resize.NearestMode.FLOOR), List.of("avg_out"), "up_out");
    b.node("mp", new Op.MaxPool(new int[] {2, 1}, new int[] {2, 1}, p0, p0, false), List.of("up_out"), "mp_out");
    b.node("act", new Op.Relu(), List.of("sum_out"), "act_out"); // sum_out has two readers: a standalone clamp
    b.node("gap", new Op.GlobalAveragePool(), List.of("act_out"), "gap_out");
    b.node("fl", new Op.Flatten(1), List.of("mp_out"), "fl_out");
    b.node("dense", new Op.Gemm(1, 1, false, true), List.of("fl_out", "fc", "fcb"), "y");
    b.output("y", -1, 3);
    b.node("tail", new Op.Flatten(1), List.of("gap_out"), "gap_flat"); // a dead branch still runs
    Path f = dir.resolve("residual.onnx");
    OnnxExporter.write(b.build(), f);
    return OnnxImporter.read(f);
  }

  /** A small network whose shapes suit TI's NPU (channels multiples of 4) except that both dense fan-ins are 12. */
  static Graph tiSmall() {
    return new io.edgeamp.core.zoo.NetworkBuilder("ti_small", 3, 4, 32, 1)
        .conv(8, 3, 1, 1, 1, 1, 0, 1, true).batchNorm().relu()
        .maxPool(2, 1, 2, 1, 0, 0)
        .conv(12, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten()
        .linear(12).relu()
        .linear(4)
        .build();
  }

  static Tensor rand(Random r, double scale, int... shape) {
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.data()[i] = scale * r.nextGaussian();
    return t;
  }

  static QuantizedModel zooModel(String name, int outputs, int[] cycle, TargetSpec target) {
    return quantize(zoo(name, outputs, 5), cycle, target, CHANNELS, FRAME);
  }
}
