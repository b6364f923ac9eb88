package io.edgeamp.core.amp;

import io.edgeamp.core.data.Dataset;
import io.edgeamp.core.data.Task;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.ir.ValueInfo;
import io.edgeamp.core.quant.QuantException;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.train.TrainedModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's float model against the dataset, before any training, sensitivity or search: one input
 * taking the dataset's windows, an output the task's metric can read, and every operator on the
 * device path. What a common export does differently and can be adapted without changing the
 * network's function is adapted, with a note saying so:
 * <ul>
 *   <li>PyTorch {@code Conv1d} exports take {@code [N, C, L]}; the dataset's windows are {@code [N, C, L, 1]}
 *       in the same memory order, so a Squeeze of the last axis goes in front;</li>
 *   <li>a classifier ending in Softmax: argmax (accuracy) is the same on the logits, and the
 *       sensitivity loss wants logits, so the Softmax is dropped (the firmware outputs logits).</li>
 * </ul>
 * Everything else that does not fit is an {@link IllegalArgumentException} naming the input, output
 * or node and what to change in the export.
 */
public final class FloatModelFit {
  private FloatModelFit() {}

  /** The graph to quantize and what was adapted (empty when nothing). */
  public record Result(Graph graph, List<String> notes) {}

  public static Result check(Graph g, Dataset d) {
    List<String> notes = new ArrayList<>();
    if (g.inputs().size() != 1) {
      throw new IllegalArgumentException("the model has " + g.inputs().size() + " inputs (" + names(g.inputs())
          + "); EdgeAMP quantizes models with one input, the sensor window [N, C, frame, 1]");
    }
    if (g.outputs().size() != 1) {
      throw new IllegalArgumentException("the model has " + g.outputs().size() + " outputs (" + names(g.outputs())
          + "); EdgeAMP quantizes models with one output");
    }
    ValueInfo in = g.input();
    int[] s = in.shape();
    int[] want = d.inputShape(); // [C, frame, 1]
    if (s.length > 0 && s[0] == 1) {
      throw new IllegalArgumentException("the model's input '" + in.name() + "' " + Arrays.toString(s) + " has a fixed batch of 1; export it with a "
          + "dynamic batch dimension (torch.onnx.export(..., dynamic_axes={'" + in.name() + "': {0: 'batch'}}), or tf2onnx's default)");
    }
    if (s.length == 3 && want.length == 3 && want[2] == 1 && fits(s[1], want[0]) && fits(s[2], want[1])) {
      g = squeezeInput(g);
      notes.add("input '" + in.name() + "' " + Arrays.toString(s) + " (a 1-D export) takes the windows [N, C, frame, 1] through a Squeeze of the last axis");
      s = g.input().shape();
    }
    boolean ok = s.length == want.length + 1;
    for (int i = 0; ok && i < want.length; i++) ok = fits(s[i + 1], want[i]);
    if (!ok) {
      throw new IllegalArgumentException("the model's input '" + in.name() + "' " + Arrays.toString(s) + " does not take the dataset's windows [N, "
          + Arrays.toString(want).substring(1) + (s.length != want.length + 1 ? " (rank " + s.length + " against " + (want.length + 1) + ")" : "")
          + "; export the model for [N, C, frame] or [N, C, frame, 1] inputs, or set the dataset's frame_size/variables to the model's");
    }
    if (d.task() == Task.CLASSIFICATION) {
      Node last = producer(g, g.output().name());
      if (last != null && last.op() instanceof Op.Softmax) {
        g = dropFinalSoftmax(g, last);
        notes.add("the final Softmax '" + last.name() + "' is left out: accuracy (argmax) is the same on its input, and the firmware outputs those logits");
      }
    }
    checkOutput(g, d);
    try {
      QuantPlan.of(g); // every operator on the device path, checked before the minutes of training and sensitivity
    } catch (QuantException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new Result(g, List.copyOf(notes));
  }

  private static boolean fits(int modelDim, int dataDim) {
    return modelDim < 0 || modelDim == dataDim;
  }

  /** The output must have as many values per window as the task's metric compares. */
  private static void checkOutput(Graph g, Dataset d) {
    ValueInfo out = g.output();
    int[] s = out.shape();
    if (s.length < 2) {
      throw new IllegalArgumentException("the model's output '" + out.name() + "' " + Arrays.toString(s) + " has no per-window axis; keep the batch "
          + "axis and at least one more (e.g. [N, 1] rather than [N] for one target: no squeeze at the end of the export)");
    }
    long per = 1;
    for (int i = 1; i < s.length; i++) {
      if (s[i] < 0) return; // dynamic: the evaluation will tell
      per *= s[i];
    }
    long need;
    String what;
    if (d.task() == Task.ANOMALY) {
      need = 1;
      for (int v : d.inputShape()) need *= v;
      what = "an autoencoder reconstructs its input window (" + need + " values)";
    } else {
      need = TrainedModel.outputsFor(d);
      what = switch (d.task()) {
        case CLASSIFICATION -> "the dataset has " + need + " classes";
        case REGRESSION -> "the dataset has " + need + " target value(s) per window";
        default -> "the dataset's forecast is " + need + " values per window (horizon x targets)";
      };
    }
    if (per != need) {
      throw new IllegalArgumentException("the model's output '" + out.name() + "' " + Arrays.toString(s) + " gives " + per + " values per window, but "
          + what + "; export the model with a matching head");
    }
  }

  private static Node producer(Graph g, String value) {
    for (Node n : g.nodes()) if (n.outputs().contains(value)) return n;
    return null;
  }

  /** A new graph input of the window shape [N, C, L, 1] feeding the model's [N, C, L] input through a Squeeze. */
  private static Graph squeezeInput(Graph g) {
    ValueInfo in = g.input();
    String inner = in.name() + "_ncl";
    int[] s = in.shape();
    Graph.Builder b = g.toBuilder().clearInputs().clearNodes().input(in.name(), s[0], s[1], s[2], 1);
    b.node(in.name() + "_squeeze", new Op.Squeeze(List.of(3)), List.of(in.name()), inner);
    for (Node n : g.nodes()) {
      List<String> ins = new ArrayList<>(n.inputs());
      ins.replaceAll(v -> v.equals(in.name()) ? inner : v);
      b.node(new Node(n.name(), n.op(), ins, n.outputs()));
    }
    return b.build();
  }

  /** The graph without its final Softmax: the Softmax's input becomes the output. */
  private static Graph dropFinalSoftmax(Graph g, Node softmax) {
    ValueInfo out = g.output();
    Graph.Builder b = g.toBuilder().clearNodes().clearOutputs().output(softmax.input(0), out.shape());
    for (Node n : g.nodes()) if (n != softmax) b.node(n);
    return b.build();
  }

  private static String names(List<ValueInfo> vs) {
    return String.join(", ", vs.stream().map(ValueInfo::name).toList());
  }
}
