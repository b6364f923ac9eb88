package io.edgeamp.core.onnx;

import static io.edgeamp.core.onnx.OnnxModels.i;
import static io.edgeamp.core.onnx.OnnxModels.in;
import static io.edgeamp.core.onnx.OnnxModels.ints;
import static io.edgeamp.core.onnx.OnnxModels.out;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.amp.FloatModelFit;
import io.edgeamp.core.amp.MixedPrecisionQuantizer;
import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.train.TrainedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models as users export them, checked against a dataset before any work ({@link FloatModelFit}): a
 * PyTorch Conv1d classifier ([N, C, L] input, final Softmax) is adapted and quantizes, computing the
 * same classes; exports that cannot work are refused naming the input, output or node and the fix.
 */
class UserExportFitTest {
  @TempDir static Path dir;
  static Dataset data;
  static int c, len, classes;

  @BeforeAll
  static void classificationSet() {
    SyntheticDatasets.write(Task.CLASSIFICATION, dir, 3, 12);
    data = TrainedModel.load(dir, Task.CLASSIFICATION);
    c = data.inputShape()[0];
    len = data.inputShape()[1];
    classes = data.numClasses();
  }

  /** torch.nn.Sequential(Conv1d(c, 8, 5, padding=2), ReLU, MaxPool1d(2), AdaptiveAvgPool1d(1), Flatten, Linear(8, k)) [+ Softmax]. */
  static OnnxModels conv1d(long batch, int heads, boolean softmax) {
    OnnxModels m = OnnxModels.opset(17).input("input", batch, c, len).weight("w1", -0.3, 0.3, 8, c, 5).weight("b1", 8)
        .weight("w2", -0.5, 0.5, heads, 8).weight("b2", heads)
        .node("/conv/Conv", "Conv", in("input", "w1", "b1"), out("c1"), ints("kernel_shape", 5), ints("pads", 2, 2))
        .node("/relu/Relu", "Relu", in("c1"), out("r1"))
        .node("/pool/MaxPool", "MaxPool", in("r1"), out("p1"), ints("kernel_shape", 2), ints("strides", 2))
        .node("/gap/GlobalAveragePool", "GlobalAveragePool", in("p1"), out("g1"))
        .node("/flatten/Flatten", "Flatten", in("g1"), out("f1"), i("axis", 1))
        .node("/fc/Gemm", "Gemm", in("f1", "w2", "b2"), out(softmax ? "logits" : "output"), i("transB", 1));
    if (softmax) m.node("/softmax/Softmax", "Softmax", in("logits"), out("output"), i("axis", 1));
    return m.output("output");
  }

  @Test
  void aPytorchConv1dClassifierIsAdaptedAndQuantizes() throws Exception {
    Graph original = OnnxImporter.read(conv1d(-1, classes, true).bytes());
    FloatModelFit.Result fit = FloatModelFit.check(original, data);
    assertEquals(2, fit.notes().size(), fit.notes().toString());
    assertTrue(fit.notes().get(0).contains("Squeeze") && fit.notes().get(1).contains("Softmax"), fit.notes().toString());
    assertArrayEquals(new int[] {-1, c, len, 1}, fit.graph().input().shape());
    // the same classes: argmax of the adapted graph's logits on [N, C, L, 1] windows = argmax of the export on [N, C, L]
    Tensor x = data.train().batch(0, 16).inputs();
    Tensor probs = FloatEngine.compile(original).run(x.reshape(16, c, len));
    Tensor logits = FloatEngine.compile(fit.graph()).run(x);
    for (int n = 0; n < 16; n++) assertEquals(argmax(probs, n), argmax(logits, n), "window " + n);
    var r = MixedPrecisionQuantizer.run(fit.graph(), data, original.name(), MixedPrecisionQuantizer.Settings.defaults(Task.CLASSIFICATION), null)
        .report();
    assertTrue(Double.isFinite(r.chosenMetrics().get("accuracy")) && r.averageBits() >= 2, r.chosenMetrics().toString());
  }

  @Test
  void exportsThatCannotWorkAreNamedWithTheFix() throws Exception {
    String e = fails(conv1d(1, classes, false));
    assertTrue(e.contains("fixed batch of 1") && e.contains("dynamic_axes"), e);
    e = fails(conv1d(-1, classes + 2, false));
    assertTrue(e.contains("output 'output'") && e.contains("gives " + (classes + 2) + " values per window") && e.contains(classes + " classes"), e);
    OnnxModels two = conv1d(-1, classes, false).input("meta", -1, 2);
    e = fails(two);
    assertTrue(e.contains("2 inputs (input, meta)"), e);
    OnnxModels wrongLength = OnnxModels.opset(17).input("input", -1, c, len / 2).node("Relu", in("input"), out("output")).output("output");
    e = fails(wrongLength);
    assertTrue(e.contains("input 'input'") && e.contains("does not take the dataset's windows"), e);
    OnnxModels sigmoid = conv1d(-1, classes, false);
    sigmoid = OnnxModels.opset(17).input("input", -1, c, len, 1).node("/act/Sigmoid", "Sigmoid", in("input"), out("s"))
        .node("/gap/GlobalAveragePool", "GlobalAveragePool", in("s"), out("g")).node("/flatten/Flatten", "Flatten", in("g"), out("f"), i("axis", 1))
        .weight("w", classes, c).node("/fc/MatMul", "Gemm", in("f", "w"), out("output"), i("transB", 1)).output("output");
    e = fails(sigmoid);
    assertTrue(e.contains("/act/Sigmoid") && e.contains("no device kernel"), e);
  }

  private static String fails(OnnxModels m) throws Exception {
    Graph g = OnnxImporter.read(m.bytes());
    return assertThrows(IllegalArgumentException.class, () -> FloatModelFit.check(g, data)).getMessage();
  }

  private static int argmax(Tensor t, int n) {
    int k = t.dim(1), best = 0;
    for (int j = 1; j < k; j++) if (t.data()[n * k + j] > t.data()[n * k + best]) best = j;
    return best;
  }
}
