package io.edgeamp.core.data;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the CSV reader through the whole loader: every mutated dataset either
 * loads (with finite values) or fails with a DatasetException that names a file of the dataset.
 * Nothing else may escape and nothing may hang. Bounded: {@value #CASES} cases, 20 s.
 */
class CsvFuzzTest {
  private static final int CASES = 2000;
  private static final String[] INSERTS = {
    ",", "\"", "\n", "\r\n", "\r", "NaN", "nan", "inf", "-Infinity", "1e999", "-1e39", "1e-400", "1e308",
    "9".repeat(400), "\uFEFF", "\t", ";", " ", "time", "\"a,b\"", "\"\"", "x", "-", ".", "e5", "0x1p3", "1d",
    "\u00e9", "\n\n\n", ",,,", "\"1\n2\"",
  };

  @TempDir Path dir;

  @Test
  void mutatedCsvEitherLoadsOrFailsWithAFileName() {
    byte[] a = realFile(0).getBytes(StandardCharsets.UTF_8);
    byte[] b = realFile(1).getBytes(StandardCharsets.UTF_8);
    DatasetSpec spec = DatasetSpec.builder(Task.REGRESSION).frameSize(8).strideFraction(0.5).splitFractions(0.5, 0.5, 0).build();
    int[] outcome = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      Random rnd = new Random(20261122L);
      for (int c = 0; c < CASES; c++) {
        byte[] mutated = mutate(c % 2 == 0 ? a : b, rnd);
        Path target = dir.resolve(c % 2 == 0 ? "files/a.csv" : "files/b.csv");
        Files.write(dir.resolve("files/a.csv"), c % 2 == 0 ? mutated : a);
        Files.write(dir.resolve("files/b.csv"), c % 2 == 0 ? b : mutated);
        try {
          Dataset ds = DatasetLoader.load(dir, spec);
          for (double v : ds.train().inputs().data()) assertTrue(Double.isFinite(v), "case " + c + ": non-finite input");
          for (double v : ds.train().targets().data()) assertTrue(Double.isFinite(v), "case " + c + ": non-finite target");
          outcome[0]++;
        } catch (DatasetException e) {
          assertNotNull(e.file(), "case " + c + ": no file in " + e.getMessage());
          String name = e.file().getFileName().toString();
          assertTrue(e.getMessage().contains(name), "case " + c + ": " + e.getMessage());
          assertTrue(name.equals("a.csv") || name.equals("b.csv"), "case " + c + ": blames " + name + " for a change to " + target);
          outcome[1]++;
        } catch (RuntimeException | Error e) {
          throw new AssertionError("case " + c + " escaped with " + e + " on input:\n"
              + new String(mutated, StandardCharsets.UTF_8), e);
        }
      }
    });
    // The mutations must exercise both outcomes, or the fuzzer is not testing much.
    assertTrue(outcome[0] > CASES / 20, "only " + outcome[0] + " mutated datasets loaded");
    assertTrue(outcome[1] > CASES / 4, "only " + outcome[1] + " mutated datasets failed");
  }

  /** A realistic sensor file: header with a time column, 40 rows of 3 signals and a target. */
  private String realFile(int seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder("time_s,speed_rpm,current_a,voltage_v,load_kg\n");
    for (int i = 0; i < 40; i++) {
      sb.append(String.format("%.3f,%.2f,%.4f,%.2f,%.1f%n", i * 0.001, 900 + r.nextGaussian(), 2 + r.nextGaussian() * 0.1,
          230 + r.nextGaussian(), 3.5));
    }
    try {
      Files.createDirectories(dir.resolve("files"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return sb.toString();
  }

  private static byte[] mutate(byte[] in, Random rnd) {
    byte[] b = in;
    int n = 1 + rnd.nextInt(3);
    for (int k = 0; k < n; k++) {
      int pos = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
      switch (rnd.nextInt(7)) {
        case 0: // flip a bit
          if (b.length > 0) {
            b = b.clone();
            int p = Math.min(pos, b.length - 1);
            b[p] ^= (byte) (1 << rnd.nextInt(8));
          }
          break;
        case 1: // insert a random byte
          b = insert(b, pos, new byte[] {(byte) rnd.nextInt(256)});
          break;
        case 2: // delete a run of bytes
          if (b.length > 0) {
            int p = Math.min(pos, b.length - 1);
            int len = 1 + rnd.nextInt(Math.min(20, b.length - p));
            byte[] out = new byte[b.length - len];
            System.arraycopy(b, 0, out, 0, p);
            System.arraycopy(b, p + len, out, p, b.length - p - len);
            b = out;
          }
          break;
        case 3: // truncate
          b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
          break;
        case 4: // insert a troublesome token
          b = insert(b, pos, INSERTS[rnd.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8));
          break;
        case 5: // replace a whole cell-ish stretch with a token
          if (b.length > 4) {
            int p = Math.min(pos, b.length - 4);
            byte[] tok = INSERTS[rnd.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[b.length - 4 + tok.length];
            System.arraycopy(b, 0, out, 0, p);
            System.arraycopy(tok, 0, out, p, tok.length);
            System.arraycopy(b, p + 4, out, p + tok.length, b.length - p - 4);
            b = out;
          }
          break;
        default: // duplicate a stretch (e.g. a line)
          if (b.length > 0) {
            int p = Math.min(pos, b.length - 1);
            int len = 1 + rnd.nextInt(Math.min(60, b.length - p));
            b = insert(b, p, Arrays.copyOfRange(b, p, p + len));
          }
          break;
      }
    }
    return b;
  }

  private static byte[] insert(byte[] b, int pos, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, pos);
    System.arraycopy(what, 0, out, pos, what.length);
    System.arraycopy(b, pos, out, pos + what.length, b.length - pos);
    return out;
  }
}
