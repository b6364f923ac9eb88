package io.edgeamp.core.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.quant.Calibration;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QuantPlan;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.tensor.Tensor;
import io.edgeamp.core.zoo.ModelZoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write, read back, run identically; reject other versions and damaged files with the file and layer named. */
class ArtifactRoundTripTest {
  @TempDir Path tmp;

  static Tensor gaussian(long seed, int... shape) {
    Random r = new Random(seed);
    Tensor t = Tensor.zeros(shape);
    for (int i = 0; i < t.size(); i++) t.data()[i] = r.nextGaussian();
    return t;
  }

  /** REGR_13k with layers at 8, 4, 2 and 32 bits (CPU layers next to each other, so float edges too). */
  static QuantizedModel mixedModel(String zoo) {
    Graph g = ModelZoo.build(zoo, 3, 64, 2, 3);
    QuantPlan plan = QuantPlan.of(g);
    Calibration cal = Calibration.run(plan, gaussian(4, 32, 3, 64, 1));
    List<String> wl = plan.weightLayerNames();
    int[] cycle = {8, 4, 2, 32, 32, 8};
    Map<String, Integer> bits = new LinkedHashMap<>();
    for (int i = 0; i < wl.size(); i++) bits.put(wl.get(i), cycle[i % cycle.length]);
    return QuantizedModel.build(plan, cal, bits, TargetSpec.GENERIC, Map.of("trained_by", "test"))
        .withNormalization(new double[] {0.5, -1, 2}, new double[] {1, 2, 3});
  }

  @Test
  void roundTripRunsIdenticallyAndRewritesTheSameBytes() throws IOException {
    for (String zoo : List.of("REGR_13k", "AD_17k")) {
      QuantizedModel m = mixedModel(zoo);
      Path dir = tmp.resolve(zoo);
      ArtifactWriter.write(m, dir);
      QuantizedModel back = ArtifactReader.read(dir);
      assertEquals(m.bits(), back.bits());
      assertEquals(m.provenance(), back.provenance());
      Random r = new Random(9);
      for (int s = 0; s < 20; s++) {
        int[] in = new int[m.inputSize()];
        for (int i = 0; i < in.length; i++) in[i] = r.nextInt(256) - 128;
        var a = m.runInt(in);
        var b = back.runInt(in);
        assertArrayEquals(a.output(), b.output());
        for (String t : a.names()) {
          if (a.isFloat(t)) assertArrayEquals(a.floatTensor(t), b.floatTensor(t), 0f, t);
          else assertArrayEquals(a.intTensor(t), b.intTensor(t), t);
        }
      }
      Tensor x = gaussian(5, 8, 3, 64, 1);
      assertArrayEquals(m.run(x).data(), back.run(x).data(), 0.0);
      // Nothing is lost: writing the read model gives the same files.
      Path again = tmp.resolve(zoo + "-again");
      ArtifactWriter.write(back, again);
      assertArrayEquals(Files.readAllBytes(dir.resolve("weights.bin")), Files.readAllBytes(again.resolve("weights.bin")));
      assertEquals(Files.readString(dir.resolve("model.json")), Files.readString(again.resolve("model.json")));
    }
  }

  @Test
  void schemaCarriesLivenessScalesAndOffsets() throws IOException {
    QuantizedModel m = mixedModel("REGR_13k");
    ArtifactWriter.write(m, tmp.resolve("a"));
    JsonNode root = ArtifactWriter.JSON.readTree(tmp.resolve("a/model.json").toFile());
    assertEquals("edgeamp-artifact", root.get("format").asText());
    assertEquals(1, root.get("version").asInt());
    int layers = root.get("layers").size();
    for (JsonNode t : root.get("tensors")) {
      int first = t.get("first_layer").asInt(), last = t.get("last_layer").asInt();
      assertTrue(first >= -1 && first <= last && last <= layers, t.toString());
    }
    JsonNode out = null;
    for (JsonNode t : root.get("tensors")) if (t.get("name").asText().equals(root.get("output").get("tensor").asText())) out = t;
    assertEquals(layers, out.get("last_layer").asInt(), "the output stays live to the end");
    long binLength = Files.size(tmp.resolve("a/weights.bin"));
    for (JsonNode l : root.get("layers")) {
      if (!l.has("weights")) continue;
      for (String blob : List.of("weights", "bias")) {
        long off = l.get(blob).get("offset").asLong(), len = l.get(blob).get("length").asLong();
        assertEquals(0, off % 4, "blobs are 4-byte aligned");
        assertTrue(off + len <= binLength);
      }
      String enc = l.get("weights").get("encoding").asText();
      assertEquals(l.get("target").asText().equals("cpu") ? "f32" : "packed_s" + l.get("bits").asInt(), enc);
    }
  }

  @Test
  void rewritingReplacesTheFolderAndLeavesNoTemporaries() throws IOException {
    Path dir = tmp.resolve("art");
    ArtifactWriter.write(mixedModel("REGR_13k"), dir);
    ArtifactWriter.write(mixedModel("AD_17k"), dir);
    assertEquals("AD_17k", ArtifactReader.read(dir).name());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(dir), s.toList(), "only the artifact folder remains");
    }
  }

  private Path written() {
    Path dir = tmp.resolve("art");
    ArtifactWriter.write(mixedModel("REGR_13k"), dir);
    return dir;
  }

  private static void editJson(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) ArtifactWriter.JSON.readTree(dir.resolve("model.json").toFile());
    edit.accept(root);
    Files.write(dir.resolve("model.json"), ArtifactWriter.JSON.writeValueAsBytes(root));
  }

  @Test
  void unknownVersionIsRejectedNamingFileAndSupportedVersion() throws IOException {
    Path dir = written();
    editJson(dir, r -> r.put("version", 2));
    ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(dir));
    assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("version 2") && e.getMessage().contains("supports version 1"), e.getMessage());
    editJson(dir, r -> r.put("format", "onnx"));
    e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(dir));
    assertTrue(e.getMessage().contains("format 'onnx'"), e.getMessage());
    Files.writeString(dir.resolve("model.json"), "{\n  \"format\": \"edgeamp-artifact\",\n  }\n");
    e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(dir));
    assertTrue(e.getMessage().contains("model.json: not valid JSON at line 3, column 3:") && !e.getMessage().contains("REDACTED"), e.getMessage());
  }

  @Test
  void truncatedWeightsNameTheFileAndLayer() throws IOException {
    Path dir = written();
    QuantizedModel m = ArtifactReader.read(dir);
    byte[] bin = Files.readAllBytes(dir.resolve("weights.bin"));
    Files.write(dir.resolve("weights.bin"), java.util.Arrays.copyOf(bin, bin.length - 5));
    ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(dir));
    QLayer last = null;
    for (QLayer l : m.layers()) if (l.kind().hasWeights()) last = l;
    assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains(last.name()), e.getMessage());
  }

  @Test
  void inconsistentOffsetsLengthsAndCorruptionAreErrors() throws IOException {
    Path dir = written();
    editJson(dir, r -> {
      for (JsonNode l : r.get("layers")) if (l.has("weights")) ((ObjectNode) l.get("weights")).put("offset", 1L << 40);
    });
    ArtifactException e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(dir));
    assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("layer "), e.getMessage());

    Path d2 = tmp.resolve("b");
    ArtifactWriter.write(mixedModel("REGR_13k"), d2);
    String[] name = new String[1];
    editJson(d2, r -> {
      JsonNode l = r.get("layers").get(0);
      name[0] = l.get("name").asText();
      ((ObjectNode) l.get("weights")).put("length", l.get("weights").get("length").asLong() - 1);
    });
    e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(d2));
    assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains(name[0]), e.getMessage());

    Path d3 = tmp.resolve("c");
    ArtifactWriter.write(mixedModel("REGR_13k"), d3);
    byte[] bin = Files.readAllBytes(d3.resolve("weights.bin"));
    bin[3] ^= 0x10;
    Files.write(d3.resolve("weights.bin"), bin);
    e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(d3));
    assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("sha256"), e.getMessage());

    e = assertThrows(ArtifactException.class, () -> ArtifactReader.read(tmp.resolve("missing")));
    assertTrue(e.getMessage().contains("model.json"), e.getMessage());
  }
}
