package io.edgeamp.core.ir;

import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model: inputs, outputs, nodes in execution (topological) order, and initializers (weights).
 * Immutable; {@link #toBuilder()} derives a changed copy (new weights after training, a folded graph).
 * Construction checks that every value is defined once and before it is used, so the engine and the
 * code generator can rely on the node order.
 */
public final class Graph {
  private final String name;
  private final List<ValueInfo> inputs;
  private final List<ValueInfo> outputs;
  private final List<Node> nodes;
  private final Map<String, Tensor> initializers;
  private final Map<String, String> metadata;

  private Graph(Builder b) {
    this.name = b.name;
    this.inputs = List.copyOf(b.inputs);
    this.outputs = List.copyOf(b.outputs);
    this.nodes = List.copyOf(b.nodes);
    this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(b.initializers));
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    validate();
  }

  private void validate() {
    Set<String> defined = new HashSet<>();
    Set<String> nodeNames = new HashSet<>();
    for (ValueInfo in : inputs) {
      if (!defined.add(in.name())) throw new IllegalArgumentException("graph " + name + ": input '" + in.name() + "' is defined twice");
    }
    for (String init : initializers.keySet()) {
      if (!defined.add(init)) throw new IllegalArgumentException("graph " + name + ": initializer '" + init + "' has the name of another value");
    }
    for (Node n : nodes) {
      if (!nodeNames.add(n.name())) throw new IllegalArgumentException("graph " + name + ": node name '" + n.name() + "' is used twice");
      for (String in : n.inputs()) {
        if (!in.isEmpty() && !defined.contains(in)) {
          throw new IllegalArgumentException("graph " + name + ": node '" + n.name() + "' reads '" + in
              + "', which is not a graph input, an initializer, or the output of an earlier node");
        }
      }
      for (String out : n.outputs()) {
        if (!defined.add(out)) throw new IllegalArgumentException("graph " + name + ": value '" + out + "' written by node '" + n.name() + "' is defined twice");
      }
    }
    for (ValueInfo out : outputs) {
      if (!defined.contains(out.name())) throw new IllegalArgumentException("graph " + name + ": output '" + out.name() + "' is never computed");
    }
    if (inputs.isEmpty()) throw new IllegalArgumentException("graph " + name + " has no input");
    if (outputs.isEmpty()) throw new IllegalArgumentException("graph " + name + " has no output");
  }

  public String name() {
    return name;
  }

  public List<ValueInfo> inputs() {
    return inputs;
  }

  public List<ValueInfo> outputs() {
    return outputs;
  }

  public ValueInfo input() {
    return inputs.get(0);
  }

  public ValueInfo output() {
    return outputs.get(0);
  }

  public List<Node> nodes() {
    return nodes;
  }

  public Map<String, Tensor> initializers() {
    return initializers;
  }

  public Tensor initializer(String valueName) {
    return initializers.get(valueName);
  }

  public boolean isInitializer(String valueName) {
    return initializers.containsKey(valueName);
  }

  /** Free-form key/value metadata (task, normalization, provenance); exported as ONNX metadata_props. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The node that writes {@code valueName}, or null for graph inputs and initializers. */
  public Node producer(String valueName) {
    for (Node n : nodes) if (n.outputs().contains(valueName)) return n;
    return null;
  }

  /** The nodes that read {@code valueName}, in execution order. */
  public List<Node> consumers(String valueName) {
    List<Node> out = new ArrayList<>();
    for (Node n : nodes) if (n.inputs().contains(valueName)) out.add(n);
    return out;
  }

  /** Number of scalar weights held in initializers. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : initializers.values()) n += t.size();
    return n;
  }

  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.inputs.addAll(inputs);
    b.outputs.addAll(outputs);
    b.nodes.addAll(nodes);
    b.initializers.putAll(initializers);
    b.metadata.putAll(metadata);
    return b;
  }

  /** A copy whose initializers are replaced by those in {@code updated} (same names). */
  public Graph withInitializers(Map<String, Tensor> updated) {
    Builder b = toBuilder();
    for (var e : updated.entrySet()) {
      if (!initializers.containsKey(e.getKey())) throw new IllegalArgumentException("no initializer named '" + e.getKey() + "'");
      b.initializers.put(e.getKey(), e.getValue());
    }
    return b.build();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("graph ").append(name).append(' ').append(inputs).append(" -> ").append(outputs).append('\n');
    for (Node n : nodes) sb.append("  ").append(n).append('\n');
    return sb.toString();
  }

  /** Builds a graph; nodes must be added in execution order. */
  public static final class Builder {
    private String name;
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public Builder input(String valueName, int... shape) {
      inputs.add(new ValueInfo(valueName, shape));
      return this;
    }

    public Builder output(String valueName, int... shape) {
      outputs.add(new ValueInfo(valueName, shape));
      return this;
    }

    public Builder clearOutputs() {
      outputs.clear();
      return this;
    }

    public Builder clearInputs() {
      inputs.clear();
      return this;
    }

    public Builder node(Node n) {
      nodes.add(n);
      return this;
    }

    public Builder node(String nodeName, Op op, List<String> in, String out) {
      return node(new Node(nodeName, op, in, List.of(out)));
    }

    public Builder clearNodes() {
      nodes.clear();
      return this;
    }

    public Builder initializer(String valueName, Tensor value) {
      initializers.put(valueName, value);
      return this;
    }

    public Builder removeInitializer(String valueName) {
      initializers.remove(valueName);
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    public Graph build() {
      return new Graph(this);
    }
  }
}
