package io.edgeamp.codegen;

import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.ir.Graph;
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

  static QuantizedModel zooModel(String name, int outputs, int[] cycle, TargetSpec target) {
    return quantize(zoo(name, outputs, 5), cycle, target, CHANNELS, FRAME);
  }
}
