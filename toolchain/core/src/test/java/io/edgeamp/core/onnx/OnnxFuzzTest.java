package io.edgeamp.core.onnx;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.edgeamp.core.ir.Graph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the reader over real ONNX files the tests write: bit flips, truncation,
 * byte insertions, deletions, and bumped varints (the lengths and sizes protobuf trusts). Every input
 * must give a Graph (which must also export) or an OnnxFormatException naming the source; nothing else
 * may escape, nothing may exhaust memory or hang.
 */
class OnnxFuzzTest {
  /** 2,000 cases in well under 20 s by default; -Dedgeamp.fuzz.cases / -Dedgeamp.fuzz.seed for longer hunts. */
  private static final int CASES = Integer.getInteger("edgeamp.fuzz.cases", 2_000);
  private static final long SEED = Long.getLong("edgeamp.fuzz.seed", 20240607L);

  private static List<byte[]> corpus() {
    List<byte[]> files = new ArrayList<>();
    files.add(OpCases.smallCnn());
    files.add(OnnxExporter.toBytes(OnnxExporterTest.javaBuiltGraph()));
    for (var a : OpCases.all()) {
      String name = (String) a.get()[0];
      if (name.startsWith("resize linear sizes") || name.startsWith("identity") || name.startsWith("clip bounds from Constant")
          || name.startsWith("softmax opset 11 axis 1") || name.startsWith("conv1d auto_pad SAME_UPPER") || name.startsWith("squeeze opset 13")) {
        files.add(((OpCases.Case) a.get()[1]).model().get());
      }
    }
    return files;
  }

  @Test
  void mutatedModelsGiveAGraphOrAFormatException() {
    List<byte[]> corpus = corpus();
    int[] outcome = new int[2]; // graphs, format errors
    assertTimeoutPreemptively(Duration.ofSeconds(CASES <= 2_000 ? 60 : 600), () -> {
      Random rnd = new Random(SEED);
      long deadline = System.nanoTime() + Duration.ofSeconds(CASES <= 2_000 ? 20 : 500).toNanos();
      for (int k = 0; k < CASES && System.nanoTime() < deadline; k++) {
        byte[] base = corpus.get(rnd.nextInt(corpus.size()));
        int kind = rnd.nextInt(6);
        byte[] input = mutate(base, kind, rnd);
        String source = "fuzz#" + k + "(kind " + kind + ")";
        try {
          Graph g = OnnxImporter.read(input, source);
          OnnxExporter.toBytes(g); // a graph the reader accepts must be writable too
          outcome[0]++;
        } catch (OnnxFormatException e) {
          assertTrue(e.getMessage().startsWith(source + ": ") && e.getMessage().length() > source.length() + 5, e.getMessage());
          // The importer's last-resort wrapper of unexpected exceptions must not be what catches a mutation:
          // only protobuf's own errors and the IR's validation (IllegalArgumentException) may be causes.
          Throwable cause = e.getCause();
          if (cause != null && !(cause instanceof java.io.IOException) && !(cause instanceof IllegalArgumentException)) {
            fail(source + " (seed " + SEED + ") hit an unexpected " + cause, cause);
          }
          outcome[1]++;
        } catch (Throwable t) {
          fail(source + " (seed " + SEED + ") escaped as " + t, t);
        }
      }
    });
    int total = outcome[0] + outcome[1];
    System.out.println("ONNX reader fuzz: " + total + " mutated models, " + outcome[0] + " read as graphs, " + outcome[1] + " rejected");
    assertTrue(total >= CASES / 2, "only " + total + " cases ran in the time budget");
    assertTrue(outcome[0] > 0 && outcome[1] > 0, "mutations should yield both graphs and errors: " + Arrays.toString(outcome));
  }

  static byte[] mutate(byte[] base, int kind, Random rnd) {
    byte[] b = base.clone();
    switch (kind) {
      case 0 -> { // flip 1-4 bits
        for (int n = 1 + rnd.nextInt(4); n > 0; n--) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        return b;
      }
      case 1 -> { // truncate
        return Arrays.copyOf(b, rnd.nextInt(b.length));
      }
      case 2 -> { // insert random bytes
        int at = rnd.nextInt(b.length + 1), n = 1 + rnd.nextInt(8);
        byte[] out = new byte[b.length + n];
        System.arraycopy(b, 0, out, 0, at);
        for (int i = 0; i < n; i++) out[at + i] = (byte) rnd.nextInt(256);
        System.arraycopy(b, at, out, at + n, b.length - at);
        return out;
      }
      case 3 -> { // delete a range
        int at = rnd.nextInt(b.length), n = 1 + rnd.nextInt(Math.min(16, b.length - at));
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
      }
      case 4 -> { // bump a varint: replace a one-byte varint (a length, dim or count) with a huge multi-byte one
        int at = rnd.nextInt(b.length);
        while (at < b.length - 1 && (b[at] & 0x80) != 0) at++;
        byte[] huge = rnd.nextBoolean() ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}
            : new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        byte[] out = new byte[b.length - 1 + huge.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(huge, 0, out, at, huge.length);
        System.arraycopy(b, at + 1, out, at + huge.length, b.length - at - 1);
        return out;
      }
      default -> { // small increments of a byte (lengths off by a little keep the structure mostly valid)
        int at = rnd.nextInt(b.length);
        b[at] = (byte) (b[at] + 1 + rnd.nextInt(3));
        return b;
      }
    }
  }
}
