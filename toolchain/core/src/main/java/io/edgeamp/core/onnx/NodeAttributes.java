package io.edgeamp.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked access to a node's attributes. Each getter checks the attribute's declared type; after
 * conversion {@link #checkAllRead()} rejects attributes the mapping did not look at, because an attribute
 * we silently ignore could change what the model computes.
 */
final class NodeAttributes {
  private final Map<String, AttributeProto> byName = new LinkedHashMap<>();
  private final Set<String> read = new TreeSet<>();

  NodeAttributes(NodeProto node) throws ImportProblem {
    for (AttributeProto a : node.getAttributeList()) {
      if (!a.getRefAttrName().isEmpty()) throw new ImportProblem("attribute '" + a.getName() + "' refers to a function attribute; only plain graphs are supported");
      if (byName.put(a.getName(), a) != null) throw new ImportProblem("attribute '" + a.getName() + "' is given twice");
    }
  }

  boolean has(String name) {
    read.add(name);
    return byName.containsKey(name);
  }

  long i(String name, long dflt) throws ImportProblem {
    AttributeProto a = get(name, AttributeType.INT);
    return a == null ? dflt : a.getI();
  }

  /** An int attribute that must lie in [lo, hi]. */
  int i(String name, long dflt, long lo, long hi) throws ImportProblem {
    long v = i(name, dflt);
    if (v < lo || v > hi) throw new ImportProblem("attribute " + name + "=" + v + " is out of range [" + lo + ", " + hi + "]");
    return (int) v;
  }

  /** A float attribute; the default is rounded to float32 too, as ONNX attributes are float32. */
  double f(String name, double dflt) throws ImportProblem {
    AttributeProto a = get(name, AttributeType.FLOAT);
    return a == null ? (float) dflt : a.getF();
  }

  String s(String name, String dflt) throws ImportProblem {
    AttributeProto a = get(name, AttributeType.STRING);
    return a == null ? dflt : a.getS().toString(StandardCharsets.UTF_8);
  }

  /** An INTS attribute, or null when absent. */
  long[] ints(String name) throws ImportProblem {
    AttributeProto a = get(name, AttributeType.INTS);
    if (a == null) return null;
    long[] v = new long[a.getIntsCount()];
    for (int k = 0; k < v.length; k++) v[k] = a.getInts(k);
    return v;
  }

  /** Fails on attributes that no getter asked for. */
  void checkAllRead() throws ImportProblem {
    Set<String> unknown = new TreeSet<>(byName.keySet());
    unknown.removeAll(read);
    if (!unknown.isEmpty()) throw new ImportProblem("has attributes EdgeAMP does not understand: " + unknown + "; remove them or simplify the model (onnxsim)");
  }

  private AttributeProto get(String name, AttributeType type) throws ImportProblem {
    read.add(name);
    AttributeProto a = byName.get(name);
    if (a == null) return null;
    // Old exporters leave type unset (UNDEFINED); accept the field that is present then.
    if (a.getType() != type && a.getType() != AttributeType.UNDEFINED) {
      throw new ImportProblem("attribute " + name + " has type " + a.getType() + ", expected " + type);
    }
    return a;
  }
}
