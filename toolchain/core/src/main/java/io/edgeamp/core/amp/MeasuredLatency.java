package io.edgeamp.core.amp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.quant.Dims;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Per-layer latencies measured on boards: the per-layer rows of a HIL server latency table
 * ({@code GET /api/v1/latency-table}, schema {@code edgeamp.latency-table} version 1). A row keys a
 * measurement by board (or board profile), layer kind ({@code conv}, {@code depthwise_conv},
 * {@code dense}, ...), shape ({@link #shapeKey}) and bit width; {@code cycles_median} is the measured
 * time in the board's timer unit. Whole-model rows ({@code layer_kind: model}) are ignored here.
 */
public final class MeasuredLatency {
  private final Map<String, Long> byKey = new HashMap<>();
  private final Path source;

  private MeasuredLatency(Path source) {
    this.source = source;
  }

  /**
   * The shape key shared by codegen (firmware layer lines, codegen-report.json), the HIL server and
   * the allocators: first input HWC, '>', output HWC, '/', weight row length (fan-in; 0 without
   * weights), e.g. {@code 32x1x3>16x1x8/9}.
   */
  public static String shapeKey(Dims in, Dims out, int rowLength) {
    return in + ">" + out + "/" + rowLength;
  }

  /** Reads a latency table file (the JSON the HIL server exports). */
  public static MeasuredLatency read(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read latency table " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !"edgeamp.latency-table".equals(root.path("schema").asText()) || root.path("version").asInt() != 1) {
      throw new IllegalArgumentException(file + " is not a latency table (schema edgeamp.latency-table, version 1)");
    }
    MeasuredLatency m = new MeasuredLatency(file);
    for (JsonNode r : root.path("rows")) {
      String kind = r.path("layer_kind").asText("model");
      if ("model".equals(kind) || !r.hasNonNull("bits") || !r.hasNonNull("shape") || !r.hasNonNull("cycles_median")) continue;
      long cycles = r.get("cycles_median").asLong();
      int bits = r.get("bits").asInt();
      String shape = r.get("shape").asText();
      for (String b : new String[] {r.path("board").asText(null), r.path("profile").asText(null)}) {
        if (b != null) m.byKey.merge(key(b, kind, shape, bits), cycles, Math::min);
      }
    }
    return m;
  }

  private static String key(String board, String kind, String shape, int bits) {
    return board + "|" + kind + "|" + shape + "|" + bits;
  }

  /** The measured time of a layer on the board (rows match by their board or their profile id), if any. */
  public OptionalLong lookup(BoardProfile board, String kind, String shape, int bits) {
    Long v = byKey.get(key(board.id(), kind, shape, bits));
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }

  public int size() {
    return byKey.size();
  }

  public Path source() {
    return source;
  }
}
