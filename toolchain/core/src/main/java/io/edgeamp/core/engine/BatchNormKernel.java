package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.tensor.Tensor;

/**
 * BatchNormalization over axis 1 of [N, C, ...]. Inference form uses the running statistics (inputs
 * 3 and 4, buffers, never trained); a training pass normalises with the batch statistics and updates
 * the running ones in place (running = momentum * running + (1 - momentum) * batch, unbiased batch
 * variance, as PyTorch does). Hessian-vector products are defined for the inference form only:
 * sensitivity analysis runs on the folded model anyway.
 */
final class BatchNormKernel extends Kernel {
  private final double eps;
  private final double momentum;

  BatchNormKernel(Node node, Op.BatchNorm op) {
    super(node);
    this.eps = op.epsilon();
    this.momentum = op.momentum();
  }

  @Override
  boolean isBuffer(int inputIndex) {
    return inputIndex >= 3;
  }

  private record Layout(int n, int c, int inner) {}

  private Layout layout(Tensor x) {
    int[] s = x.shape();
    if (s.length < 2) throw new EngineException(where() + ": input must have a channel axis, got rank " + s.length);
    return new Layout(s[0], s[1], x.size() / (s[0] * s[1]));
  }

  /** Per-channel mean and 1/sqrt(var + eps) used by this pass. */
  private record Stats(double[] mean, double[] inv) {}

  @Override
  Tensor forward(Tensor[] in, NodeState st) {
    Layout l = layout(in[0]);
    double[] x = in[0].data(), gamma = in[1].data(), beta = in[2].data();
    double[] rm = in[3].data(), rv = in[4].data();
    double[] mean = new double[l.c], inv = new double[l.c];
    int count = l.n * l.inner;
    for (int c = 0; c < l.c; c++) {
      double mu, var;
      if (st.training) {
        double s = 0;
        for (int n = 0; n < l.n; n++) {
          int off = (n * l.c + c) * l.inner;
          for (int i = 0; i < l.inner; i++) s += x[off + i];
        }
        mu = s / count;
        double v = 0;
        for (int n = 0; n < l.n; n++) {
          int off = (n * l.c + c) * l.inner;
          for (int i = 0; i < l.inner; i++) v += (x[off + i] - mu) * (x[off + i] - mu);
        }
        var = v / count;
        rm[c] = momentum * rm[c] + (1 - momentum) * mu;
        rv[c] = momentum * rv[c] + (1 - momentum) * (count > 1 ? v / (count - 1) : var);
      } else {
        mu = rm[c];
        var = rv[c];
      }
      mean[c] = mu;
      inv[c] = 1 / Math.sqrt(var + eps);
    }
    st.cache = new Stats(mean, inv);
    double[] y = new double[x.length];
    for (int n = 0; n < l.n; n++) {
      for (int c = 0; c < l.c; c++) {
        int off = (n * l.c + c) * l.inner;
        double a = gamma[c] * inv[c], b = beta[c] - mean[c] * a;
        VectorOps.affine(x, y, off, l.inner, a, b);
      }
    }
    return new Tensor(in[0].shape(), y);
  }

  @Override
  Tensor[] backward(Tensor[] in, Tensor out, Tensor gOut, NodeState st, boolean[] need) {
    Layout l = layout(in[0]);
    Stats s = (Stats) st.cache;
    double[] x = in[0].data(), gamma = in[1].data(), g = gOut.data();
    double[] sumG = new double[l.c], sumGx = new double[l.c];
    for (int n = 0; n < l.n; n++) {
      for (int c = 0; c < l.c; c++) {
        int off = (n * l.c + c) * l.inner;
        double mu = s.mean[c], iv = s.inv[c];
        double a = 0, b = 0;
        for (int i = 0; i < l.inner; i++) {
          a += g[off + i];
          b += g[off + i] * (x[off + i] - mu) * iv;
        }
        sumG[c] += a;
        sumGx[c] += b;
      }
    }
    Tensor[] res = new Tensor[in.length];
    if (need[0]) {
      double[] gx = new double[x.length];
      double count = l.n * l.inner;
      for (int n = 0; n < l.n; n++) {
        for (int c = 0; c < l.c; c++) {
          int off = (n * l.c + c) * l.inner;
          double k = gamma[c] * s.inv[c];
          if (st.training) {
            // d/dx of (x - mu_B) / sigma_B: the batch statistics depend on x too.
            double mg = sumG[c] / count, mgx = sumGx[c] / count;
            for (int i = 0; i < l.inner; i++) {
              double xhat = (x[off + i] - s.mean[c]) * s.inv[c];
              gx[off + i] = k * (g[off + i] - mg - xhat * mgx);
            }
          } else {
            for (int i = 0; i < l.inner; i++) gx[off + i] = k * g[off + i];
          }
        }
      }
      res[0] = new Tensor(in[0].shape(), gx);
    }
    if (need[1]) res[1] = new Tensor(new int[] {l.c}, sumGx);
    if (need[2]) res[2] = new Tensor(new int[] {l.c}, sumG);
    return res;
  }

  private void requireInference(NodeState st) {
    if (st.training) throw new EngineException(where() + ": Hessian-vector products need an inference-mode pass");
  }

  @Override
  Tensor jvp(Tensor[] in, Tensor out, Tensor[] dIn, NodeState st) {
    if (dIn[0] == null && dIn[1] == null && dIn[2] == null) return null;
    requireInference(st);
    Layout l = layout(in[0]);
    Stats s = (Stats) st.cache;
    double[] x = in[0].data(), gamma = in[1].data();
    double[] dy = new double[x.length];
    for (int n = 0; n < l.n; n++) {
      for (int c = 0; c < l.c; c++) {
        int off = (n * l.c + c) * l.inner;
        double iv = s.inv[c];
        double dg = dIn[1] == null ? 0 : dIn[1].data()[c];
        double db = dIn[2] == null ? 0 : dIn[2].data()[c];
        for (int i = 0; i < l.inner; i++) {
          double v = dg * (x[off + i] - s.mean[c]) * iv + db;
          if (dIn[0] != null) v += dIn[0].data()[off + i] * gamma[c] * iv;
          dy[off + i] = v;
        }
      }
    }
    return new Tensor(in[0].shape(), dy);
  }

  @Override
  Tensor[] curvature(Tensor[] in, Tensor out, Tensor dOut, Tensor gOut, Tensor[] dIn, NodeState st, boolean[] need) {
    // Inference BN is bilinear in (x, gamma): x's gradient varies with dgamma, gamma's with dx.
    if (dIn[0] == null && dIn[1] == null) return null;
    requireInference(st);
    Layout l = layout(in[0]);
    Stats s = (Stats) st.cache;
    double[] g = gOut.data();
    Tensor[] res = new Tensor[in.length];
    if (need[0] && dIn[1] != null) {
      double[] gx = new double[g.length];
      double[] dg = dIn[1].data();
      for (int n = 0; n < l.n; n++) {
        for (int c = 0; c < l.c; c++) {
          int off = (n * l.c + c) * l.inner;
          double k = dg[c] * s.inv[c];
          for (int i = 0; i < l.inner; i++) gx[off + i] = g[off + i] * k;
        }
      }
      res[0] = new Tensor(in[0].shape(), gx);
    }
    if (need[1] && dIn[0] != null) {
      double[] gg = new double[l.c];
      double[] dx = dIn[0].data();
      for (int n = 0; n < l.n; n++) {
        for (int c = 0; c < l.c; c++) {
          int off = (n * l.c + c) * l.inner;
          double a = 0;
          for (int i = 0; i < l.inner; i++) a += g[off + i] * dx[off + i];
          gg[c] += a * s.inv[c];
        }
      }
      res[1] = new Tensor(new int[] {l.c}, gg);
    }
    return res;
  }
}
