package io.edgeamp.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The YAML reading of hand-written configuration (board profiles, hardware maps): unknown and duplicate
 * keys are errors, and nothing is silently converted ("25MHz" or "20s" is not an integer, 1 is not a
 * string, "yes" is not a boolean, a scalar is not a one-element list, 0x8000000 is not the argument
 * "0x8000000").
 */
public final class StrictYaml {
  private StrictYaml() {}

  public static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper(new YAMLFactory());
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
    m.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    m.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return m;
  }

  /** A Jackson error's key path, YAML style: {@code npu.bits[1]}, {@code boards[0].flasher.timeout_s}. */
  public static String keyPath(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** What the parser stands on, for "got ...": {@code 'text'}, {@code 20}, {@code a list}, {@code nothing (null)}. */
  public static String tokenName(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) return "nothing";
    try {
      switch (t) {
        case START_ARRAY:
          return "a list";
        case START_OBJECT:
        case FIELD_NAME:
          return "a mapping";
        case VALUE_STRING:
          return "'" + p.getText() + "'";
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
        case VALUE_TRUE:
        case VALUE_FALSE:
          return p.getText();
        case VALUE_NULL:
          return "nothing (null)";
        default:
          return t.toString();
      }
    } catch (IOException ex) {
      return t.toString();
    }
  }

  /** A Java target type in YAML words, for "expected ..."; the schema's own classes (nested in {@code schema}) are mappings. */
  public static String typeName(Class<?> c, Class<?> schema) {
    if (c == null) return "another type";
    if (c == Integer.class || c == int.class || c == Long.class || c == long.class) return "an integer";
    if (c == Double.class || c == double.class || c == Float.class || c == float.class) return "a number";
    if (c == Boolean.class || c == boolean.class) return "true or false";
    if (c == String.class) return "a string";
    if (List.class.isAssignableFrom(c) || Collection.class.isAssignableFrom(c) || c.isArray()) return "a list";
    if (Map.class.isAssignableFrom(c) || c == schema || c.getEnclosingClass() == schema) return "a mapping";
    return c.getSimpleName();
  }
}
