package io.edgeamp.core.engine;

import io.edgeamp.core.tensor.Tensor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One forward pass: every value it computed, and the per-node state backward passes reuse. */
public final class Pass {
  final FloatEngine engine;
  final Map<String, Tensor> values;
  final NodeState[] states;

  Pass(FloatEngine engine, Map<String, Tensor> values, NodeState[] states) {
    this.engine = engine;
    this.values = values;
    this.states = states;
  }

  public Tensor output() {
    return values.get(engine.graph().output().name());
  }

  public Tensor value(String name) {
    return values.get(name);
  }

  /**
   * Reverse-mode pass from dL/d(output): returns dL/d(value) for every trainable parameter (and every
   * intermediate value on the way, which Hessian-vector products reuse).
   */
  public Map<String, Tensor> backward(Tensor gradOutput) {
    return backward(gradOutput, Set.copyOf(engine.trainableNames()));
  }

  /** As {@link #backward(Tensor)}, computing gradients only on paths to {@code targets}. */
  Map<String, Tensor> backward(Tensor gradOutput, Set<String> targets) {
    Set<String> need = valuesLeadingTo(targets);
    Map<String, Tensor> grads = new HashMap<>();
    grads.put(engine.graph().output().name(), gradOutput);
    List<Kernel> ks = engine.kernels();
    for (int i = ks.size() - 1; i >= 0; i--) {
      Kernel k = ks.get(i);
      Tensor g = grads.get(k.node.output());
      if (g == null) continue;
      boolean[] needIn = needFlags(k, need);
      if (!any(needIn)) continue;
      Tensor[] gi = k.backward(FloatEngine.gather(values, k.node), values.get(k.node.output()), g, states[i], needIn);
      accumulate(grads, k, gi, needIn);
    }
    return grads;
  }

  /** Parameter gradients only, in {@link FloatEngine#trainableNames()} order. */
  public Map<String, Tensor> parameterGradients(Tensor gradOutput) {
    Map<String, Tensor> all = backward(gradOutput);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String name : engine.trainableNames()) {
      Tensor g = all.get(name);
      out.put(name, g != null ? g : Tensor.zeros(engine.parameters().get(name).shape()));
    }
    return out;
  }

  /** Values (params and activations) from which some target can be reached, i.e. that need a gradient. */
  Set<String> valuesLeadingTo(Set<String> targets) {
    Set<String> need = new HashSet<>(targets);
    List<Kernel> ks = engine.kernels();
    // A node's output needs a gradient if any of its inputs does (reverse reachability, forward order).
    for (Kernel k : ks) {
      for (String in : k.node.inputs()) {
        if (!in.isEmpty() && need.contains(in)) {
          need.add(k.node.output());
          break;
        }
      }
    }
    return need;
  }

  static boolean[] needFlags(Kernel k, Set<String> need) {
    boolean[] f = new boolean[k.node.inputs().size()];
    for (int j = 0; j < f.length; j++) f[j] = k.node.hasInput(j) && need.contains(k.node.input(j)) && !k.isBuffer(j);
    return f;
  }

  static boolean any(boolean[] f) {
    for (boolean b : f) if (b) return true;
    return false;
  }

  static void accumulate(Map<String, Tensor> grads, Kernel k, Tensor[] gi, boolean[] needIn) {
    if (gi == null) return;
    for (int j = 0; j < gi.length && j < needIn.length; j++) {
      if (!needIn[j] || gi[j] == null) continue;
      String name = k.node.input(j);
      Tensor prev = grads.get(name);
      if (prev == null) {
        grads.put(name, gi[j]);
      } else {
        double[] sum = prev.data().clone();
        double[] add = gi[j].data();
        for (int e = 0; e < sum.length; e++) sum[e] += add[e];
        grads.put(name, new Tensor(prev.shape(), sum));
      }
    }
  }
}
