package io.edgeamp.core.train;

import io.edgeamp.core.engine.FloatEngine;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.engine.Pass;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mini-batch training of a {@link FloatEngine}'s weights (Adam or SGD with momentum), with early
 * stopping on the validation loss: the weights of the best epoch are restored at the end. An empty
 * validation split makes the training loss the selection criterion.
 */
public final class Trainer {
  private Trainer() {}

  /** One epoch's figures. */
  public record EpochStats(int epoch, double trainLoss, double valLoss, double seconds, boolean improved) {}

  /** The history, the best epoch (1-based) and its validation loss, and the wall time. */
  public record Result(List<EpochStats> history, int bestEpoch, double bestValLoss, double seconds, boolean stoppedEarly) {}

  /**
   * Quantization-aware training with a straight-through estimator: {@link #apply} replaces weights
   * by their quantized values for the forward and backward pass, {@link #restore} puts the float
   * master weights back before the optimizer applies the gradients (taken at the quantized point).
   */
  public interface WeightQuantizer {
    void apply(Map<String, Tensor> params);

    void restore(Map<String, Tensor> params);
  }

  /** Progress callbacks (a terminal progress bar, MQTT events...). */
  public interface Listener {
    default void batchDone(int epoch, int batch, int batches, double loss) {}

    default void epochDone(EpochStats stats) {}
  }

  public static Result train(FloatEngine engine, Tensor xTrain, Tensor yTrain, Tensor xVal, Tensor yVal, Loss loss,
      TrainingConfig cfg, Listener listener) {
    return train(engine, xTrain, yTrain, xVal, yVal, loss, cfg, listener, null);
  }

  /** As above; with {@code quantizer} non-null, quantization-aware (straight-through) training. */
  public static Result train(FloatEngine engine, Tensor xTrain, Tensor yTrain, Tensor xVal, Tensor yVal, Loss loss,
      TrainingConfig cfg, Listener listener, WeightQuantizer quantizer) {
    int n = xTrain.dim(0);
    if (n == 0) throw new IllegalArgumentException("the training split is empty");
    if (yTrain.dim(0) != n) throw new IllegalArgumentException("training inputs have " + n + " samples but targets " + yTrain.dim(0));
    List<String> names = engine.trainableNames();
    Map<String, Tensor> params = engine.parameters();
    Optimizer opt = cfg.optimizer() == TrainingConfig.Optimizer.ADAM ? new Adam(params, names, cfg) : new Sgd(params, names, cfg);
    Random rng = new Random(cfg.seed());
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;

    long start = System.nanoTime();
    List<EpochStats> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    Map<String, double[]> bestWeights = snapshot(params);
    int batches = (n + cfg.batchSize() - 1) / cfg.batchSize();
    boolean early = false;
    for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
      long t0 = System.nanoTime();
      shuffle(order, rng);
      double sum = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * cfg.batchSize(), to = Math.min(n, from + cfg.batchSize());
        // A batch of one sample gives BatchNorm no statistics to speak of; skip the remainder.
        if (to - from < 2 && batches > 1) continue;
        Tensor xb = Batches.rows(xTrain, order, from, to), yb = Batches.rows(yTrain, order, from, to);
        if (quantizer != null) quantizer.apply(params);
        Pass pass = engine.forward(xb, true, true);
        double l = loss.value(pass.output(), yb);
        if (!Double.isFinite(l)) {
          throw new IllegalStateException("training diverged at epoch " + epoch + " (loss " + l + "); lower the learning rate (now " + cfg.learningRate() + ")");
        }
        Map<String, Tensor> grads = pass.parameterGradients(loss.gradient(pass.output(), yb));
        if (quantizer != null) quantizer.restore(params);
        opt.step(grads);
        sum += l * (to - from);
        if (listener != null) listener.batchDone(epoch, b + 1, batches, l);
      }
      // With no validation windows (tiny datasets), model selection falls back to the training loss.
      if (quantizer != null) quantizer.apply(params);
      double val = xVal.dim(0) == 0 ? sum / n : evaluate(engine, xVal, yVal, loss, cfg.batchSize());
      if (quantizer != null) quantizer.restore(params);
      boolean improved = val < best;
      if (improved) {
        best = val;
        bestEpoch = epoch;
        bestWeights = snapshot(params);
      }
      EpochStats stats = new EpochStats(epoch, sum / n, val, (System.nanoTime() - t0) / 1e9, improved);
      history.add(stats);
      if (listener != null) listener.epochDone(stats);
      if (epoch - bestEpoch >= cfg.patience()) {
        early = true;
        break;
      }
    }
    restore(params, bestWeights);
    return new Result(history, bestEpoch, best, (System.nanoTime() - start) / 1e9, early);
  }

  /** Mean loss over a split in inference mode, evaluated in chunks. */
  public static double evaluate(FloatEngine engine, Tensor x, Tensor y, Loss loss, int chunk) {
    int n = x.dim(0);
    if (n == 0) return Double.NaN;
    double sum = 0;
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      Tensor out = engine.run(Batches.slice(x, from, to));
      sum += loss.value(out, Batches.slice(y, from, to)) * (to - from);
    }
    return sum / n;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static Map<String, double[]> snapshot(Map<String, Tensor> params) {
    Map<String, double[]> m = new HashMap<>();
    params.forEach((k, v) -> m.put(k, v.data().clone()));
    return m;
  }

  private static void restore(Map<String, Tensor> params, Map<String, double[]> saved) {
    saved.forEach((k, v) -> System.arraycopy(v, 0, params.get(k).data(), 0, v.length));
  }

  /** Updates weights in place from gradients. */
  private interface Optimizer {
    void step(Map<String, Tensor> grads);
  }

  /** Adam (Kingma and Ba) with bias correction and optional L2 weight decay, as torch.optim.Adam. */
  private static final class Adam implements Optimizer {
    private final Map<String, Tensor> params;
    private final List<String> names;
    private final TrainingConfig cfg;
    private final Map<String, double[]> m = new HashMap<>(), v = new HashMap<>();
    private int t;

    Adam(Map<String, Tensor> params, List<String> names, TrainingConfig cfg) {
      this.params = params;
      this.names = names;
      this.cfg = cfg;
      for (String n : names) {
        m.put(n, new double[params.get(n).size()]);
        v.put(n, new double[params.get(n).size()]);
      }
    }

    @Override
    public void step(Map<String, Tensor> grads) {
      t++;
      double b1 = 0.9, b2 = 0.999, eps = 1e-8;
      double c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
      for (String n : names) {
        double[] w = params.get(n).data(), g = grads.get(n).data(), mm = m.get(n), vv = v.get(n);
        for (int i = 0; i < w.length; i++) {
          double gi = g[i] + cfg.weightDecay() * w[i];
          mm[i] = b1 * mm[i] + (1 - b1) * gi;
          vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
          w[i] -= cfg.learningRate() * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + eps);
        }
      }
    }
  }

  /** SGD with momentum 0.9, as torch.optim.SGD(momentum=0.9). */
  private static final class Sgd implements Optimizer {
    private final Map<String, Tensor> params;
    private final List<String> names;
    private final TrainingConfig cfg;
    private final Map<String, double[]> velocity = new HashMap<>();

    Sgd(Map<String, Tensor> params, List<String> names, TrainingConfig cfg) {
      this.params = params;
      this.names = names;
      this.cfg = cfg;
      for (String n : names) velocity.put(n, new double[params.get(n).size()]);
    }

    @Override
    public void step(Map<String, Tensor> grads) {
      for (String n : names) {
        double[] w = params.get(n).data(), g = grads.get(n).data(), vel = velocity.get(n);
        for (int i = 0; i < w.length; i++) {
          vel[i] = 0.9 * vel[i] + g[i] + cfg.weightDecay() * w[i];
          w[i] -= cfg.learningRate() * vel[i];
        }
      }
    }
  }
}
