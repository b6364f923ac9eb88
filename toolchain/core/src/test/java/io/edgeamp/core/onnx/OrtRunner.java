package io.edgeamp.core.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.edgeamp.core.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test oracle: runs an ONNX model in ONNX Runtime (float32, one thread) and returns the outputs as Tensors. */
final class OrtRunner {
  private OrtRunner() {}

  static Map<String, Tensor> run(byte[] model, Map<String, Tensor> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model, opts)) {
        List<OnnxTensor> owned = new ArrayList<>();
        try {
          Map<String, OnnxTensor> feed = new LinkedHashMap<>();
          for (var e : inputs.entrySet()) {
            Tensor t = e.getValue();
            long[] shape = new long[t.rank()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
            OnnxTensor ot = OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), shape);
            owned.add(ot);
            feed.put(e.getKey(), ot);
          }
          Map<String, Tensor> out = new LinkedHashMap<>();
          try (OrtSession.Result result = session.run(feed)) {
            for (Map.Entry<String, OnnxValue> e : result) {
              OnnxTensor ot = (OnnxTensor) e.getValue();
              long[] ls = ot.getInfo().getShape();
              int[] shape = new int[ls.length];
              for (int i = 0; i < shape.length; i++) shape[i] = (int) ls[i];
              FloatBuffer fb = ot.getFloatBuffer();
              float[] f = new float[fb.remaining()];
              fb.get(f);
              out.put(e.getKey(), Tensor.of(shape, f));
            }
          }
          return out;
        } finally {
          owned.forEach(OnnxTensor::close);
        }
      }
    }
  }
}
