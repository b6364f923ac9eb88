package io.edgeamp.core.train;

/**
 * Hyper-parameters of a training run. Defaults follow Tensorlab's: Adam, learning rate 1e-3,
 * batch 128, early stopping after 10 epochs without a better validation loss.
 */
public record TrainingConfig(Optimizer optimizer, double learningRate, int epochs, int batchSize, int patience, double weightDecay,
    long seed) {

  public enum Optimizer { ADAM, SGD }

  public TrainingConfig {
    if (learningRate <= 0 || !Double.isFinite(learningRate)) throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
    if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
    if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
  }

  public static TrainingConfig defaults() {
    return new TrainingConfig(Optimizer.ADAM, 1e-3, 30, 128, 10, 0, 1);
  }

  public TrainingConfig withEpochs(int e) {
    return new TrainingConfig(optimizer, learningRate, e, batchSize, patience, weightDecay, seed);
  }

  public TrainingConfig withLearningRate(double lr) {
    return new TrainingConfig(optimizer, lr, epochs, batchSize, patience, weightDecay, seed);
  }

  public TrainingConfig withBatchSize(int b) {
    return new TrainingConfig(optimizer, learningRate, epochs, b, patience, weightDecay, seed);
  }

  public TrainingConfig withOptimizer(Optimizer o) {
    return new TrainingConfig(o, learningRate, epochs, batchSize, patience, weightDecay, seed);
  }

  public TrainingConfig withPatience(int p) {
    return new TrainingConfig(optimizer, learningRate, epochs, batchSize, p, weightDecay, seed);
  }

  public TrainingConfig withSeed(long s) {
    return new TrainingConfig(optimizer, learningRate, epochs, batchSize, patience, weightDecay, s);
  }
}
