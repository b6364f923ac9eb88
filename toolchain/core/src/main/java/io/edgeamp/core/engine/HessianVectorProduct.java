package io.edgeamp.core.engine;

import io.edgeamp.core.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exact Hessian-vector products of a loss w.r.t. parameters, by Pearlmutter's R-operator (forward
 * tangent pass, then the R-backward pass through every node's backward and curvature terms).
 *
 * <p>The forward pass and the gradient pass are done once, in the constructor, and reused by every
 * product: during power iteration the weights do not change, only the direction does.
 */
public final class HessianVectorProduct {
  private final FloatEngine engine;
  private final Pass pass;
  private final Tensor target;
  private final Loss loss;
  private final double lossValue;
  private final Map<String, Tensor> grads;

  public HessianVectorProduct(FloatEngine engine, Tensor input, Tensor target, Loss loss) {
    this.engine = engine;
    this.target = target;
    this.loss = loss;
    this.pass = engine.forward(input, false, true);
    Tensor y = pass.output();
    this.lossValue = loss.value(y, target);
    this.grads = pass.backward(loss.gradient(y, target));
  }

  public double loss() {
    return lossValue;
  }

  /** dL/dp for a parameter (zeros if the loss does not depend on it). */
  public Tensor gradient(String param) {
    Tensor g = grads.get(param);
    return g != null ? g : Tensor.zeros(engine.parameters().get(param).shape());
  }

  /**
   * H v restricted to the parameters named in {@code v} (the rest of v is zero) and returned for
   * the parameters in {@code outputs}. For a layer's diagonal Hessian block pass the same set twice.
   */
  public Map<String, Tensor> apply(Map<String, Tensor> v, Set<String> outputs) {
    Map<String, Tensor> values = pass.values;
    // R-forward: tangents of every value downstream of v.
    Map<String, Tensor> tangents = new HashMap<>(v);
    List<Kernel> ks = engine.kernels();
    int first = ks.size();
    for (int i = 0; i < ks.size(); i++) {
      Kernel k = ks.get(i);
      Tensor[] dIn = FloatEngine.gather(tangents, k.node);
      if (Kernel.allNull(dIn)) continue;
      first = Math.min(first, i);
      Tensor dy = k.jvp(FloatEngine.gather(values, k.node), values.get(k.node.output()), dIn, pass.states[i]);
      if (dy != null) tangents.put(k.node.output(), dy);
    }
    // R-backward from the loss: R{g_out} = (d2L/dy2) R{y}.
    Set<String> need = pass.valuesLeadingTo(outputs);
    Map<String, Tensor> rGrads = new HashMap<>();
    String out = engine.graph().output().name();
    Tensor dyOut = tangents.get(out);
    if (dyOut != null) rGrads.put(out, loss.hessianTimes(pass.output(), target, dyOut));
    for (int i = ks.size() - 1; i >= Math.min(first, firstReading(ks, outputs)); i--) {
      Kernel k = ks.get(i);
      boolean[] needIn = Pass.needFlags(k, need);
      if (!Pass.any(needIn)) continue;
      Tensor[] in = FloatEngine.gather(values, k.node);
      Tensor y = values.get(k.node.output());
      Tensor rg = rGrads.get(k.node.output());
      if (rg != null) Pass.accumulate(rGrads, k, k.backward(in, y, rg, pass.states[i], needIn), needIn);
      Tensor g = grads.get(k.node.output());
      Tensor[] dIn = FloatEngine.gather(tangents, k.node);
      if (g != null && !Kernel.allNull(dIn)) {
        Tensor[] c = k.curvature(in, y, tangents.get(k.node.output()), g, dIn, pass.states[i], needIn);
        Pass.accumulate(rGrads, k, c, needIn);
      }
    }
    Map<String, Tensor> hv = new LinkedHashMap<>();
    for (String p : outputs) {
      Tensor r = rGrads.get(p);
      hv.put(p, r != null ? r : Tensor.zeros(engine.parameters().get(p).shape()));
    }
    return hv;
  }

  /** Whole-network product over every trainable parameter. */
  public Map<String, Tensor> apply(Map<String, Tensor> v) {
    return apply(v, Set.copyOf(engine.trainableNames()));
  }

  private static int firstReading(List<Kernel> ks, Set<String> params) {
    for (int i = 0; i < ks.size(); i++) for (String in : ks.get(i).node.inputs()) if (params.contains(in)) return i;
    return ks.size();
  }
}
