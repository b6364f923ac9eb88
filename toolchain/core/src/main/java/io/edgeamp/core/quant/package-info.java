/**
 * The integer (quantized) model: what the device runs, bit for bit.
 *
 * <pre>
 *   QuantPlan plan = QuantPlan.of(graph);                       // device layers (BN folded, ReLU fused)
 *   Calibration cal = Calibration.run(plan, normalizedBatch);   // activation ranges (float engine)
 *   QuantizedModel m = QuantizedModel.build(plan, cal, bits, TargetSpec.GENERIC);  // bits: layer -> 2/4/8/32
 *   Tensor y = m.run(normalizedInputs);                         // fake-quantized evaluation (dequantized output)
 *   IntegerEvaluator.Trace t = m.runInt(m.quantizeInputs(x)[0]); // every intermediate tensor
 * </pre>
 *
 * <p>The arithmetic follows DESIGN.md "Integer arithmetic contract" and device-runtime/README.md
 * (rounding contract, layout contract): {@link io.edgeamp.core.quant.Requant},
 * {@link io.edgeamp.core.quant.FloatOps}, {@link io.edgeamp.core.quant.WeightPacking}; the choices the
 * contract leaves open (scales, multiplier selection, bias saturation, float edges between CPU
 * layers, placement of layers without weights) are documented on
 * {@link io.edgeamp.core.quant.QuantizedModel}. {@code CRuntimeCrossCheckTest} compiles the C kernels and
 * compares outputs byte for byte. The {@code alloc} subpackage (bit-width allocation) is separate.
 */
package io.edgeamp.core.quant;
