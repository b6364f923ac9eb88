package io.edgeamp.core.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeamp.core.quant.Dims;
import io.edgeamp.core.quant.Geometry;
import io.edgeamp.core.quant.InputTransform;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.quant.WeightPacking;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a {@link QuantizedModel} as an artifact directory: {@code model.json} (see {@link Artifact}
 * for the schema) and {@code weights.bin} (little-endian; per layer in execution order: packed
 * integer weights and int32 biases for NPU layers, float32 weights and biases for CPU layers; every
 * blob starts at a multiple of 4 bytes). The files are written into a temporary sibling folder which
 * is then renamed to {@code dir}, so a reader never sees a half-written artifact.
 */
public final class ArtifactWriter {
  private ArtifactWriter() {}

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static void write(QuantizedModel model, Path dir) {
    write(model, dir, Map.of());
  }

  /**
   * As {@link #write(QuantizedModel, Path)}, with further files (the report, test vectors) placed in
   * the same folder by the same atomic rename, so the artifact never appears without them.
   */
  public static void write(QuantizedModel model, Path dir, Map<String, byte[]> extraFiles) {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    ObjectNode root = toJson(model, bin);
    byte[] weights = bin.toByteArray();
    ObjectNode wf = root.putObject("weights_file");
    wf.put("name", Artifact.WEIGHTS_FILE);
    wf.put("length", weights.length);
    wf.put("sha256", sha256(weights));
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new ArtifactException("cannot serialize " + Artifact.MODEL_FILE + " of model " + model.name() + ": " + e.getMessage(), e);
    }
    Map<String, byte[]> files = new java.util.LinkedHashMap<>(extraFiles);
    if (files.containsKey(Artifact.MODEL_FILE) || files.containsKey(Artifact.WEIGHTS_FILE)) {
      throw new IllegalArgumentException("extra artifact files may not replace " + Artifact.MODEL_FILE + " or " + Artifact.WEIGHTS_FILE);
    }
    files.put(Artifact.MODEL_FILE, json);
    files.put(Artifact.WEIGHTS_FILE, weights);
    writeAtomically(dir, files);
  }

  /** The model.json tree; blobs are appended to {@code bin}. */
  static ObjectNode toJson(QuantizedModel m, ByteArrayOutputStream bin) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", Artifact.FORMAT);
    root.put("version", Artifact.VERSION);
    root.put("model", m.name());
    root.put("layout", "batch 1, channel-last (HWC) tensors; a 1-D [C, L] tensor is L x 1 x C; 8-bit values real = q * scale (no zero point)");
    TargetSpec t = m.target();
    ObjectNode tj = root.putObject("target");
    tj.put("board", t.board());
    ObjectNode mb = tj.putObject("requant_mult_bits");
    for (var e : t.requantMultBits().entrySet()) mb.put(Integer.toString(e.getKey()), e.getValue());
    tj.put("power_of_two_scales", t.powerOfTwoScales());
    ArrayNode nb = tj.putArray("npu_bits");
    t.npuBits().forEach(nb::add);

    ObjectNode in = root.putObject("input");
    in.put("tensor", m.inputTensor());
    ints(in.putArray("shape"), m.inputShape());
    InputTransform it = m.inputTransform();
    ObjectNode tr = in.putObject("transform");
    tr.put("formula", "q[h][w][c] = quantize_f32((float) x[c][h][w] * scale[c] + offset[c], inv_scale(input), -128, 127); "
        + "x is normalized: x = (raw - norm_mean[c]) / norm_std[c]");
    floats(tr.putArray("scale"), it.scale());
    floats(tr.putArray("offset"), it.offset());
    strings(tr.putArray("nodes"), it.nodes());
    doubles(tr.putArray("norm_mean"), it.normMean());
    doubles(tr.putArray("norm_std"), it.normStd());

    ObjectNode out = root.putObject("output");
    out.put("tensor", m.outputTensor());
    ints(out.putArray("shape"), m.outputShape());
    out.put("order", "device HWC; graph order is channel-major (C, H, W)");

    ArrayNode tensors = root.putArray("tensors");
    for (QTensor q : m.tensors().values()) {
      ObjectNode tn = tensors.addObject();
      tn.put("name", q.name());
      dims(tn.putArray("dims"), q.dims());
      tn.put("type", q.repr().jsonName());
      tn.put("scale", (double) q.scale());
      tn.put("inv_scale", (double) q.invScale());
      tn.put("bytes", q.bytes());
      tn.put("first_layer", q.firstLayer());
      tn.put("last_layer", q.lastLayer());
    }

    ArrayNode layers = root.putArray("layers");
    List<QLayer> ls = m.layers();
    for (int i = 0; i < ls.size(); i++) {
      QLayer l = ls.get(i);
      ObjectNode ln = layers.addObject();
      ln.put("index", i);
      ln.put("name", l.name());
      ln.put("kind", l.kind().jsonName());
      ln.put("target", l.target().jsonName());
      ln.put("bits", l.bits());
      strings(ln.putArray("nodes"), l.nodes());
      strings(ln.putArray("inputs"), l.inputs());
      ArrayNode idims = ln.putArray("input_dims");
      for (Dims d : l.inputDims()) dims(idims.addArray(), d);
      ln.put("output", l.output());
      dims(ln.putArray("output_dims"), l.outputDims());
      Geometry g = l.geometry();
      ObjectNode gj = ln.putObject("geometry");
      gj.put("k_h", g.kH());
      gj.put("stride_h", g.strideH());
      gj.put("stride_w", g.strideW());
      gj.put("pad_top", g.padTop());
      gj.put("pad_bottom", g.padBottom());
      gj.put("factor_h", g.factorH());
      gj.put("factor_w", g.factorW());
      ln.put("act_min", l.actMin());
      ln.put("act_max", l.actMax());
      ArrayNode cf = ln.putArray("clamp_f32");
      cf.add((double) l.clampLo());
      cf.add((double) l.clampHi());
      ObjectNode rq = ln.putObject("requant");
      ints(rq.putArray("mult"), l.mult());
      ints(rq.putArray("shift"), l.shift());
      if (l.kind().hasWeights()) {
        ln.put("rows", l.rows());
        ln.put("row_length", l.rowLength());
        doubles(ln.putArray("weight_scales"), l.weightScales());
        if (l.onCpu()) {
          ln.set("weights", blob(bin, Artifact.F32, f32(l.weightsF()), 0));
          ln.set("bias", blob(bin, Artifact.F32, f32(l.biasF()), 0));
        } else {
          byte[] packed = WeightPacking.pack(l.weights(), l.rows(), l.rowLength(), l.bits());
          ObjectNode w = blob(bin, "packed_s" + l.bits(), packed, WeightPacking.rowBytes(l.rowLength(), l.bits()));
          ln.set("weights", w);
          ln.set("bias", blob(bin, Artifact.S32, s32(l.bias()), 0));
        }
      }
    }
    ObjectNode prov = root.putObject("provenance");
    for (var e : m.provenance().entrySet()) prov.put(e.getKey(), e.getValue());
    return root;
  }

  private static ObjectNode blob(ByteArrayOutputStream bin, String encoding, byte[] data, int rowBytes) {
    while (bin.size() % 4 != 0) bin.write(0);
    ObjectNode b = JSON.createObjectNode();
    b.put("offset", bin.size());
    b.put("length", data.length);
    b.put("encoding", encoding);
    if (rowBytes > 0) b.put("row_bytes", rowBytes);
    bin.writeBytes(data);
    return b;
  }

  static byte[] f32(float[] v) {
    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) bb.putFloat(f);
    return bb.array();
  }

  static byte[] s32(int[] v) {
    ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) bb.putInt(x);
    return bb.array();
  }

  private static void ints(ArrayNode a, int[] v) {
    for (int x : v) a.add(x);
  }

  private static void doubles(ArrayNode a, double[] v) {
    for (double x : v) a.add(x);
  }

  /** Floats as the doubles they widen to exactly, so a reader gets the same float back. */
  private static void floats(ArrayNode a, float[] v) {
    for (float x : v) a.add((double) x);
  }

  private static void strings(ArrayNode a, List<String> v) {
    v.forEach(a::add);
  }

  private static void dims(ArrayNode a, Dims d) {
    a.add(d.h());
    a.add(d.w());
    a.add(d.c());
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the files into a fresh sibling folder, then renames it over {@code dir}. */
  static void writeAtomically(Path dir, Map<String, byte[]> files) {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Path tmp = null, old = null;
    try {
      Files.createDirectories(parent);
      tmp = io.edgeamp.core.io.AtomicFiles.siblingTempDir(target, "tmp");
      for (var e : files.entrySet()) Files.write(tmp.resolve(e.getKey()), e.getValue());
      if (Files.exists(target)) {
        if (!Files.isDirectory(target)) throw new ArtifactException("cannot write the artifact to " + target + ": it is a file, not a folder");
        old = io.edgeamp.core.io.AtomicFiles.siblingTempDir(target, "old");
        Files.delete(old);
        move(target, old);
      }
      move(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new ArtifactException("cannot write the artifact " + target + ": " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
      deleteTree(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteTree(Path p) {
    if (p == null || !Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p, e);
    }
  }

  /** For tests: the JSON text of a model's model.json (without the weights_file entry). */
  static JsonNode describe(QuantizedModel m) {
    return toJson(m, new ByteArrayOutputStream());
  }
}
