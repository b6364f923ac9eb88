package io.edgeamp.core.onnx;

import io.edgeamp.core.tensor.Tensor;

/**
 * How tensors cross the ONNX boundary on export: the extension point for QDQ export.
 *
 * <p>The float export ({@link #FLOAT}) writes each weight as a FLOAT initializer and leaves activations
 * alone. A QDQ export (QuantizeLinear/DequantizeLinear, added by the quantization work) implements
 * {@link #weight} to write an int8 initializer plus its scale and a DequantizeLinear node, and
 * {@link #activation} to insert a QuantizeLinear/DequantizeLinear pair after each quantized activation;
 * both return the name that consuming nodes then read. Node attributes and op mapping stay unchanged.
 */
public interface OnnxExportExtension {

  /** Float ONNX: weights as FLOAT initializers, activations as computed. */
  OnnxExportExtension FLOAT = new OnnxExportExtension() {};

  /**
   * Writes weight {@code name} (a graph initializer) and returns the value name its consumers read.
   * Called once per initializer, before any node.
   */
  default String weight(String name, Tensor value, OnnxExportContext ctx) {
    ctx.addInitializer(TensorProtos.fromTensor(name, value));
    return name;
  }

  /**
   * Called once per activation (each graph input, then each node output as soon as its node is written);
   * returns the value name that later nodes read instead of {@code name}. Graph outputs keep their names.
   */
  default String activation(String name, OnnxExportContext ctx) {
    return name;
  }
}
