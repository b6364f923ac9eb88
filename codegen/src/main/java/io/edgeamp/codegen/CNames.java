package io.edgeamp.codegen;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** C identifiers for layer, tensor and model names (ONNX names may hold '/', '.', ':' or start with a digit). */
final class CNames {
  private CNames() {}

  /** C keywords and names the generated model.c already uses, which a layer function must not take. */
  private static final Set<String> RESERVED = Set.of("auto", "break", "case", "char", "const", "continue", "default", "do", "double",
      "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "main", "in",
      "out", "arena", "abs", "exit", "free", "malloc", "memcpy", "memset", "printf", "clamp_f32", "resize_nearest_8",
      "resize_nearest_f32", "clamp_8",
      // Java keywords and the twin's helper methods (the same identifiers name the twin's layer methods)
      "abstract", "assert", "boolean", "byte", "catch", "class", "extends", "final", "finally", "implements", "import", "instanceof",
      "interface", "native", "new", "package", "private", "protected", "public", "strictfp", "super", "synchronized", "this",
      "throw", "throws", "transient", "try", "null", "true", "false", "var", "record", "yield", "requantize", "roundshift",
      "quantize", "dequantize", "clampf", "unpack", "bytes", "floats", "infer");

  /** Lower-case C identifier: other characters become '_', a leading digit gets a '_' prefix... */
  static String ident(String name) {
    StringBuilder sb = new StringBuilder();
    for (char ch : name.toCharArray()) sb.append(Character.isLetterOrDigit(ch) && ch < 128 ? Character.toLowerCase(ch) : '_');
    String s = sb.toString().replaceAll("_+", "_");
    if (s.isEmpty() || Character.isDigit(s.charAt(0))) s = "l_" + s;
    if (s.startsWith("ea_") || s.startsWith("_")) s = "l" + s;
    return s;
  }

  /** Unique identifiers for a list of names, in order: clashes get _2, _3, ...; reserved words a "layer_" prefix. */
  static String[] unique(Iterable<String> names) {
    Set<String> used = new HashSet<>();
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String n : names) {
      String base = ident(n);
      if (RESERVED.contains(base)) base = "layer_" + base;
      String s = base;
      for (int k = 2; !used.add(s); k++) s = base + "_" + k;
      out.add(s);
    }
    return out.toArray(new String[0]);
  }

  /** Java class name stem: "REGR_13k" -> "Regr13k". */
  static String javaClass(String name) {
    StringBuilder sb = new StringBuilder();
    boolean up = true;
    for (char ch : name.toCharArray()) {
      if (!Character.isLetterOrDigit(ch) || ch >= 128) {
        up = true;
        continue;
      }
      sb.append(up ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
      up = false;
    }
    if (sb.length() == 0 || !Character.isLetter(sb.charAt(0))) sb.insert(0, "Model");
    return sb.toString();
  }

  /** Text from the model (ONNX node names) made safe inside a C block comment: no "*" + "/" that would end it, no control characters. */
  static String comment(String text) {
    return text.replace("*/", "* /").replaceAll("\\p{Cntrl}", "?");
  }

  /**
   * The model's name as firmware reports it and C strings hold it: letters, digits, '.', '_' and '-' only
   * (a quote, backslash or comment end in a --name or an ONNX graph name broke the generated C).
   */
  static String displayName(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String upper(String ident) {
    return ident.toUpperCase(Locale.ROOT);
  }
}
