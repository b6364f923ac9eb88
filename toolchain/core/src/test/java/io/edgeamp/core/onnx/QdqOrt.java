package io.edgeamp.core.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeamp.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One ONNX Runtime session over a (QDQ) model, run on float batches [N, ...] like the Java model
 * functions {@code TaskEvaluation} takes. One intra-op thread: the build machine is shared.
 */
final class QdqOrt implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final String input;

  QdqOrt(byte[] model, OrtSession.SessionOptions.OptLevel level) throws OrtException {
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      opts.setOptimizationLevel(level);
      session = env.createSession(model, opts);
    }
    input = session.getInputNames().iterator().next();
  }

  Tensor run(Tensor x) {
    long[] shape = new long[x.rank()];
    for (int i = 0; i < shape.length; i++) shape[i] = x.dim(i);
    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape);
        OrtSession.Result r = session.run(Map.of(input, in))) {
      OnnxTensor out = (OnnxTensor) r.get(0);
      long[] ls = out.getInfo().getShape();
      int[] s = new int[ls.length];
      for (int i = 0; i < s.length; i++) s[i] = (int) ls[i];
      FloatBuffer fb = out.getFloatBuffer();
      float[] f = new float[fb.remaining()];
      fb.get(f);
      return Tensor.of(s, f);
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
