package io.edgeamp.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Jackson's parse errors (JSON and YAML) as one readable phrase: where and what, without the
 * "[Source: REDACTED ...]" location dump and the source excerpt its getMessage() appends.
 */
public final class ParseErrors {
  private ParseErrors() {}

  /** " (line L, column C)" or "" when the location is unknown. */
  public static String where(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) return "";
    return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
  }

  /** e.g. "line 3, column 7: Unexpected character ('}' (code 125)): was expecting double-quote to start field name". */
  public static String describe(JsonProcessingException e) {
    // SnakeYAML's messages interleave indented location and excerpt lines with the sentences worth keeping
    String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
        : String.join("; ", e.getOriginalMessage().lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
    String at = where(e.getLocation());
    return at.isEmpty() ? what : at.substring(2, at.length() - 1) + ": " + what;
  }
}
