package io.edgeamp.core.ir;

import java.util.List;

/**
 * One operator application. Inputs and outputs name values: graph inputs, initializers, or other
 * nodes' outputs. An empty string marks an omitted optional input (as in ONNX).
 */
public record Node(String name, Op op, List<String> inputs, List<String> outputs) {
  public Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("node name must not be empty");
    if (outputs.isEmpty()) throw new IllegalArgumentException("node " + name + " has no output");
  }

  public String input(int i) {
    return i < inputs.size() ? inputs.get(i) : "";
  }

  public boolean hasInput(int i) {
    return !input(i).isEmpty();
  }

  public String output() {
    return outputs.get(0);
  }

  @Override
  public String toString() {
    return name + ": " + op + " " + inputs + " -> " + outputs;
  }
}
