package io.edgeamp.core.bench;

import io.edgeamp.core.engine.BatchNormFolding;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.HessianVectorProduct;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.engine.Pass;
import io.edgeamp.core.train.Trainer;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeamp.core.onnx.OnnxExporter;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Times the float engine on a zoo model: forward, backward, one Hessian-vector product per layer and
 * one for the whole network, each the median of repeated runs after warm-up.
 */
public final class EngineBenchmark {
  private EngineBenchmark() {}

  /** Median wall time of {@code runs} calls after {@code warmup} calls, in ms. */
  public static double medianMs(int warmup, int runs, Runnable r) {
    for (int i = 0; i < warmup; i++) r.run();
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    java.util.Arrays.sort(t);
    return t[runs / 2];
  }

  public static Tensor randomInput(long seed, int... shape) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(shape);
    double[] d = t.data();
    for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
    return t;
  }

  /** ONNX Runtime's forward time on the same model and batch (float32, all cores), in ms. */
  public static double onnxRuntimeForwardMs(Graph g, Tensor x, int runs) {
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
        opts.setIntraOpNumThreads(Runtime.getRuntime().availableProcessors());
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession s = env.createSession(OnnxExporter.toBytes(g), opts);
            OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), Arrays.stream(x.shape()).asLongStream().toArray())) {
          Map<String, OnnxTensor> feed = Map.of(g.input().name(), in);
          return medianMs(5, runs, () -> {
            try (OrtSession.Result r = s.run(feed)) {
              // results are closed immediately; only the time counts
            } catch (OrtException ex) {
              throw new IllegalStateException(ex);
            }
          });
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not run " + g.name() + ": " + e.getMessage(), e);
    }
  }

  /** Results keyed by a figure's name, in ms. */
  public static Map<String, Double> run(String model, int batch, int channels, int frame, int runs, PrintStream out) {
    Graph g = ModelZoo.build(model, channels, frame, 1, 1);
    FloatEngine e = FloatEngine.compile(g);
    Tensor x = randomInput(1, batch, channels, frame, 1);
    Tensor t = randomInput(2, batch, 1);
    Map<String, Double> res = new LinkedHashMap<>();
    res.put("forward", medianMs(10, runs, () -> e.run(x)));
    res.put("ONNX Runtime forward (float32)", onnxRuntimeForwardMs(g, x, runs));
    Pass[] holder = new Pass[1];
    res.put("forward (training, retained)", medianMs(3, runs, () -> holder[0] = e.forward(x, true, true)));
    Tensor grad = Loss.MSE.gradient(holder[0].output(), t);
    res.put("backward", medianMs(3, runs, () -> holder[0].backward(grad)));

    FloatEngine folded = FloatEngine.compile(BatchNormFolding.fold(g));
    HessianVectorProduct hvp = new HessianVectorProduct(folded, x, t, Loss.MSE);
    List<String> layers = new ArrayList<>();
    for (Node n : folded.graph().nodes()) if (n.op() instanceof Op.Conv || n.op() instanceof Op.Gemm) layers.add(n.input(1));
    Map<String, Tensor> all = new HashMap<>();
    for (String p : folded.trainableNames()) all.put(p, randomInput(3, folded.parameters().get(p).shape()));
    for (String w : layers) {
      Map<String, Tensor> v = Map.of(w, all.get(w));
      res.put("HVP " + w, medianMs(2, runs, () -> hvp.apply(v, Set.of(w))));
    }
    res.put("HVP whole network", medianMs(2, runs, () -> hvp.apply(all)));
    if (out != null) {
      out.printf("%s, batch %d, input %dx%d, %d cores: forward is the float32 inference path, the training pass, backward and%n"
          + "Hessian-vector products run in double precision%n", model, batch, channels, frame, Runtime.getRuntime().availableProcessors());
      res.forEach((k, v) -> out.printf("  %-34s %9.2f ms%n", k, v));
      out.printf("  %-34s %9.2f x  (goal <= 2)%n", "forward / ONNX Runtime", res.get("forward") / res.get("ONNX Runtime forward (float32)"));
      out.printf("  %-34s %9.2f ms (goal <= 150)%n", "whole-network HVP", res.get("HVP whole network"));
    }
    return res;
  }

  /** Seconds per training epoch of {@code model} on a dataset's training split (Adam, batch 128), median of {@code epochs}. */
  public static double trainingEpochSeconds(io.edgeamp.core.data.Dataset d, String model, int epochs) {
    Graph g = ModelZoo.build(model, d.inputShape()[0], d.inputShape()[1], io.edgeamp.core.train.TrainedModel.outputsFor(d), 1);
    FloatEngine e = FloatEngine.compile(g);
    var cfg = io.edgeamp.core.train.TrainingConfig.defaults().withEpochs(epochs).withPatience(epochs);
    var r = io.edgeamp.core.train.Trainer.train(e, d.train().inputs(), d.train().targets(), d.val().inputs(), d.val().targets(),
        io.edgeamp.core.metrics.TaskEvaluation.lossFor(d.task()), cfg, null);
    // The epoch time includes the validation pass, as a user sees it.
    double[] t = r.history().stream().mapToDouble(Trainer.EpochStats::seconds).sorted().toArray();
    return t[t.length / 2];
  }
}
