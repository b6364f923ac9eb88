package io.edgeamp.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import io.edgeamp.core.zoo.NetworkBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Windows of noisy sines whose amplitude is the regression target. */
  private static Tensor[] amplitudeData(int n, long seed) {
    Random r = new Random(seed);
    int c = 2, len = 32;
    double[] x = new double[n * c * len], y = new double[n];
    for (int i = 0; i < n; i++) {
      double amp = 0.5 + r.nextDouble();
      double phase = r.nextDouble() * 6.28;
      y[i] = amp;
      for (int ch = 0; ch < c; ch++) {
        for (int t = 0; t < len; t++) x[(i * c + ch) * len + t] = amp * Math.sin(0.4 * t + phase + ch) + 0.05 * r.nextGaussian();
      }
    }
    return new Tensor[] {new Tensor(new int[] {n, c, len, 1}, x), new Tensor(new int[] {n, 1}, y)};
  }

  private static Graph smallRegressor() {
    return new NetworkBuilder("amp", 4, 2, 32, 1)
        .conv(8, 3, 1, 1, 1, 1, 0, 1, true).batchNorm().relu()
        .conv(8, 3, 1, 2, 1, 1, 0, 1, true).batchNorm().relu()
        .globalAveragePool().flatten().linear(8).relu().linear(1).build();
  }

  @Test
  void adamLearnsTheAmplitudeAndKeepsTheBestEpoch() {
    Tensor[] train = amplitudeData(256, 1), val = amplitudeData(64, 2);
    FloatEngine e = FloatEngine.compile(smallRegressor());
    double before = Trainer.evaluate(e, val[0], val[1], Loss.MSE, 64);
    double[] runningVarBefore = e.parameters().get("bn2.running_var").data().clone();
    Trainer.Result res = Trainer.train(e, train[0], train[1], val[0], val[1], Loss.MSE,
        TrainingConfig.defaults().withEpochs(40).withBatchSize(32).withLearningRate(3e-3), null);
    double after = Trainer.evaluate(e, val[0], val[1], Loss.MSE, 64);
    assertTrue(after < 0.1 * before, "validation MSE went from " + before + " to " + after);
    // The restored weights are the best epoch's: evaluating them gives the recorded best loss.
    assertEquals(res.bestValLoss(), after, 1e-12);
    assertNotEquals(runningVarBefore[0], e.parameters().get("bn2.running_var").data()[0], "BatchNorm running statistics were not updated");
  }

  @Test
  void sgdAlsoReducesTheLossAndEarlyStoppingStops() {
    Tensor[] train = amplitudeData(128, 3), val = amplitudeData(32, 4);
    FloatEngine e = FloatEngine.compile(smallRegressor());
    double before = Trainer.evaluate(e, val[0], val[1], Loss.MSE, 64);
    Trainer.Result res = Trainer.train(e, train[0], train[1], val[0], val[1], Loss.MSE,
        TrainingConfig.defaults().withOptimizer(TrainingConfig.Optimizer.SGD).withLearningRate(0.01).withEpochs(200).withPatience(3).withBatchSize(32), null);
    assertTrue(res.bestValLoss() < 0.5 * before, "SGD: " + before + " -> " + res.bestValLoss());
    assertTrue(res.stoppedEarly() && res.history().size() < 200, "early stopping never triggered in " + res.history().size() + " epochs");
    assertEquals(3, res.history().size() - res.bestEpoch());
  }

  @Test
  void classifierLearnsWithCrossEntropy() {
    Random r = new Random(5);
    int n = 192;
    double[] x = new double[n * 3 * 64], y = new double[n];
    for (int i = 0; i < n; i++) {
      int cls = i % 3;
      y[i] = cls;
      for (int ch = 0; ch < 3; ch++) for (int t = 0; t < 64; t++) x[(i * 3 + ch) * 64 + t] = Math.sin((cls + 1) * 0.3 * t + ch) + 0.3 * r.nextGaussian();
    }
    Tensor xt = new Tensor(new int[] {n, 3, 64, 1}, x), yt = new Tensor(new int[] {n}, y);
    FloatEngine e = FloatEngine.compile(ModelZoo.build("CLS_4k_NPU", 3, 64, 3, 1));
    Trainer.train(e, xt, yt, xt, yt, Loss.CROSS_ENTROPY, TrainingConfig.defaults().withEpochs(15).withBatchSize(32).withLearningRate(3e-3), null);
    Tensor out = e.run(xt);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int k = 1; k < 3; k++) if (out.data()[i * 3 + k] > out.data()[i * 3 + best]) best = k;
      if (best == (int) y[i]) correct++;
    }
    assertTrue(correct > 0.9 * n, "accuracy " + correct + "/" + n);
  }

  @Test
  void quantizationAwareTrainingBeatsPostTrainingQuantizationAtTwoBits() {
    Tensor[] train = amplitudeData(256, 11), val = amplitudeData(64, 12);
    FloatEngine e = FloatEngine.compile(io.edgeamp.core.engine.BatchNormFolding.fold(smallRegressor()));
    Trainer.train(e, train[0], train[1], val[0], val[1], Loss.MSE, TrainingConfig.defaults().withEpochs(30).withBatchSize(32).withLearningRate(3e-3), null);
    java.util.Map<String, WeightFakeQuant.Spec> specs = new java.util.HashMap<>();
    for (String w : e.trainableNames()) if (w.endsWith(".weight")) specs.put(w, new WeightFakeQuant.Spec(2, 0));
    WeightFakeQuant fq = new WeightFakeQuant(specs);
    fq.apply(e.parameters());
    double ptq = Trainer.evaluate(e, val[0], val[1], Loss.MSE, 64);
    fq.restore(e.parameters());
    Trainer.train(e, train[0], train[1], val[0], val[1], Loss.MSE, TrainingConfig.defaults().withEpochs(15).withBatchSize(32).withLearningRate(1e-3), null, fq);
    fq.apply(e.parameters());
    double qat = Trainer.evaluate(e, val[0], val[1], Loss.MSE, 64);
    fq.restore(e.parameters());
    assertTrue(qat < 0.5 * ptq, "2-bit validation MSE: post-training " + ptq + ", after QAT " + qat);
  }

  @Test
  void invalidSettingsAreRejectedWithTheirName() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withLearningRate(-1));
    assertTrue(ex.getMessage().contains("learning rate"));
  }
}
