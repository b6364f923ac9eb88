package io.edgeamp.core.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeamp.core.quant.Dims;
import io.edgeamp.core.quant.Geometry;
import io.edgeamp.core.quant.InputTransform;
import io.edgeamp.core.quant.LayerKind;
import io.edgeamp.core.quant.QLayer;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QuantException;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.quant.TargetSpec;
import io.edgeamp.core.quant.WeightPacking;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an artifact written by {@link ArtifactWriter} back into a {@link QuantizedModel} that runs
 * identically. Rejects another format or version, a weights.bin that is shorter than model.json
 * says or does not match its checksum, and blobs whose offsets or lengths do not fit their layer,
 * naming the file and the layer.
 */
public final class ArtifactReader {
  private ArtifactReader() {}

  public static QuantizedModel read(Path dir) {
    Path modelFile = dir.resolve(Artifact.MODEL_FILE), weightsFile = dir.resolve(Artifact.WEIGHTS_FILE);
    JsonNode root;
    try {
      root = ArtifactWriter.JSON.readTree(Files.readAllBytes(modelFile));
    } catch (NoSuchFileException e) {
      throw new ArtifactException(modelFile + ": not found; " + dir + " is not a quantized-model artifact");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ArtifactException(modelFile + ": not valid JSON at " + io.edgeamp.core.io.ParseErrors.describe(e), e);
    } catch (IOException e) {
      throw new ArtifactException(modelFile + ": cannot be read: " + io.edgeamp.core.io.IoErrors.reason(e), e);
    }
    if (root == null || !root.isObject()) throw new ArtifactException(modelFile + ": not a JSON object");
    String format = root.path("format").asText("");
    if (!Artifact.FORMAT.equals(format)) {
      throw new ArtifactException(modelFile + ": format '" + format + "' is not '" + Artifact.FORMAT + "'");
    }
    JsonNode v = root.get("version");
    if (v == null || !v.isInt() || v.asInt() != Artifact.VERSION) {
      throw new ArtifactException(modelFile + ": artifact format version " + (v == null ? "(missing)" : v.toString())
          + " is not supported; this reader supports version " + Artifact.VERSION + " (regenerate the artifact with a matching toolchain)");
    }
    byte[] weights;
    try {
      weights = Files.readAllBytes(weightsFile);
    } catch (IOException e) {
      throw new ArtifactException(weightsFile + ": cannot read (" + e.getMessage() + ")", e);
    }
    try {
      return new Parser(modelFile, weightsFile, root, weights).parse();
    } catch (ArtifactException e) {
      throw e;
    } catch (QuantException | IllegalArgumentException | NullPointerException | ClassCastException e) {
      throw new ArtifactException(modelFile + ": inconsistent model description: " + e.getMessage(), e);
    }
  }

  private static final class Parser {
    final Path modelFile, weightsFile;
    final JsonNode root;
    final byte[] bin;

    Parser(Path modelFile, Path weightsFile, JsonNode root, byte[] bin) {
      this.modelFile = modelFile;
      this.weightsFile = weightsFile;
      this.root = root;
      this.bin = bin;
    }

    JsonNode req(JsonNode n, String field, String where) {
      JsonNode c = n.get(field);
      if (c == null || c.isNull()) throw new ArtifactException(modelFile + ": " + where + " has no '" + field + "'");
      return c;
    }

    QuantizedModel parse() {
      JsonNode wf = req(root, "weights_file", "the model");
      long declared = req(wf, "length", "weights_file").asLong();
      // Per-layer bounds first, so a truncated file names the layer that lost its data.
      TargetSpec target = target(req(root, "target", "the model"));
      Map<String, QTensor> tensors = new LinkedHashMap<>();
      for (JsonNode t : req(root, "tensors", "the model")) {
        String name = req(t, "name", "a tensor").asText();
        tensors.put(name, new QTensor(name, dims(req(t, "dims", "tensor " + name)), QTensor.Repr.fromJson(req(t, "type", "tensor " + name).asText()),
            (float) req(t, "scale", "tensor " + name).asDouble(), req(t, "first_layer", "tensor " + name).asInt(),
            req(t, "last_layer", "tensor " + name).asInt()));
      }
      List<QLayer> layers = new ArrayList<>();
      for (JsonNode l : req(root, "layers", "the model")) layers.add(layer(l, tensors));
      if (bin.length != declared) {
        throw new ArtifactException(weightsFile + ": " + bin.length + " bytes, model.json says " + declared + " (truncated or replaced file)");
      }
      String sha = req(wf, "sha256", "weights_file").asText();
      if (!sha.equals(ArtifactWriter.sha256(bin))) {
        throw new ArtifactException(weightsFile + ": contents do not match the sha256 recorded in model.json (corrupted file)");
      }
      JsonNode in = req(root, "input", "the model"), out = req(root, "output", "the model");
      JsonNode tr = req(in, "transform", "input");
      InputTransform transform = new InputTransform(floats(req(tr, "scale", "input transform")), floats(req(tr, "offset", "input transform")),
          strings(req(tr, "nodes", "input transform")), doubles(req(tr, "norm_mean", "input transform")), doubles(req(tr, "norm_std", "input transform")));
      Map<String, String> prov = new LinkedHashMap<>();
      root.path("provenance").fields().forEachRemaining(e -> prov.put(e.getKey(), e.getValue().asText()));
      return new QuantizedModel(req(root, "model", "the model").asText(), layers, tensors, req(in, "tensor", "input").asText(),
          req(out, "tensor", "output").asText(), ints(req(in, "shape", "input")), ints(req(out, "shape", "output")), transform, target, prov);
    }

    TargetSpec target(JsonNode t) {
      Map<Integer, Integer> mult = new java.util.TreeMap<>();
      req(t, "requant_mult_bits", "target").fields().forEachRemaining(e -> mult.put(Integer.parseInt(e.getKey()), e.getValue().asInt()));
      return new TargetSpec(req(t, "board", "target").asText(), mult, req(t, "power_of_two_scales", "target").asBoolean());
    }

    QLayer layer(JsonNode l, Map<String, QTensor> tensors) {
      String name = req(l, "name", "a layer").asText();
      String where = "layer " + name;
      LayerKind kind = LayerKind.fromJson(req(l, "kind", where).asText());
      QLayer.Target target = QLayer.Target.fromJson(req(l, "target", where).asText());
      int bits = req(l, "bits", where).asInt();
      List<Dims> inDims = new ArrayList<>();
      for (JsonNode d : req(l, "input_dims", where)) inDims.add(dims(d));
      Dims outDims = dims(req(l, "output_dims", where));
      JsonNode g = req(l, "geometry", where);
      Geometry geo = new Geometry(req(g, "k_h", where).asInt(), req(g, "stride_h", where).asInt(), req(g, "stride_w", where).asInt(),
          req(g, "pad_top", where).asInt(), req(g, "pad_bottom", where).asInt(), req(g, "factor_h", where).asInt(), req(g, "factor_w", where).asInt());
      JsonNode rq = req(l, "requant", where);
      JsonNode clamp = req(l, "clamp_f32", where);
      int rowLength = 0;
      int[] w = null, bias = null;
      double[] ws = new double[0];
      float[] wf = null, bf = null;
      if (kind.hasWeights()) {
        int rows = req(l, "rows", where).asInt();
        rowLength = req(l, "row_length", where).asInt();
        if (rows != outDims.c() || rowLength < 1) throw new ArtifactException(modelFile + ": " + where + " has " + rows + " rows of " + rowLength + " for " + outDims.c() + " output channels");
        ws = doubles(req(l, "weight_scales", where));
        JsonNode wb = req(l, "weights", where), bb = req(l, "bias", where);
        if (target == QLayer.Target.CPU) {
          wf = readF32(wb, (long) rows * rowLength, where + " weights");
          bf = readF32(bb, rows, where + " bias");
        } else {
          String enc = "packed_s" + bits;
          if (!enc.equals(req(wb, "encoding", where + " weights").asText())) {
            throw new ArtifactException(modelFile + ": " + where + " weights are '" + wb.path("encoding").asText() + "', expected '" + enc + "' for " + bits + " bits");
          }
          int offset = checkBlob(wb, (long) rows * WeightPacking.rowBytes(rowLength, bits), where + " weights");
          w = WeightPacking.unpack(bin, offset, rows, rowLength, bits);
          int bo = checkBlob(bb, 4L * rows, where + " bias");
          checkEncoding(bb, Artifact.S32, where + " bias");
          bias = new int[rows];
          ByteBuffer buf = ByteBuffer.wrap(bin, bo, 4 * rows).order(ByteOrder.LITTLE_ENDIAN);
          for (int r = 0; r < rows; r++) bias[r] = buf.getInt();
        }
      }
      return new QLayer(name, kind, strings(req(l, "inputs", where)), req(l, "output", where).asText(), inDims, outDims, geo,
          strings(req(l, "nodes", where)), bits, target, rowLength, w, bias, ws, ints(req(rq, "mult", where)), ints(req(rq, "shift", where)),
          req(l, "act_min", where).asInt(), req(l, "act_max", where).asInt(), wf, bf, (float) clamp.get(0).asDouble(), (float) clamp.get(1).asDouble());
    }

    void checkEncoding(JsonNode blob, String enc, String what) {
      String e = req(blob, "encoding", what).asText();
      if (!enc.equals(e)) throw new ArtifactException(modelFile + ": " + what + " are '" + e + "', expected '" + enc + "'");
    }

    /** Validates a blob's length against the expected size and its bounds against weights.bin; returns the offset. */
    int checkBlob(JsonNode blob, long expected, String what) {
      long off = req(blob, "offset", what).asLong(-1), len = req(blob, "length", what).asLong(-1);
      if (len != expected) {
        throw new ArtifactException(modelFile + ": " + what + " has length " + len + " bytes, its shape needs " + expected);
      }
      if (off < 0) throw new ArtifactException(modelFile + ": " + what + " has a negative offset " + off);
      if (off + len > bin.length) {
        throw new ArtifactException(weightsFile + ": truncated or inconsistent: " + what + " need bytes [" + off + ", " + (off + len)
            + ") but the file has " + bin.length + " bytes");
      }
      return (int) off;
    }

    float[] readF32(JsonNode blob, long count, String what) {
      checkEncoding(blob, Artifact.F32, what);
      int off = checkBlob(blob, 4 * count, what);
      float[] f = new float[(int) count];
      ByteBuffer buf = ByteBuffer.wrap(bin, off, 4 * (int) count).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < f.length; i++) f[i] = buf.getFloat();
      return f;
    }

    Dims dims(JsonNode a) {
      if (!a.isArray() || a.size() != 3) throw new ArtifactException(modelFile + ": dims must be [h, w, c], got " + a);
      return new Dims(a.get(0).asInt(), a.get(1).asInt(), a.get(2).asInt());
    }

    static int[] ints(JsonNode a) {
      int[] v = new int[a.size()];
      for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
      return v;
    }

    static double[] doubles(JsonNode a) {
      double[] v = new double[a.size()];
      for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
      return v;
    }

    static float[] floats(JsonNode a) {
      float[] v = new float[a.size()];
      for (int i = 0; i < v.length; i++) v[i] = (float) a.get(i).asDouble();
      return v;
    }

    static List<String> strings(JsonNode a) {
      List<String> v = new ArrayList<>();
      for (JsonNode s : a) v.add(s.asText());
      return v;
    }
  }
}
