package io.edgeamp.core.quant;

import io.edgeamp.core.quant.QTensor.Repr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a {@link QuantizedModel} one sample at a time, bit for bit as the C runtime: integer
 * kernels accumulate exactly (int32 suffices: fan-in &lt;= 2^15, |x| &lt;= 255, |w| &lt;= 127, |bias| &lt; 2^30,
 * ea_requant.h), requantize in 64-bit ({@link Requant}); float kernels add in the documented order
 * ({@code ea_kernels_f32.h}: acc = bias, taps ascending, input channels ascending, padded taps skipped;
 * pools divide by (float) window). 8-bit tensors are held as int arrays of their values, float
 * tensors as float arrays; all are HWC.
 */
public final class IntegerEvaluator {
  private final QuantizedModel model;
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final Step[] steps;
  private final int inputIndex;
  private final int outputIndex;

  private interface Step {
    void run(Object[] v);
  }

  IntegerEvaluator(QuantizedModel model) {
    this.model = model;
    for (String t : model.tensors().keySet()) {
      index.put(t, names.size());
      names.add(t);
    }
    inputIndex = index.get(model.inputTensor());
    outputIndex = index.get(model.outputTensor());
    steps = new Step[model.layers().size()];
    for (int i = 0; i < steps.length; i++) steps[i] = compile(model.layers().get(i));
  }

  /** All tensors of one run, by name: 8-bit values as int[] or float32 values as float[] (HWC). */
  public static final class Trace {
    private final Map<String, Object> values;
    private final String output;

    Trace(Map<String, Object> values, String output) {
      this.values = Collections.unmodifiableMap(values);
      this.output = output;
    }

    /** The model output's 8-bit values. */
    public int[] output() {
      return (int[]) values.get(output);
    }

    public boolean isFloat(String tensor) {
      return values.get(tensor) instanceof float[];
    }

    public int[] intTensor(String tensor) {
      Object o = values.get(tensor);
      if (o instanceof int[] a) return a;
      throw new IllegalArgumentException("tensor '" + tensor + "' is " + (o == null ? "unknown" : "float32"));
    }

    public float[] floatTensor(String tensor) {
      Object o = values.get(tensor);
      if (o instanceof float[] a) return a;
      throw new IllegalArgumentException("tensor '" + tensor + "' is " + (o == null ? "unknown" : "8-bit"));
    }

    public List<String> names() {
      return List.copyOf(values.keySet());
    }
  }

  public Trace run(int[] input) {
    QTensor in = model.tensor(model.inputTensor());
    if (input.length != in.dims().size()) {
      throw new QuantException("model " + model.name() + ": input of " + input.length + " values, expected " + in.dims().size() + " (" + in.dims() + ")");
    }
    for (int x : input) {
      if (x < in.repr().qmin || x > in.repr().qmax) throw new QuantException("model " + model.name() + ": input value " + x + " is not " + in.repr().jsonName());
    }
    Object[] v = new Object[names.size()];
    v[inputIndex] = input.clone();
    for (Step s : steps) s.run(v);
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) if (v[i] != null) m.put(names.get(i), v[i]);
    return new Trace(m, model.outputTensor());
  }

  // ---- compilation of layers -------------------------------------------------------------------

  private Step compile(QLayer l) {
    int[] in = new int[l.inputs().size()];
    for (int i = 0; i < in.length; i++) in[i] = index.get(l.inputs().get(i));
    int out = index.get(l.output());
    QTensor ot = model.tensor(l.output());
    if (!l.onCpu()) return npu(l, in, out);
    // CPU: dequantize 8-bit inputs, compute in float32, quantize the output unless it stays float.
    float[] inScale = new float[in.length];
    boolean[] inInt = new boolean[in.length];
    for (int i = 0; i < in.length; i++) {
      QTensor t = model.tensor(l.inputs().get(i));
      inScale[i] = t.scale();
      inInt[i] = t.repr().isInteger();
    }
    FloatKernel k = cpu(l);
    boolean quantizeOut = ot.repr().isInteger();
    float inv = ot.invScale();
    int lo = l.actMin(), hi = l.actMax();
    return v -> {
      float[][] x = new float[in.length][];
      for (int i = 0; i < in.length; i++) x[i] = inInt[i] ? dequantize((int[]) v[in[i]], inScale[i]) : (float[]) v[in[i]];
      float[] y = k.run(x);
      if (quantizeOut) {
        int[] q = new int[y.length];
        for (int e = 0; e < y.length; e++) q[e] = FloatOps.quantize(y[e], inv, lo, hi);
        v[out] = q;
      } else {
        v[out] = y;
      }
    };
  }

  private static float[] dequantize(int[] q, float s) {
    float[] f = new float[q.length];
    for (int i = 0; i < q.length; i++) f[i] = FloatOps.dequantize(q[i], s);
    return f;
  }

  private Step npu(QLayer l, int[] in, int out) {
    Dims id = l.inputDims().get(0), od = l.outputDims();
    Geometry g = l.geometry();
    int lo = l.actMin(), hi = l.actMax();
    int i0 = in[0];
    switch (l.kind()) {
      case CONV: {
        int[] w = l.weights(), b = l.bias(), m = l.mult(), n = l.shift();
        return v -> v[out] = conv((int[]) v[i0], id, od, g, w, b, m, n, lo, hi);
      }
      case DEPTHWISE_CONV: {
        int[] w = l.weights(), b = l.bias(), m = l.mult(), n = l.shift();
        return v -> v[out] = depthwise((int[]) v[i0], id, od, g, w, b, m, n, lo, hi);
      }
      case DENSE: {
        int[] w = l.weights(), b = l.bias(), m = l.mult(), n = l.shift();
        int k = l.rowLength(), rows = l.rows();
        return v -> {
          int[] x = (int[]) v[i0];
          int[] y = new int[rows];
          for (int o = 0; o < rows; o++) {
            int acc = b[o];
            int base = o * k;
            for (int i = 0; i < k; i++) acc += x[i] * w[base + i];
            y[o] = Requant.requantize(acc, m[o], n[o], lo, hi);
          }
          v[out] = y;
        };
      }
      case MAX_POOL:
        return v -> v[out] = maxPool((int[]) v[i0], id, od, g, lo, hi);
      case AVG_POOL: {
        int m = l.mult()[0], n = l.shift()[0];
        return v -> v[out] = avgPool((int[]) v[i0], id, od, g, m, n, lo, hi);
      }
      case GLOBAL_AVG_POOL: {
        int m = l.mult()[0], n = l.shift()[0];
        return v -> {
          int[] x = (int[]) v[i0];
          int c = id.c(), pix = id.pixels();
          int[] y = new int[c];
          for (int ch = 0; ch < c; ch++) {
            long sum = 0;
            for (int p = 0; p < pix; p++) sum += x[p * c + ch];
            y[ch] = Requant.clamp(Requant.roundShift(sum * m, n), lo, hi);
          }
          v[out] = y;
        };
      }
      case ADD: {
        int ma = l.mult()[0], mb = l.mult()[1], n = l.shift()[0];
        int i1 = in[1];
        return v -> {
          int[] a = (int[]) v[i0], bb = (int[]) v[i1];
          int[] y = new int[a.length];
          for (int e = 0; e < a.length; e++) y[e] = Requant.clamp(Requant.roundShift((long) a[e] * ma + (long) bb[e] * mb, n), lo, hi);
          v[out] = y;
        };
      }
      case RESIZE_NEAREST:
        return v -> {
          int[] x = (int[]) v[i0];
          int[] y = new int[od.size()];
          resize(id, od, g, (src, dst) -> y[dst] = Requant.clamp(x[src], lo, hi));
          v[out] = y;
        };
      case CLAMP:
        return v -> {
          int[] x = (int[]) v[i0];
          int[] y = new int[x.length];
          for (int e = 0; e < x.length; e++) y[e] = Requant.clamp(x[e], lo, hi);
          v[out] = y;
        };
      default:
        throw new IllegalStateException("no NPU kernel for " + l.kind());
    }
  }

  /** (k_h, 1) convolution, HWC: each output pixel's window is gathered once (zeros for padded rows). */
  static int[] conv(int[] x, Dims id, Dims od, Geometry g, int[] w, int[] b, int[] m, int[] n, int lo, int hi) {
    int cin = id.c(), kh = g.kH(), k = kh * cin, cout = od.c();
    int[] win = new int[k];
    int[] y = new int[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        int iw = ow * g.strideW();
        for (int i = 0; i < kh; i++) {
          int ih = oh * g.strideH() - g.padTop() + i;
          if (ih < 0 || ih >= id.h()) {
            java.util.Arrays.fill(win, i * cin, (i + 1) * cin, 0);
          } else {
            System.arraycopy(x, (ih * id.w() + iw) * cin, win, i * cin, cin);
          }
        }
        int ob = (oh * od.w() + ow) * cout;
        for (int c = 0; c < cout; c++) {
          int acc = b[c];
          int base = c * k;
          for (int e = 0; e < k; e++) acc += win[e] * w[base + e];
          y[ob + c] = Requant.requantize(acc, m[c], n[c], lo, hi);
        }
      }
    }
    return y;
  }

  static int[] depthwise(int[] x, Dims id, Dims od, Geometry g, int[] w, int[] b, int[] m, int[] n, int lo, int hi) {
    int c = id.c(), kh = g.kH();
    int[] y = new int[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        int ob = (oh * od.w() + ow) * c;
        for (int ch = 0; ch < c; ch++) {
          int acc = b[ch];
          for (int i = 0; i < kh; i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) acc += x[(ih * id.w() + ow * g.strideW()) * c + ch] * w[ch * kh + i];
          }
          y[ob + ch] = Requant.requantize(acc, m[ch], n[ch], lo, hi);
        }
      }
    }
    return y;
  }

  /** Max over valid taps (a window without one gives 0), then the clamp; no requantization. */
  static int[] maxPool(int[] x, Dims id, Dims od, Geometry g, int lo, int hi) {
    int c = id.c();
    int[] y = new int[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        for (int ch = 0; ch < c; ch++) {
          int best = 0;
          boolean any = false;
          for (int i = 0; i < g.kH(); i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) {
              int v = x[(ih * id.w() + ow * g.strideW()) * c + ch];
              if (!any || v > best) best = v;
              any = true;
            }
          }
          y[(oh * od.w() + ow) * c + ch] = Requant.clamp(best, lo, hi);
        }
      }
    }
    return y;
  }

  /** Sum over valid taps (padded taps count as zero), requantized with (m, n) that fold 1/k_h. */
  static int[] avgPool(int[] x, Dims id, Dims od, Geometry g, int m, int n, int lo, int hi) {
    int c = id.c();
    int[] y = new int[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        for (int ch = 0; ch < c; ch++) {
          long sum = 0;
          for (int i = 0; i < g.kH(); i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) sum += x[(ih * id.w() + ow * g.strideW()) * c + ch];
          }
          y[(oh * od.w() + ow) * c + ch] = Requant.clamp(Requant.roundShift(sum * m, n), lo, hi);
        }
      }
    }
    return y;
  }

  private interface Copy {
    void copy(int src, int dst);
  }

  /** Nearest upsampling: output (oh, ow, c) reads input (oh / f_h, ow / f_w, c). */
  private static void resize(Dims id, Dims od, Geometry g, Copy copy) {
    int c = id.c();
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        int src = ((oh / g.factorH()) * id.w() + ow / g.factorW()) * c, dst = (oh * od.w() + ow) * c;
        for (int ch = 0; ch < c; ch++) copy.copy(src + ch, dst + ch);
      }
    }
  }

  // ---- float32 CPU kernels ---------------------------------------------------------------------

  private interface FloatKernel {
    float[] run(float[][] x);
  }

  private static FloatKernel cpu(QLayer l) {
    Dims id = l.inputDims().get(0), od = l.outputDims();
    Geometry g = l.geometry();
    float lo = l.clampLo(), hi = l.clampHi();
    boolean clampPools = lo != -FloatOps.NO_BOUND || hi != FloatOps.NO_BOUND;
    switch (l.kind()) {
      case CONV: {
        float[] w = l.weightsF(), b = l.biasF();
        return x -> convF(x[0], id, od, g, w, b, lo, hi);
      }
      case DEPTHWISE_CONV: {
        float[] w = l.weightsF(), b = l.biasF();
        return x -> depthwiseF(x[0], id, od, g, w, b, lo, hi);
      }
      case DENSE: {
        float[] w = l.weightsF(), b = l.biasF();
        int k = l.rowLength(), rows = l.rows();
        return x -> {
          float[] in = x[0], y = new float[rows];
          for (int o = 0; o < rows; o++) {
            float acc = b[o];
            for (int i = 0; i < k; i++) acc = acc + in[i] * w[o * k + i];
            y[o] = FloatOps.clamp(acc, lo, hi);
          }
          return y;
        };
      }
      case MAX_POOL:
        return x -> clampAll(maxPoolF(x[0], id, od, g), clampPools, lo, hi);
      case AVG_POOL:
        return x -> clampAll(avgPoolF(x[0], id, od, g), clampPools, lo, hi);
      case GLOBAL_AVG_POOL:
        return x -> {
          float[] in = x[0];
          int c = id.c(), pix = id.pixels();
          float count = (float) pix;
          float[] y = new float[c];
          for (int ch = 0; ch < c; ch++) {
            float acc = 0f;
            for (int p = 0; p < pix; p++) acc = acc + in[p * c + ch];
            y[ch] = acc / count;
          }
          return clampAll(y, clampPools, lo, hi);
        };
      case ADD:
        return x -> {
          float[] a = x[0], b = x[1], y = new float[a.length];
          for (int e = 0; e < a.length; e++) y[e] = FloatOps.clamp(a[e] + b[e], lo, hi);
          return y;
        };
      case RESIZE_NEAREST:
        return x -> {
          float[] in = x[0], y = new float[od.size()];
          resize(id, od, g, (src, dst) -> y[dst] = in[src]);
          return clampAll(y, clampPools, lo, hi);
        };
      case CLAMP:
        return x -> clampAll(x[0].clone(), true, lo, hi);
      default:
        throw new IllegalStateException("no CPU kernel for " + l.kind());
    }
  }

  private static float[] clampAll(float[] y, boolean on, float lo, float hi) {
    if (on) for (int e = 0; e < y.length; e++) y[e] = FloatOps.clamp(y[e], lo, hi);
    return y;
  }

  /** ea_conv_hx1_f32: acc = bias[c]; valid rows i ascending, ci ascending: acc = acc + x * w; clamp. */
  static float[] convF(float[] x, Dims id, Dims od, Geometry g, float[] w, float[] b, float lo, float hi) {
    int cin = id.c(), kh = g.kH(), k = kh * cin, cout = od.c();
    float[] y = new float[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        int ob = (oh * od.w() + ow) * cout;
        for (int c = 0; c < cout; c++) {
          float acc = b[c];
          for (int i = 0; i < kh; i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih < 0 || ih >= id.h()) continue;
            int xb = (ih * id.w() + ow * g.strideW()) * cin, wb = c * k + i * cin;
            for (int ci = 0; ci < cin; ci++) acc = acc + x[xb + ci] * w[wb + ci];
          }
          y[ob + c] = FloatOps.clamp(acc, lo, hi);
        }
      }
    }
    return y;
  }

  static float[] depthwiseF(float[] x, Dims id, Dims od, Geometry g, float[] w, float[] b, float lo, float hi) {
    int c = id.c(), kh = g.kH();
    float[] y = new float[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        for (int ch = 0; ch < c; ch++) {
          float acc = b[ch];
          for (int i = 0; i < kh; i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) acc = acc + x[(ih * id.w() + ow * g.strideW()) * c + ch] * w[ch * kh + i];
          }
          y[(oh * od.w() + ow) * c + ch] = FloatOps.clamp(acc, lo, hi);
        }
      }
    }
    return y;
  }

  /** ea_maxpool_hx1_f32: first valid tap, then v = (x &gt; v) ? x : v; no valid tap gives 0. */
  static float[] maxPoolF(float[] x, Dims id, Dims od, Geometry g) {
    int c = id.c();
    float[] y = new float[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        for (int ch = 0; ch < c; ch++) {
          float v = 0f;
          boolean any = false;
          for (int i = 0; i < g.kH(); i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) {
              float t = x[(ih * id.w() + ow * g.strideW()) * c + ch];
              if (!any || t > v) v = t;
              any = true;
            }
          }
          y[(oh * od.w() + ow) * c + ch] = v;
        }
      }
    }
    return y;
  }

  /** ea_avgpool_hx1_f32: acc = 0; valid taps ascending; out = acc / (float) k_h. */
  static float[] avgPoolF(float[] x, Dims id, Dims od, Geometry g) {
    int c = id.c();
    float count = (float) g.kH();
    float[] y = new float[od.size()];
    for (int oh = 0; oh < od.h(); oh++) {
      for (int ow = 0; ow < od.w(); ow++) {
        for (int ch = 0; ch < c; ch++) {
          float acc = 0f;
          for (int i = 0; i < g.kH(); i++) {
            int ih = oh * g.strideH() - g.padTop() + i;
            if (ih >= 0 && ih < id.h()) acc = acc + x[(ih * id.w() + ow * g.strideW()) * c + ch];
          }
          y[(oh * od.w() + ow) * c + ch] = acc / count;
        }
      }
    }
    return y;
  }
}
