package io.edgeamp.core.artifact;

import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The artifact's {@value #FILE} (DESIGN.md "Quantized model artifact"): device inputs and the outputs
 * the Java twin (the device-exact integer model) computes for them, so firmware and tools can check
 * themselves against the toolchain without it. Little-endian:
 * <pre>
 * "EATV"  u32 version (1)  u32 count  u32 input_bytes  u32 output_bytes
 * count x { int8 input[input_bytes] (HWC, quantized with the model's input transform),
 *           8-bit output[output_bytes] (HWC; int8 or uint8 as model.json's output tensor says) }
 * </pre>
 */
public record TestVectors(byte[][] inputs, byte[][] outputs) {
  public static final String FILE = "test_vectors.bin";
  static final int VERSION = 1;
  private static final byte[] MAGIC = {'E', 'A', 'T', 'V'};

  public TestVectors {
    if (inputs.length != outputs.length) throw new IllegalArgumentException(inputs.length + " inputs but " + outputs.length + " outputs");
  }

  /** Quantizes dataset-normalized windows [N, ...] with the model's input transform and runs them through the twin. */
  public static TestVectors of(QuantizedModel m, Tensor normalizedWindows) {
    int[][] q = m.quantizeInputs(normalizedWindows);
    int[][] y = m.runIntBatch(q);
    byte[][] in = new byte[q.length][], out = new byte[q.length][];
    for (int k = 0; k < q.length; k++) {
      in[k] = toBytes(q[k]);
      out[k] = toBytes(y[k]);
    }
    return new TestVectors(in, out);
  }

  public int count() {
    return inputs.length;
  }

  public byte[] toBytes() {
    int inBytes = inputs.length == 0 ? 0 : inputs[0].length, outBytes = outputs.length == 0 ? 0 : outputs[0].length;
    ByteBuffer b = ByteBuffer.allocate(20 + inputs.length * (inBytes + outBytes)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(inputs.length).putInt(inBytes).putInt(outBytes);
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k].length != inBytes || outputs[k].length != outBytes) throw new IllegalArgumentException("vector " + k + " differs in length");
      b.put(inputs[k]).put(outputs[k]);
    }
    return b.array();
  }

  /** Reads and checks the file; every mistake names the file and what is wrong. */
  public static TestVectors read(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ArtifactException(file + ": cannot read the test vectors: " + io.edgeamp.core.io.IoErrors.reason(e), e);
    }
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte[] magic = new byte[4];
      b.get(magic);
      if (!Arrays.equals(magic, MAGIC)) throw new ArtifactException(file + ": not an EdgeAMP test vector file (no EATV header)");
      int version = b.getInt();
      if (version != VERSION) {
        throw new ArtifactException(file + ": test vector format version " + version + " is not supported (this toolchain reads " + VERSION
            + "); regenerate it with this toolchain's quantize");
      }
      int n = b.getInt(), inBytes = b.getInt(), outBytes = b.getInt();
      if (n < 0 || inBytes < 0 || outBytes < 0 || (long) n * (inBytes + (long) outBytes) != b.remaining()) {
        throw new ArtifactException(file + ": header says " + n + " vectors of " + inBytes + " + " + outBytes + " bytes, but " + b.remaining()
            + " bytes follow; the file is truncated or corrupt");
      }
      byte[][] in = new byte[n][inBytes], out = new byte[n][outBytes];
      for (int k = 0; k < n; k++) {
        b.get(in[k]);
        b.get(out[k]);
      }
      return new TestVectors(in, out);
    } catch (BufferUnderflowException e) {
      throw new ArtifactException(file + ": shorter than its 20-byte header; the file is truncated");
    }
  }

  private static byte[] toBytes(int[] v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
    return b;
  }
}
