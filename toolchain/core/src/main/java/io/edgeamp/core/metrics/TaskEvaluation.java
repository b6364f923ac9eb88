package io.edgeamp.core.metrics;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Split;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.engine.Loss;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.train.Batches;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The task's loss and metrics, as Tensorlab reports them: regression R^2 (and MSE, MAE in target
 * units), classification accuracy, forecasting SMAPE in target units, anomaly detection the
 * reconstruction MSE of normal windows (and ROC AUC where the split holds anomalies).
 *
 * <p>The model is given as a function from an input batch to outputs, so the same evaluation serves
 * the float engine, fake-quantized models and, later, the device twin.
 */
public final class TaskEvaluation {
  private TaskEvaluation() {}

  public static Loss lossFor(Task task) {
    return task == Task.CLASSIFICATION ? Loss.CROSS_ENTROPY : Loss.MSE;
  }

  /** The metric the budget search holds within tolerance, by task. */
  public static String primaryMetric(Task task) {
    return switch (task) {
      case REGRESSION -> "r2";
      case CLASSIFICATION -> "accuracy";
      case FORECASTING -> "smape";
      case ANOMALY -> "reconstruction_mse";
    };
  }

  /** Runs the model over the split in chunks and concatenates the outputs. */
  public static Tensor predict(Function<Tensor, Tensor> model, Tensor inputs, int chunk) {
    int n = inputs.dim(0);
    double[] out = null;
    int[] shape = null;
    int per = 0;
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      Tensor y = model.apply(Batches.slice(inputs, from, to));
      if (out == null) {
        per = y.size() / (to - from);
        out = new double[n * per];
        shape = y.shape();
        shape[0] = n;
      }
      System.arraycopy(y.data(), 0, out, from * per, y.size());
    }
    return out == null ? Tensor.zeros(0) : new Tensor(shape, out);
  }

  /** All metrics of the task on a split, keyed by name. */
  public static Map<String, Double> evaluate(Function<Tensor, Tensor> model, Dataset data, Split split) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (split.isEmpty()) return m;
    Tensor pred = predict(model, split.inputs(), 256);
    Tensor target = split.targets();
    switch (data.task()) {
      case REGRESSION -> {
        m.put("r2", Metrics.r2(pred, target));
        Tensor p = data.normalization().denormalizeTargets(pred), t = data.normalization().denormalizeTargets(target);
        m.put("mse", Metrics.mse(p, t));
        m.put("mae", Metrics.mae(p, t));
      }
      case CLASSIFICATION -> {
        m.put("accuracy", Metrics.accuracy(pred, target));
        m.put("cross_entropy", Loss.CROSS_ENTROPY.value(pred, target));
      }
      case FORECASTING -> {
        Tensor p = data.normalization().denormalizeTargets(pred), t = data.normalization().denormalizeTargets(target);
        m.put("smape", Metrics.smapePercent(p, t));
        m.put("mse", Metrics.mse(p, t));
        m.put("r2", Metrics.r2(p, t));
      }
      case ANOMALY -> {
        double[] err = Metrics.reconstructionErrors(pred, split.inputs());
        double normal = 0;
        int count = 0;
        int[] labels = split.hasLabels() ? split.labels() : new int[err.length];
        for (int i = 0; i < err.length; i++) {
          if (labels[i] == 0) {
            normal += err[i];
            count++;
          }
        }
        m.put("reconstruction_mse", count == 0 ? Double.NaN : normal / count);
        // only where both kinds of window are present: a split of normal windows alone (validation) has no AUC
        double auc = split.hasLabels() ? Metrics.rocAuc(err, labels) : Double.NaN;
        if (!Double.isNaN(auc)) m.put("roc_auc", auc);
      }
    }
    return m;
  }

  /** True if {@code candidate} is better than or equal to {@code reference} for the primary metric. */
  public static boolean higherIsBetter(String metric) {
    return metric.equals("r2") || metric.equals("accuracy") || metric.equals("roc_auc");
  }
}
