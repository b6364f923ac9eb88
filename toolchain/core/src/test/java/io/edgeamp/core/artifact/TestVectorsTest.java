package io.edgeamp.core.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgeamp.core.quant.QuantizedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** test_vectors.bin next to the model: written with the artifact, reproduced by the model read back, damage named. */
class TestVectorsTest {
  @TempDir Path tmp;

  @Test
  void writtenWithTheArtifactAndReproducedByTheModelReadBack() {
    QuantizedModel m = ArtifactRoundTripTest.mixedModel("REGR_13k");
    TestVectors tv = TestVectors.of(m, ArtifactRoundTripTest.gaussian(9, 5, 3, 64, 1));
    Path dir = tmp.resolve("artifact");
    ArtifactWriter.write(m, dir, Map.of(TestVectors.FILE, tv.toBytes()));
    TestVectors back = TestVectors.read(dir.resolve(TestVectors.FILE));
    QuantizedModel read = ArtifactReader.read(dir);
    assertEquals(5, back.count());
    for (int k = 0; k < back.count(); k++) {
      assertArrayEquals(tv.inputs()[k], back.inputs()[k]);
      assertEquals(m.inputSize(), back.inputs()[k].length);
      int[] in = new int[back.inputs()[k].length];
      for (int i = 0; i < in.length; i++) in[i] = back.inputs()[k][i];
      int[] y = read.runInt(in).output();
      byte[] yb = new byte[y.length];
      for (int i = 0; i < y.length; i++) yb[i] = (byte) y[i];
      assertArrayEquals(back.outputs()[k], yb, "vector " + k);
    }
    assertTrue(Arrays.stream(back.inputs()).anyMatch(v -> v[0] != 0), "real windows, not zeros");
  }

  @Test
  void damagedFilesAreNamedWithWhatIsWrong() throws Exception {
    QuantizedModel m = ArtifactRoundTripTest.mixedModel("REGR_4k");
    byte[] good = TestVectors.of(m, ArtifactRoundTripTest.gaussian(3, 2, 3, 64, 1)).toBytes();
    Path f = tmp.resolve(TestVectors.FILE);
    Files.write(f, Arrays.copyOf(good, good.length - 1));
    assertTrue(assertThrows(ArtifactException.class, () -> TestVectors.read(f)).getMessage().contains(f + ": header says 2 vectors"));
    Files.write(f, Arrays.copyOf(good, 10));
    assertTrue(assertThrows(ArtifactException.class, () -> TestVectors.read(f)).getMessage().contains("shorter than its 20-byte header"));
    byte[] v2 = good.clone();
    v2[4] = 2;
    Files.write(f, v2);
    assertTrue(assertThrows(ArtifactException.class, () -> TestVectors.read(f)).getMessage().contains("version 2 is not supported"));
    Files.write(f, "PK\u0003\u0004 not vectors".getBytes());
    assertTrue(assertThrows(ArtifactException.class, () -> TestVectors.read(f)).getMessage().contains("no EATV header"));
  }
}
