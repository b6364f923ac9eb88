package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import io.edgeamp.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Conversion between ONNX {@link TensorProto} and {@link Tensor} (and the int64 vectors ONNX uses for
 * shapes and axes). Every size is checked against the bytes actually present before anything is
 * allocated, so a corrupt file with a huge declared shape fails with a message, not an OutOfMemoryError.
 */
final class TensorProtos {
  private TensorProtos() {}

  /** Dims of a tensor as ints, checked non-negative and with an element count that fits an int. */
  static int[] dims(TensorProto t) throws ImportProblem {
    int[] d = new int[t.getDimsCount()];
    long n = 1;
    for (int i = 0; i < d.length; i++) {
      long v = t.getDims(i);
      if (v < 0 || v > Integer.MAX_VALUE) throw new ImportProblem("tensor '" + t.getName() + "' has invalid dimension " + v + " in " + t.getDimsList());
      n *= v;
      if (n > Integer.MAX_VALUE) throw new ImportProblem("tensor '" + t.getName() + "' is too large: dims " + t.getDimsList());
      d[i] = (int) v;
    }
    return d;
  }

  static int elementCount(int[] dims) {
    long n = 1;
    for (int v : dims) n *= v;
    return (int) n;
  }

  static boolean isFloatType(int dataType) {
    return dataType == DataType.FLOAT_VALUE || dataType == DataType.DOUBLE_VALUE || dataType == DataType.FLOAT16_VALUE
        || dataType == DataType.BFLOAT16_VALUE;
  }

  static boolean isIntegerType(int dataType) {
    return dataType == DataType.INT64_VALUE || dataType == DataType.INT32_VALUE;
  }

  static String typeName(int dataType) {
    DataType t = DataType.forNumber(dataType);
    return t == null ? "data type " + dataType : t.name();
  }

  /** A float tensor (FLOAT, DOUBLE, FLOAT16, BFLOAT16; raw_data or typed field) as a double Tensor. */
  static Tensor toTensor(TensorProto t) throws ImportProblem {
    checkInline(t);
    int[] dims = dims(t);
    int n = elementCount(dims);
    int type = t.getDataType();
    double[] out;
    if (t.hasRawData()) {
      ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int width = switch (type) {
        case DataType.FLOAT_VALUE -> 4;
        case DataType.DOUBLE_VALUE -> 8;
        case DataType.FLOAT16_VALUE, DataType.BFLOAT16_VALUE -> 2;
        default -> throw new ImportProblem("tensor '" + t.getName() + "' is " + typeName(type) + "; expected a float tensor (FLOAT, DOUBLE, FLOAT16)");
      };
      checkCount(t, raw.remaining(), (long) n * width, "raw_data bytes");
      out = new double[n];
      for (int i = 0; i < n; i++) {
        out[i] = switch (type) {
          case DataType.FLOAT_VALUE -> raw.getFloat();
          case DataType.DOUBLE_VALUE -> raw.getDouble();
          case DataType.FLOAT16_VALUE -> halfToFloat(raw.getShort() & 0xffff);
          default -> Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
        };
      }
    } else {
      switch (type) {
        case DataType.FLOAT_VALUE -> {
          checkCount(t, t.getFloatDataCount(), n, "float_data values");
          out = new double[n];
          for (int i = 0; i < n; i++) out[i] = t.getFloatData(i);
        }
        case DataType.DOUBLE_VALUE -> {
          checkCount(t, t.getDoubleDataCount(), n, "double_data values");
          out = new double[n];
          for (int i = 0; i < n; i++) out[i] = t.getDoubleData(i);
        }
        case DataType.FLOAT16_VALUE, DataType.BFLOAT16_VALUE -> {
          // ONNX stores 16-bit floats in int32_data, one value (its bit pattern) per entry.
          checkCount(t, t.getInt32DataCount(), n, "int32_data values");
          out = new double[n];
          for (int i = 0; i < n; i++) {
            int bits = t.getInt32Data(i) & 0xffff;
            out[i] = type == DataType.FLOAT16_VALUE ? halfToFloat(bits) : Float.intBitsToFloat(bits << 16);
          }
        }
        default -> throw new ImportProblem("tensor '" + t.getName() + "' is " + typeName(type) + "; expected a float tensor (FLOAT, DOUBLE, FLOAT16)");
      }
    }
    return new Tensor(dims, out);
  }

  /** An INT64 or INT32 tensor's values (shape and axes constants). */
  static long[] toLongs(TensorProto t) throws ImportProblem {
    checkInline(t);
    int n = elementCount(dims(t));
    int type = t.getDataType();
    long[] out = new long[n];
    if (t.hasRawData()) {
      ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (type == DataType.INT64_VALUE) {
        checkCount(t, raw.remaining(), 8L * n, "raw_data bytes");
        for (int i = 0; i < n; i++) out[i] = raw.getLong();
      } else if (type == DataType.INT32_VALUE) {
        checkCount(t, raw.remaining(), 4L * n, "raw_data bytes");
        for (int i = 0; i < n; i++) out[i] = raw.getInt();
      } else {
        throw new ImportProblem("tensor '" + t.getName() + "' is " + typeName(type) + "; expected INT64");
      }
    } else if (type == DataType.INT64_VALUE) {
      checkCount(t, t.getInt64DataCount(), n, "int64_data values");
      for (int i = 0; i < n; i++) out[i] = t.getInt64Data(i);
    } else if (type == DataType.INT32_VALUE) {
      checkCount(t, t.getInt32DataCount(), n, "int32_data values");
      for (int i = 0; i < n; i++) out[i] = t.getInt32Data(i);
    } else {
      throw new ImportProblem("tensor '" + t.getName() + "' is " + typeName(type) + "; expected INT64");
    }
    return out;
  }

  /** A FLOAT tensor proto holding {@code t} rounded to float32, little-endian raw_data. */
  static TensorProto fromTensor(String name, Tensor t) {
    ByteBuffer buf = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : t.data()) buf.putFloat((float) v);
    buf.flip();
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf));
    for (int d : t.shape()) b.addDims(d);
    return b.build();
  }

  static TensorProto floats(String name, long[] dims, float... values) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.FLOAT_VALUE);
    for (long d : dims) b.addDims(d);
    for (float v : values) b.addFloatData(v);
    return b.build();
  }

  static TensorProto int64s(String name, long... values) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataType.INT64_VALUE).addDims(values.length);
    for (long v : values) b.addInt64Data(v);
    return b.build();
  }

  private static void checkInline(TensorProto t) throws ImportProblem {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new ImportProblem("tensor '" + t.getName() + "' keeps its data in an external file; save the model with all tensors inside the"
          + " .onnx file (onnx.save_model(m, path, save_as_external_data=False))");
    }
    if (t.hasSegment()) throw new ImportProblem("tensor '" + t.getName() + "' is a segment of a larger tensor, which is not supported");
  }

  private static void checkCount(TensorProto t, long have, long want, String what) throws ImportProblem {
    if (have != want) {
      throw new ImportProblem("tensor '" + t.getName() + "' with dims " + t.getDimsList() + " needs " + want + " " + what + " but has " + have
          + " (truncated or corrupt file?)");
    }
  }

  /** IEEE 754 half precision bits to float (Float.float16ToFloat is Java 20+). */
  static float halfToFloat(int h) {
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    float v;
    if (exp == 0) {
      v = (float) (mant * Math.pow(2, -24)); // subnormal
    } else if (exp == 31) {
      v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
    }
    return sign == 1 ? -v : v;
  }
}
