/**
 * ONNX import and export of the EdgeAMP model IR.
 *
 * <ul>
 *   <li>{@link io.edgeamp.core.onnx.OnnxImporter#read(java.nio.file.Path)}: ONNX (opsets 11-21, the MCU layer
 *       set) to a {@link io.edgeamp.core.ir.Graph}; problems are {@link io.edgeamp.core.onnx.OnnxFormatException}s
 *       naming the file, node and fix.
 *   <li>{@link io.edgeamp.core.onnx.OnnxExporter#write(io.edgeamp.core.ir.Graph, java.nio.file.Path)}: a graph
 *       to float ONNX, opset 17, written atomically.
 *   <li>{@link io.edgeamp.core.onnx.OnnxExportExtension}: where QDQ (QuantizeLinear/DequantizeLinear) export
 *       plugs in; {@link io.edgeamp.core.onnx.QdqExporter} uses it to write a
 *       {@link io.edgeamp.core.quant.QuantizedModel} as a QDQ model that ONNX Runtime runs like the integer twin.
 * </ul>
 *
 * Inside: {@code OnnxOpReader}/{@code OnnxOpWriter} are the per-op mapping tables (import/export),
 * {@code TensorProtos} converts tensors, {@code ShapeInference} infers shapes where ONNX leaves them implicit.
 * All protobuf parsing and writing goes through the generated {@code ai.onnx.proto.OnnxMl} classes.
 */
package io.edgeamp.core.onnx;
