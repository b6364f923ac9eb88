package io.edgeamp.cli;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.DatasetException;
import io.edgeamp.core.data.DatasetLoader;
import io.edgeamp.core.data.DatasetSpec;
import io.edgeamp.core.data.Split;
import io.edgeamp.core.data.SyntheticDatasets;
import io.edgeamp.core.data.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code toolchain dataset}: make synthetic datasets and check real ones before training.
 *
 * <pre>
 *   toolchain dataset synth --task regression --out data/wm [--seed 42] [--files 54]
 *   toolchain dataset info data/wm [--task regression] [--frame-size 512 ...]
 * </pre>
 *
 * Bad data ends with exit code 2 (as for every command's bad input) and the loader's message (file, line, fix) on stderr.
 */
@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = "Synthetic datasets and dataset checks (TI Tiny ML Tensorlab layouts).",
    subcommands = {DatasetCommand.Synth.class, DatasetCommand.Info.class, CommandLine.HelpCommand.class})
public final class DatasetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** No subcommand: one line and the help hint, exit 2 (like every other mistake on the command line). */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "dataset needs a command: "
        + String.join(" or ", spec.subcommands().keySet().stream().filter(c -> !c.equals("help")).toList()));
  }

  /** Accepts our task names and Tensorlab's task_type names. */
  static final class TaskConverter implements CommandLine.ITypeConverter<Task> {
    @Override
    public Task convert(String value) {
      try {
        return Task.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Command(name = "synth", mixinStandardHelpOptions = true,
      description = "Write a physically plausible synthetic dataset for a task, in the Tensorlab layout.")
  static final class Synth implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--task", required = true, converter = TaskConverter.class,
        description = "classification (motor faults), regression (washing-machine load), "
            + "forecasting (building temperature) or anomaly (fan vibration).")
    Task task;

    @Option(names = "--out", required = true, description = "Output folder: new, empty, or an earlier synthetic dataset.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--files", defaultValue = "0",
        description = "Number of data files (default: per task, sized for about 3,000 training windows for regression).")
    int files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      SyntheticDatasets.Result r;
      try {
        r = SyntheticDatasets.write(task, out(), seed, files);
      } catch (DatasetException | IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      out.printf(Locale.ROOT, "Wrote synthetic %s dataset: %d files, %,d rows in %d ms to %s%n", r.task(), r.files(), r.rows(),
          r.elapsed().toMillis(), r.root());
      out.println("Sized for: " + describe(r.spec()));
      out.println("Check it with: toolchain dataset info " + r.root());
      return 0;
    }

    private Path out() {
      return out.toAbsolutePath().normalize();
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Load a dataset as training would and print its splits, shapes and statistics; "
          + "bad data is reported with file, line and a fix.")
  static final class Info implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Dataset folder (holds files/ or classes/).")
    Path dir;

    @Option(names = "--task", converter = TaskConverter.class,
        description = "Task; optional for a synthetic dataset, whose synth.json says it.")
    Task task;

    @Option(names = "--frame-size", description = "Rows per window (Tensorlab frame_size).")
    Integer frameSize;

    @Option(names = "--stride-size", description = "Stride as a fraction of the frame (Tensorlab stride_size).")
    Double strideSize;

    @Option(names = "--variables", description = "Number of input columns after time columns (0 = all; regression: all but the target).")
    Integer variables;

    @Option(names = "--target-variables", split = ",", description = "Forecasting targets: header names or 0-based indices.")
    List<String> targetVariables;

    @Option(names = "--forecast-horizon", description = "Forecasting: rows predicted after each window.")
    Integer horizon;

    @Option(names = "--seed", description = "Seed of the file-level split used when there are no annotations.")
    Long seed;

    @Option(names = "--split", split = ",", description = "Train,val,test fractions when there are no annotations (e.g. 0.6,0.2,0.2).")
    List<Double> split;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        DatasetSpec s = spec();
        long t0 = System.nanoTime();
        Dataset ds = DatasetLoader.load(dir, s);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.printf(Locale.ROOT, "%s dataset %s (loaded in %d ms)%n", ds.task(), dir, ms);
        out.println("  spec:    " + describe(ds.spec()));
        out.println("  inputs:  " + ds.inputNames() + " -> window " + Arrays.toString(ds.inputShape()));
        if (!ds.targetNames().isEmpty()) out.println("  targets: " + ds.targetNames() + " -> " + Arrays.toString(ds.targetShape()));
        if (!ds.classNames().isEmpty()) out.println("  classes: " + ds.classNames());
        for (Split sp : List.of(ds.train(), ds.val(), ds.test())) out.println("  " + line(sp, ds));
        double[] m = ds.normalization().inputMean();
        double[] sd = ds.normalization().inputStd();
        StringBuilder sb = new StringBuilder("  normalization (train only):");
        for (int i = 0; i < m.length; i++) {
          sb.append(String.format(Locale.ROOT, " %s %.4g±%.4g", ds.inputNames().get(i), m[i], sd[i]));
        }
        out.println(sb);
        return 0;
      } catch (DatasetException e) {
        err.println("error: " + e.getMessage());
        return 2;
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
    }

    private DatasetSpec spec() {
      Optional<DatasetSpec> synth = SyntheticDatasets.recommendedSpec(dir);
      DatasetSpec.Builder b;
      if (task != null) {
        b = synth.filter(s -> s.task() == task).map(DatasetSpec::toBuilder).orElse(DatasetSpec.builder(task));
      } else if (synth.isPresent()) {
        b = synth.get().toBuilder();
      } else {
        throw new IllegalArgumentException("--task is required (classification, regression, forecasting or anomaly)");
      }
      if (frameSize != null) b.frameSize(frameSize);
      if (strideSize != null) b.strideFraction(strideSize);
      if (variables != null) b.variables(variables);
      if (targetVariables != null) b.targetVariables(targetVariables);
      if (horizon != null) b.forecastHorizon(horizon);
      if (seed != null) b.seed(seed);
      if (split != null) {
        if (split.size() != 3) throw new IllegalArgumentException("--split needs three fractions: train,val,test");
        b.splitFractions(split.get(0), split.get(1), split.get(2));
      }
      return b.build();
    }

    private static String line(Split s, Dataset ds) {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-5s %6d windows", s.name(), s.size()));
      if (s.hasLabels()) {
        int[] count = new int[ds.numClasses()];
        for (int l : s.labels()) count[l]++;
        sb.append("  per class ").append(Arrays.toString(count));
      }
      return sb.toString();
    }
  }

  static String describe(DatasetSpec s) {
    StringBuilder sb = new StringBuilder();
    sb.append("task ").append(s.task()).append(", frame_size ").append(s.frameSize())
        .append(", stride_size ").append(s.strideFraction()).append(" (").append(s.stride()).append(" rows)")
        .append(", variables ").append(s.variables() == 0 ? "all" : String.valueOf(s.variables()));
    if (s.task() == Task.FORECASTING) {
      sb.append(", target_variables ").append(s.targetVariables().isEmpty() ? "all" : s.targetVariables())
          .append(", forecast_horizon ").append(s.forecastHorizon());
    }
    sb.append(", split ").append(s.trainFraction()).append('/').append(s.valFraction()).append('/').append(s.testFraction())
        .append(" seed ").append(s.seed()).append(" (used when annotations are missing)");
    return sb.toString();
  }
}
