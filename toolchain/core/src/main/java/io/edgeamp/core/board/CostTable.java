package io.edgeamp.core.board;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A linear latency and size model of the board for the bit-width allocator. YAML: {@code cost}.
 *
 * <p>Estimated time of one layer, in {@code unit} (cycles, or instructions on emulated boards whose
 * timer counts instructions):
 *
 * <pre>
 *   layer_overhead + macs * per_mac[kind][bits] + input_elements * per_input_element[kind][bits]
 * </pre>
 *
 * where {@code bits} is the weight bit width (2, 4, 8 on the NPU path; 32 for a float layer on the CPU)
 * or, for kinds without weights, the activation width (8 integer, 32 float). Weight storage is {@code
 * weights * bytes_per_weight[bits]} (rows padded to whole bytes are ignored). A profile's table is an
 * estimate ({@code source: estimate}) until the HIL server measures the board; measured tables replace
 * it then.
 */
public record CostTable(
    Source source,
    String unit,
    double layerOverhead,
    Map<LayerKind, Map<Integer, Double>> perMac,
    Map<LayerKind, Map<Integer, Double>> perInputElement,
    Map<Integer, Double> bytesPerWeight,
    String note) {

  public enum Source {
    ESTIMATE("estimate"),
    MEASURED("measured");

    private final String yamlName;

    Source(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }

  /** Kinds that must have a {@code per_mac} row. */
  public static final java.util.List<LayerKind> MAC_KINDS =
      java.util.List.of(LayerKind.CONV, LayerKind.DEPTHWISE_CONV, LayerKind.DENSE);

  /** Bit width of a float layer on the CPU. */
  public static final int FLOAT_BITS = 32;

  public CostTable {
    perMac = freeze(perMac);
    perInputElement = freeze(perInputElement);
    bytesPerWeight = Collections.unmodifiableMap(new TreeMap<>(bytesPerWeight));
  }

  private static Map<LayerKind, Map<Integer, Double>> freeze(Map<LayerKind, Map<Integer, Double>> m) {
    EnumMap<LayerKind, Map<Integer, Double>> c = new EnumMap<>(LayerKind.class);
    m.forEach((k, v) -> c.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    return Collections.unmodifiableMap(c);
  }

  /** Time per multiply-accumulate of this kind at this bit width; throws if the table has none. */
  public double perMac(LayerKind kind, int bits) {
    Double v = perMac.getOrDefault(kind, Map.of()).get(bits);
    if (v == null) throw new IllegalArgumentException("cost.per_mac has no entry for " + kind + " at " + bits + " bits");
    return v;
  }

  /** Time per input element of this kind at this width; 0 when the table has no entry. */
  public double perInputElement(LayerKind kind, int bits) {
    return perInputElement.getOrDefault(kind, Map.of()).getOrDefault(bits, 0.0);
  }

  /** Bytes per stored weight at this bit width; throws if the table has none. */
  public double bytesPerWeight(int bits) {
    Double v = bytesPerWeight.get(bits);
    if (v == null) throw new IllegalArgumentException("cost.bytes_per_weight has no entry for " + bits + " bits");
    return v;
  }

  /** The estimated time of one layer, in {@link #unit()}. */
  public double estimate(LayerKind kind, int bits, long macs, long inputElements) {
    double t = layerOverhead + inputElements * perInputElement(kind, bits);
    if (macs > 0) t += macs * perMac(kind, bits);
    return t;
  }
}
