package io.edgeamp.hil.board;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.edgeamp.core.io.ParseErrors;
import io.edgeamp.core.io.StrictYaml;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the hardware map's YAML strictly (unknown and duplicate keys, a string where a number belongs,
 * a number where a string belongs all fail, as for board profiles) and turns Jackson's errors into one
 * {@link IllegalArgumentException} naming the file, the key path ({@code boards[0].flasher.retries}),
 * line and column, and the fix. The CLI prints such an exception as one line and exits 2; Jackson's own
 * exceptions went out as a stack trace that named neither.
 */
final class HardwareMapYaml {
  private static final ObjectMapper MAPPER = mapper();

  private HardwareMapYaml() {}

  static HardwareMap read(Path file) {
    HardwareMap map;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      map = MAPPER.readValue(in, HardwareMap.class);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("hardware map " + file + ": no such file");
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException) {
        // the parser's error met while mapping a value: a duplicate key or broken syntax
        JsonProcessingException c = (JsonProcessingException) e.getCause();
        String what = c.getOriginalMessage() == null ? "" : c.getOriginalMessage();
        if (what.startsWith("Duplicate field ")) {
          String path = keyPath(e.getPath());
          throw new IllegalArgumentException("hardware map " + file + ": " + (path.isEmpty() ? "" : path + ": ") + "duplicate key "
              + what.substring("Duplicate field ".length()) + ParseErrors.where(c.getLocation()) + " (keep one of them)");
        }
        throw new IllegalArgumentException("hardware map " + file + ": YAML syntax error at " + ParseErrors.describe(c));
      }
      if (e.getPath().isEmpty() && e instanceof MismatchedInputException && e.getProcessor() instanceof JsonParser
          && ((JsonParser) e.getProcessor()).currentToken() == null) {
        throw empty(file);
      }
      // an unknown key's path ends with the key itself: name the mapping it is in
      String path = keyPath(e instanceof UnrecognizedPropertyException ? e.getPath().subList(0, e.getPath().size() - 1) : e.getPath());
      throw new IllegalArgumentException("hardware map " + file + ": " + (path.isEmpty() ? "" : path + ": ") + explain(e));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("hardware map " + file + ": YAML syntax error at " + ParseErrors.describe(e));
    } catch (IOException e) {
      throw new IllegalArgumentException("hardware map " + file + ": cannot read: " + e.getMessage());
    }
    if (map == null) {
      throw empty(file);
    }
    return map;
  }

  private static IllegalArgumentException empty(Path file) {
    return new IllegalArgumentException("hardware map " + file + ": the file is empty; it needs a 'boards:' list "
        + "(see hil-tests/README.md, \"Hardware map\")");
  }

  private static ObjectMapper mapper() {
    // a null for an int field (timeout_s:) is an error here, not 0
    return StrictYaml.mapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** {@code boards[0].flasher.timeout_s}. */
  static String keyPath(List<JsonMappingException.Reference> path) {
    return StrictYaml.keyPath(path);
  }

  private static String explain(JsonMappingException e) {
    String at = ParseErrors.where(e.getLocation());
    if (e instanceof UnrecognizedPropertyException) {
      UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
      Collection<Object> known = u.getKnownPropertyIds();
      String allowed = known == null ? "" : known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return "unknown key '" + u.getPropertyName() + "'" + at + "; allowed keys here: " + allowed
          + " (fix the spelling or remove it)";
    }
    if (e instanceof InvalidFormatException) {
      Object v = ((InvalidFormatException) e).getValue();
      Class<?> target = ((InvalidFormatException) e).getTargetType();
      return "expected " + StrictYaml.typeName(target, HardwareMap.class) + ", got " + (v instanceof String ? "'" + v + "'" : String.valueOf(v)) + at
          + hint(target, e.getProcessor() instanceof JsonParser ? (JsonParser) e.getProcessor() : null);
    }
    if (e instanceof MismatchedInputException) {
      MismatchedInputException mi = (MismatchedInputException) e;
      JsonParser p = mi.getProcessor() instanceof JsonParser ? (JsonParser) mi.getProcessor() : null;
      String got = p != null ? ", got " + StrictYaml.tokenName(p) : "";
      return "expected " + StrictYaml.typeName(mi.getTargetType(), HardwareMap.class) + got + at + hint(mi.getTargetType(), p);
    }
    return e.getOriginalMessage().lines().findFirst().orElse("") + at;
  }

  /** What to write instead, for a scalar of the wrong kind. */
  private static String hint(Class<?> target, JsonParser p) {
    JsonToken got = p == null ? null : p.currentToken();
    if (got == null || !got.isScalarValue()) {
      return "";
    }
    if ((target == int.class || target == Integer.class) && got != JsonToken.VALUE_NUMBER_INT) {
      return " (write a whole number of seconds, e.g. timeout_s: 20)";
    }
    if (target == String.class && got != JsonToken.VALUE_STRING) {
      try {
        return " (quote it to pass it as text: \"" + p.getText() + "\")";
      } catch (IOException e) {
        return " (quote it to pass it as text)";
      }
    }
    return "";
  }
}
