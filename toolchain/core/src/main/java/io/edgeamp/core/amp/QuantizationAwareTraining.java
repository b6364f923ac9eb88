package io.edgeamp.core.amp;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.metrics.TaskEvaluation;
import io.edgeamp.core.train.Trainer;
import io.edgeamp.core.train.TrainingConfig;
import io.edgeamp.core.train.WeightFakeQuant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tunes a BatchNorm-folded graph with its NPU layers' weights fake-quantized at their chosen
 * widths (straight-through estimator), for when post-training quantization misses the tolerance.
 */
final class QuantizationAwareTraining {
  private QuantizationAwareTraining() {}

  static Graph fineTune(Graph folded, Dataset data, Map<String, Integer> bits, int epochs, long seed, MixedPrecisionQuantizer.Listener l) {
    FloatEngine e = FloatEngine.compile(folded);
    Map<String, WeightFakeQuant.Spec> specs = new HashMap<>();
    for (Node n : folded.nodes()) {
      Integer b = bits.get(n.name());
      if (b != null && b < 32 && folded.isInitializer(n.input(1))) specs.put(n.input(1), new WeightFakeQuant.Spec(b, WeightErrors.outputAxis(n)));
    }
    // A small learning rate: the weights start from a trained model and move only to absorb the rounding.
    TrainingConfig cfg = TrainingConfig.defaults().withEpochs(epochs).withLearningRate(3e-4).withPatience(Math.max(2, epochs)).withSeed(seed);
    Trainer.train(e, data.train().inputs(), data.train().targets(), data.val().inputs(), data.val().targets(), TaskEvaluation.lossFor(data.task()),
        cfg, new Trainer.Listener() {
          @Override
          public void epochDone(Trainer.EpochStats s) {
            l.detail(String.format(Locale.ROOT, "QAT epoch %d: train %.5f, val %.5f (weights quantized)", s.epoch(), s.trainLoss(), s.valLoss()));
          }
        }, new WeightFakeQuant(specs));
    return e.toGraph();
  }
}
