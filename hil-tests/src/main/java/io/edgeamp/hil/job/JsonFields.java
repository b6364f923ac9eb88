package io.edgeamp.hil.job;

import io.edgeamp.hil.HilException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import io.edgeamp.hil.Ids;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Typed reads of submitted JSON that answer a wrong type or range with a 400 naming the field and what
 * it must be. Vert.x's getters throw ClassCastException for a wrong type and narrow numbers silently
 * (4294967297 read as an int is 1, 1.9 is 1), which reached clients as HTTP 500 and ran wrong jobs.
 * A null value counts as absent.
 */
public final class JsonFields {
  private JsonFields() {}

  public static HilException invalid(String field, String mustBe) {
    return new HilException(400, field + " must be " + mustBe);
  }

  /** "... must be X, got a string": what the client sent, by JSON type. */
  public static HilException invalid(String field, String mustBe, Object got) {
    return new HilException(400, field + " must be " + mustBe + ", got " + kind(got));
  }

  public static String string(Object o, String field) {
    if (o != null && !(o instanceof String)) {
      throw invalid(field, "a string", o);
    }
    return (String) o;
  }

  public static JsonObject object(Object o, String field, String mustBe) {
    if (o != null && !(o instanceof JsonObject)) {
      throw invalid(field, mustBe, o);
    }
    return (JsonObject) o;
  }

  public static JsonArray array(Object o, String field, String mustBe) {
    if (o != null && !(o instanceof JsonArray)) {
      throw invalid(field, mustBe, o);
    }
    return (JsonArray) o;
  }

  /** A list of ids (tags), or null when absent. */
  public static List<String> ids(Object o, String field, String what) {
    JsonArray a = array(o, field, "an array of strings");
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object x : a) {
      if (!(x instanceof String)) {
        throw invalid(field, "an array of strings", x);
      }
      out.add(Ids.requireId((String) x, what));
    }
    return out;
  }

  /**
   * An integer in lo..hi, or {@code def} when absent. A JSON number with a fraction is refused; one
   * written with a zero fraction (3.0, as some encoders write integers) is taken as the integer.
   */
  public static long integer(Object o, String field, long def, long lo, long hi) {
    if (o == null) {
      return def;
    }
    String mustBe = "an integer in " + lo + ".." + hi;
    if (!(o instanceof Number)) {
      throw invalid(field, mustBe, o);
    }
    BigDecimal v;
    try {
      v = o instanceof Double || o instanceof Float ? BigDecimal.valueOf(((Number) o).doubleValue()) : new BigDecimal(o.toString());
    } catch (NumberFormatException e) {
      throw invalid(field, mustBe, o); // NaN or infinity
    }
    if (v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(lo)) < 0 || v.compareTo(BigDecimal.valueOf(hi)) > 0) {
      throw new HilException(400, field + " must be " + mustBe + ", got " + o);
    }
    return v.longValueExact();
  }

  private static String kind(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof String) {
      return "a string";
    }
    if (o instanceof Number) {
      return "the number " + o;
    }
    if (o instanceof Boolean) {
      return o.toString();
    }
    return o instanceof JsonArray ? "an array" : o instanceof JsonObject ? "an object" : o.getClass().getSimpleName();
  }

  /** Refuses keys outside {@code known}, naming the first one (as the suite YAML and hardware map do). */
  public static void onlyKeys(JsonObject j, Collection<String> known, String where) {
    for (String k : j.fieldNames()) {
      if (!known.contains(k)) {
        throw new HilException(400, "unknown key " + k + (where.isEmpty() ? "" : " in " + where) + "; known: "
            + String.join(", ", new TreeSet<>(known)));
      }
    }
  }
}
