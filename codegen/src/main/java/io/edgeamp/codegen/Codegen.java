package io.edgeamp.codegen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.squareup.javapoet.JavaFile;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.edgeamp.core.artifact.ArtifactException;
import io.edgeamp.core.artifact.ArtifactReader;
import io.edgeamp.core.artifact.ArtifactWriter;
import io.edgeamp.core.board.BoardProfile;
import io.edgeamp.core.board.BoardProfiles;
import io.edgeamp.core.quant.QTensor;
import io.edgeamp.core.quant.QTensor.Repr;
import io.edgeamp.core.quant.QuantizedModel;
import io.edgeamp.core.tensor.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The code generator: a quantized model (artifact) and a board profile in, a firmware source folder
 * out (model.c/.h, model_weights.h, test vectors, self-test main, CMakeLists.txt, the board's linker
 * script, the Java device twin, the artifact used, a report).
 *
 * <p>Order of work, so that a failure writes nothing: check every NPU layer against the board
 * ({@link BoardCheck}; an error, or with {@code allowCpuFallback} a move to the CPU), plan the arena
 * ({@link CModel}), check flash and RAM, generate and compile the twin ({@link TwinGenerator},
 * {@link TwinCompiler}), compute the test vectors with the twin and cross-check them against the
 * toolchain's {@link QuantizedModel} evaluation, render the templates into a temporary sibling folder,
 * compile them with the board's portability-check compiler if it has one, then rename the folder.
 */
public final class Codegen {
  private Codegen() {}

  public static final String VERSION = "0.1.0";
  public static final String TWIN_PACKAGE = "io.edgeamp.generated";
  /**
   * Flash the harness firmware needs besides the model's constant tables: port, harness, the kernels a
   * model calls and newlib's pieces. Measured with arm-none-eabi-size on the QEMU machines (about 17 to
   * 22 KiB for the zoo models, the M55 largest); rounded up.
   */
  public static final long CODE_RESERVE_BYTES = 24 * 1024;
  /**
   * RAM for .data/.bss of the port and newlib (reent structure, stdio buffers). Measured on the harness
   * firmware of the zoo models (mps2-an386, arm-none-eabi-size: .data + .bss + stack minus arena, harness
   * buffers and stack): 2,383 to 2,411 bytes (2 KiB had the estimate about 350 bytes short); rounded up.
   */
  public static final long LIBC_RAM_RESERVE_BYTES = 2560;
  /** Harness command buffer (EA_HARNESS_CMD_MAX + 1). */
  static final long HARNESS_CMD_BYTES = 1025;
  /** Stack when neither the linker script nor the linker flags say. */
  public static final long DEFAULT_STACK_BYTES = 4 * 1024;

  /** What to generate. {@code name}: model name in C and Java (default the artifact's); {@code vectors}: test vector count. */
  public record Options(boolean allowCpuFallback, int vectors, long seed, String name, Path runtimeDir, boolean portabilityCheck) {
    public static Options defaults() {
      return new Options(false, 8, 1, null, null, true);
    }

    public Options withAllowCpuFallback(boolean b) {
      return new Options(b, vectors, seed, name, runtimeDir, portabilityCheck);
    }

    public Options withName(String n) {
      return new Options(allowCpuFallback, vectors, seed, n, runtimeDir, portabilityCheck);
    }

    public Options withVectors(int n) {
      return new Options(allowCpuFallback, n, seed, name, runtimeDir, portabilityCheck);
    }

    public Options withRuntimeDir(Path p) {
      return new Options(allowCpuFallback, vectors, seed, name, p, portabilityCheck);
    }

    public Options withPortabilityCheck(boolean b) {
      return new Options(allowCpuFallback, vectors, seed, name, runtimeDir, b);
    }
  }

  /** Flash and RAM the harness firmware needs, by part. */
  public record Fit(long constants, long codeReserve, long flashNeeded, long flashBytes, long arena, long harnessBuffers, long stack,
      long libcReserve, long ramNeeded, long ramBytes) {
    public boolean fits() {
      return flashNeeded <= flashBytes && ramNeeded <= ramBytes;
    }
  }

  /** What was generated. */
  public record Result(Path out, String modelName, String cName, String twinClass, QuantizedModel model, CModel cmodel, Fit fit,
      List<BoardCheck.Problem> fallbacks, byte[][] inputs, byte[][] expected, List<String> messages, String portabilityCheck) {}

  // ---- entry points --------------------------------------------------------------------------------

  /** Resolves a board: a path to a YAML file, or an id looked up in {@code extraDirs} and then the standard folders. */
  public static BoardProfile board(String idOrPath, List<Path> extraDirs) {
    if (idOrPath.endsWith(".yaml") || idOrPath.contains("/") || idOrPath.contains("\\")) return BoardProfiles.load(Path.of(idOrPath));
    List<Path> dirs = new ArrayList<>(extraDirs);
    dirs.addAll(BoardProfiles.standard().searchPath());
    return new BoardProfiles(dirs).get(idOrPath);
  }

  /** Reads the artifact folder and generates. */
  public static Result generate(Path artifactDir, BoardProfile board, Path out, Options o) {
    QuantizedModel m;
    try {
      m = ArtifactReader.read(artifactDir);
    } catch (ArtifactException e) {
      throw new CodegenException(e.getMessage(), e);
    }
    return generate(m, artifactDir.toString(), board, out, o);
  }

  public static Result generate(QuantizedModel model, String source, BoardProfile board, Path out, Options o) {
    checkReplaceable(out);
    checkLinkerScript(board);
    List<String> messages = new ArrayList<>();
    // 1. The board's NPU limits.
    List<BoardCheck.Problem> problems = BoardCheck.problems(model, board);
    List<BoardCheck.Problem> fallbacks = List.of();
    if (!problems.isEmpty()) {
      if (!o.allowCpuFallback()) {
        StringBuilder sb = new StringBuilder();
        for (BoardCheck.Problem p : problems) sb.append(sb.length() == 0 ? "" : "\n").append(p);
        if (problems.size() > 1) sb.insert(0, "model " + model.name() + ": " + problems.size() + " layers cannot run on the NPU of board " + board.id() + ":\n");
        sb.append("\n(--allow-cpu-fallback runs such layers as float32 on the CPU)");
        throw new CodegenException(sb.toString());
      }
      model = BoardCheck.withCpuFallback(model, problems);
      fallbacks = problems;
      for (BoardCheck.Problem p : problems) messages.add("CPU fallback: layer " + p.layer() + " runs as float32 on the CPU: " + p.reason());
    }
    String name = o.name() != null ? o.name() : model.name();
    String displayName = CNames.displayName(name);
    if (!displayName.equals(name)) messages.add("model name '" + name + "' appears in the firmware as '" + displayName + "'");
    String cName = CNames.ident(name);
    String twinSimple = CNames.javaClass(name) + "Twin";
    Path runtime = runtimeDir(o.runtimeDir());

    // 2. Layout and fit.
    CModel cm = new CModel(model, cName);
    Fit fit = fit(model, cm, board);
    if (!fit.fits()) {
      StringBuilder sb = new StringBuilder("model " + name + " does not fit board " + board.id() + " (" + board.source() + "):");
      if (fit.flashNeeded() > fit.flashBytes()) {
        sb.append(String.format(Locale.ROOT, "%n  flash: needs %,d bytes (constant tables %,d + code reserve %,d) > flash_bytes %,d", fit.flashNeeded(),
            fit.constants(), fit.codeReserve(), fit.flashBytes()));
      }
      if (fit.ramNeeded() > fit.ramBytes()) {
        sb.append(String.format(Locale.ROOT, "%n  RAM: needs %,d bytes (arena %,d + harness buffers %,d + stack %,d + C library %,d) > ram_bytes %,d",
            fit.ramNeeded(), fit.arena(), fit.harnessBuffers(), fit.stack(), fit.libcReserve(), fit.ramBytes()));
      }
      throw new CodegenException(sb.toString());
    }

    // 3. The twin, compiled in memory, and the test vectors it computes.
    JavaFile twinFile = TwinGenerator.generate(model, TWIN_PACKAGE, twinSimple, board.id(), source);
    TwinCompiler.Twin twin = TwinCompiler.compile(twinFile);
    Vectors v = vectors(model, o.vectors(), o.seed());
    byte[][] expected = new byte[v.inputs.length][];
    for (int k = 0; k < v.inputs.length; k++) {
      expected[k] = twin.infer(v.inputs[k]);
      int[] in = new int[v.inputs[k].length];
      for (int i = 0; i < in.length; i++) in[i] = v.inputs[k][i];
      int[] ref = model.runInt(in).output();
      for (int i = 0; i < ref.length; i++) {
        if ((byte) ref[i] != expected[k][i]) {
          throw new IllegalStateException("internal error: the generated twin and the toolchain's evaluator disagree on vector " + k + " element " + i
              + ": twin " + expected[k][i] + ", evaluator " + ref[i]);
        }
      }
    }

    // 4. Render everything into a temporary sibling folder.
    Map<String, Object> data = dataModel(model, cm, board, name, displayName, cName, twinSimple, source, runtime, fit, messages, v, expected);
    Path abs = out.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    Path tmp = null;
    String check = null;
    try {
      Files.createDirectories(parent);
      tmp = io.edgeamp.core.io.AtomicFiles.siblingTempDir(abs, "tmp");
      Configuration fm = freemarker();
      for (String[] t : new String[][] {{"model.h", "model.h.ftl"}, {"model.c", "model.c.ftl"}, {"model_weights.h", "model_weights.h.ftl"},
          {"test_vectors.h", "test_vectors.h.ftl"}, {"test_vectors.c", "test_vectors.c.ftl"}, {"selftest_main.c", "selftest_main.c.ftl"},
          {"CMakeLists.txt", "CMakeLists.txt.ftl"}, {"README.md", "README.md.ftl"}}) {
        Files.writeString(tmp.resolve(t[0]), render(fm, t[1], data), StandardCharsets.UTF_8);
      }
      twinFile.writeTo(tmp.resolve("twin"));
      ArtifactWriter.write(model, tmp.resolve("artifact"));
      Path ld = board.linkerScript().orElse(null);
      if (ld != null && Files.isRegularFile(ld)) Files.copy(ld, tmp.resolve(board.id() + ".ld"));
      Files.writeString(tmp.resolve(REPORT_FILE), report(model, cm, board, name, fit, fallbacks, twinSimple));
      Files.writeString(tmp.resolve("test_vectors.json"), hilVectors(model, displayName, v.inputs, expected));
      // 5. The portability check of boards whose own compiler is not here.
      if (o.portabilityCheck() && board.toolchain().portabilityCheck() != null) {
        check = portabilityCheck(board, tmp, runtime);
        messages.add("portability check passed: " + check);
      }
      replace(tmp, abs);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + " (" + io.edgeamp.core.io.IoErrors.reason(e)
          + "); choose an --out folder you can write to", e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
    return new Result(abs, displayName, cName, TWIN_PACKAGE + "." + twinSimple, model, cm, fit, fallbacks, v.inputs, expected, messages, check);
  }

  // ---- fit ------------------------------------------------------------------------------------------

  static Fit fit(QuantizedModel m, CModel cm, BoardProfile board) {
    long constants = cm.constantBytes();
    long in = m.tensor(m.inputTensor()).bytes(), outB = m.tensor(m.outputTensor()).bytes();
    long harness = in + outB + HARNESS_CMD_BYTES;
    long stack = stackBytes(board);
    long arena = cm.arenaBytes();
    return new Fit(constants, CODE_RESERVE_BYTES, constants + CODE_RESERVE_BYTES, board.flashBytes(), arena, harness, stack, LIBC_RAM_RESERVE_BYTES,
        arena + harness + stack + LIBC_RAM_RESERVE_BYTES, board.ramBytes());
  }

  private static final Pattern LD_STACK = Pattern.compile("__stack_size\\s*=\\s*(0x[0-9a-fA-F]+|\\d+)\\s*([KM]?)");
  private static final Pattern TI_STACK = Pattern.compile("--stack_size=(0x[0-9a-fA-F]+|\\d+)");

  /** The stack the board reserves: {@code __stack_size} in its linker script, or {@code --stack_size=} in its linker flags. */
  static long stackBytes(BoardProfile board) {
    Path ld = board.linkerScript().orElse(null);
    if (ld != null && Files.isRegularFile(ld)) {
      try {
        Matcher mt = LD_STACK.matcher(Files.readString(ld));
        if (mt.find()) return number(mt.group(1)) * (mt.group(2).equals("K") ? 1024 : mt.group(2).equals("M") ? 1024 * 1024 : 1);
      } catch (IOException e) {
        // fall through to the flags
      }
    }
    for (String f : board.toolchain().ldflags()) {
      Matcher mt = TI_STACK.matcher(f);
      if (mt.find()) return number(mt.group(1));
    }
    return DEFAULT_STACK_BYTES;
  }

  private static long number(String s) {
    return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
  }

  // ---- test vectors ---------------------------------------------------------------------------------

  record Vectors(byte[][] inputs, String[] labels, String note) {}

  /** Zeros, all +127, all -128, then dataset-like inputs: N(0, 1) normalized values through the model's input quantization. */
  static Vectors vectors(QuantizedModel m, int n, long seed) {
    int size = m.inputSize();
    byte[][] in = new byte[n][size];
    String[] labels = new String[n];
    int fixed = Math.min(n, 3);
    for (int k = 0; k < fixed; k++) {
      byte val = k == 0 ? 0 : k == 1 ? (byte) 127 : (byte) -128;
      java.util.Arrays.fill(in[k], val);
      labels[k] = k == 0 ? "all zeros" : k == 1 ? "all +127" : "all -128";
    }
    if (n > fixed) {
      int[] shape = m.inputShape();
      shape[0] = n - fixed;
      Random r = new Random(seed);
      double[] d = new double[(n - fixed) * size];
      for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() * (1 + (i / size) % 3);
      int[][] q = m.quantizeInputs(new Tensor(shape, d));
      for (int k = fixed; k < n; k++) {
        for (int i = 0; i < size; i++) in[k][i] = (byte) q[k - fixed][i];
        labels[k] = "normalized N(0, " + (1 + (k - fixed) % 3) + "^2) input, seed " + seed + ", quantized with the model's input transform";
      }
    }
    return new Vectors(in, labels, "Inputs: all zeros, all +127, all -128, then random normalized inputs quantized as the host would.");
  }

  // ---- templates ------------------------------------------------------------------------------------

  static Configuration freemarker() {
    Configuration c = new Configuration(Configuration.VERSION_2_3_34);
    c.setClassForTemplateLoading(Codegen.class, "/io/edgeamp/codegen/templates");
    c.setDefaultEncoding("UTF-8");
    c.setNumberFormat("c");
    c.setBooleanFormat("c");
    c.setLocale(Locale.ROOT);
    c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    c.setLogTemplateExceptions(false);
    c.setWrapUncheckedExceptions(true);
    c.setFallbackOnNullLoopVariable(false);
    return c;
  }

  static String render(Configuration fm, String template, Map<String, Object> data) throws IOException {
    Template t = fm.getTemplate(template);
    StringWriter w = new StringWriter();
    try {
      t.process(data, w);
    } catch (TemplateException e) {
      throw new IllegalStateException("template " + template + ": " + e.getMessage(), e);
    }
    return w.toString();
  }

  private static Map<String, Object> dataModel(QuantizedModel model, CModel cm, BoardProfile board, String name, String displayName, String cName,
      String twinSimple, String source, Path runtime, Fit fit, List<String> messages, Vectors v, byte[][] expected) {
    QTensor in = model.tensor(model.inputTensor()), out = model.tensor(model.outputTensor());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", displayName);
    m.put("cName", cName);
    m.put("cNameUpper", CNames.upper(cName));
    m.put("prefix", cName);
    m.put("version", VERSION);
    m.put("source", source.replace("*/", "* /"));
    m.put("board", board.id());
    m.put("boardDescription", board.description().replace("*/", "* /"));
    m.put("runtimePort", board.toolchain().runtimePort() == null ? "" : board.toolchain().runtimePort());
    m.put("runtimePortOrNone", board.toolchain().runtimePort() == null ? "none" : board.toolchain().runtimePort());
    m.put("cc", board.toolchain().cc());
    m.put("qemuMachine", board.isEmulated() && board.toolchain().runtimePort() != null ? board.toolchain().runtimePort() : "");
    m.put("runtimeDir", runtime.toString().replace('\\', '/'));
    m.put("twinClass", TWIN_PACKAGE + "." + twinSimple);
    m.put("twinPath", (TWIN_PACKAGE + "." + twinSimple).replace('.', '/') + ".java");
    m.put("inputDims", in.dims().toString());
    m.put("inputBytes", in.bytes());
    m.put("inputScale", CModel.dec(in.scale()));
    m.put("outputDims", out.dims().toString());
    m.put("outputBytes", out.bytes());
    m.put("outputType", out.repr().jsonName());
    m.put("outputUnsigned", out.repr() == Repr.UINT8 ? 1 : 0);
    m.put("outputScale", CModel.dec(out.scale()));
    m.put("arenaBytes", cm.arenaBytes());
    m.put("constantBytes", cm.constantBytes());
    m.put("weightBytes", cm.weightBytes());
    m.put("idealWeightBytes", String.format(Locale.ROOT, "%.1f", cm.idealWeightBytes()));
    int keyMax = 0;
    for (Map<String, Object> l : cm.layers) keyMax = Math.max(keyMax, ((String) l.get("profileKey")).length());
    m.put("layerLineMax", keyMax + 64); // "m-layer-" + index + "-[" + key + "]-" + 20 digits + NUL
    m.put("usesClampF32", cm.usesClampF32);
    m.put("usesResize8", cm.usesResize8);
    m.put("usesResizeF32", cm.usesResizeF32);
    Path ld = board.linkerScript().orElse(null);
    m.put("linkerScriptName", board.id() + ".ld");
    m.put("linkerScriptSource", ld != null && Files.isRegularFile(ld) ? board.toolchain().linkerScript() : "");
    List<String> notes = new ArrayList<>(messages);
    notes.add(String.format(Locale.ROOT, "Fit: flash %,d of %,d bytes (constants %,d + code reserve %,d); RAM %,d of %,d bytes (arena %,d, harness buffers %,d, stack %,d, C library %,d)",
        fit.flashNeeded(), fit.flashBytes(), fit.constants(), fit.codeReserve(), fit.ramNeeded(), fit.ramBytes(), fit.arena(), fit.harnessBuffers(),
        fit.stack(), fit.libcReserve()));
    m.put("notes", notes);

    Map<String, Object> arena = new LinkedHashMap<>();
    ArenaPlanner.Plan p = cm.plan();
    arena.put("peak", p.peak());
    arena.put("lowerBound", p.lowerBound());
    arena.put("withoutReuse", p.withoutReuse());
    arena.put("strategy", p.strategy());
    List<Map<String, Object>> bufs = new ArrayList<>();
    List<ArenaPlanner.Placement> sorted = new ArrayList<>(p.placements());
    sorted.sort(Comparator.comparingInt((ArenaPlanner.Placement x) -> x.buffer().first()).thenComparingInt(ArenaPlanner.Placement::offset));
    for (ArenaPlanner.Placement pl : sorted) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("offset", pl.offset());
      b.put("bytes", pl.buffer().bytes());
      b.put("steps", pl.buffer().first() == pl.buffer().last() ? Integer.toString(pl.buffer().first()) : pl.buffer().first() + ".." + pl.buffer().last());
      String bn = pl.buffer().name();
      b.put("what", (bn.startsWith("#") ? "" : bn + ": ") + pl.buffer().what().replace("*/", "* /"));
      bufs.add(b);
    }
    arena.put("buffers", bufs);

    Map<String, Object> vec = new LinkedHashMap<>();
    vec.put("count", v.inputs.length);
    vec.put("note", v.note);
    vec.put("labels", List.of(v.labels));
    vec.put("inputs", byteLines(v.inputs, 16));
    vec.put("expected", byteLines(expected, 16));

    Map<String, Object> root = new LinkedHashMap<>();
    root.put("m", m);
    root.put("layers", cm.layers);
    root.put("tables", cm.tables);
    root.put("arena", arena);
    root.put("vectors", vec);
    return root;
  }

  private static List<List<String>> byteLines(byte[][] rows, int perLine) {
    List<List<String>> out = new ArrayList<>();
    for (byte[] r : rows) {
      List<String> lines = new ArrayList<>();
      for (int s = 0; s < r.length; s += perLine) {
        StringBuilder sb = new StringBuilder();
        for (int i = s; i < Math.min(r.length, s + perLine); i++) sb.append(i > s ? ", " : "").append(r[i]);
        lines.add(sb.toString());
      }
      out.add(lines);
    }
    return out;
  }

  private static String report(QuantizedModel model, CModel cm, BoardProfile board, String name, Fit fit, List<BoardCheck.Problem> fallbacks,
      String twin) throws IOException {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode r = json.createObjectNode();
    r.put("model", name);
    r.put("board", board.id());
    r.put("codegen_version", VERSION);
    r.put("twin", TWIN_PACKAGE + "." + twin);
    ObjectNode a = r.putObject("arena");
    a.put("bytes", cm.arenaBytes());
    a.put("planner_peak", cm.plan().peak());
    a.put("lower_bound", cm.plan().lowerBound());
    a.put("without_reuse", cm.plan().withoutReuse());
    a.put("strategy", cm.plan().strategy());
    ArrayNode bufs = a.putArray("buffers");
    for (ArenaPlanner.Placement p : cm.plan().placements()) {
      ObjectNode b = bufs.addObject();
      b.put("name", p.buffer().name());
      b.put("offset", p.offset());
      b.put("bytes", p.buffer().bytes());
      b.put("first_step", p.buffer().first());
      b.put("last_step", p.buffer().last());
    }
    ObjectNode w = r.putObject("flash");
    w.put("constant_bytes", cm.constantBytes());
    w.put("weight_bytes", cm.weightBytes());
    w.put("ideal_weight_bytes", cm.idealWeightBytes());
    w.put("weight_ratio", cm.idealWeightBytes() == 0 ? 1.0 : cm.weightBytes() / cm.idealWeightBytes());
    w.put("params", cm.params());
    ObjectNode f = r.putObject("fit");
    f.put("flash_needed", fit.flashNeeded());
    f.put("flash_bytes", fit.flashBytes());
    f.put("ram_needed", fit.ramNeeded());
    f.put("ram_bytes", fit.ramBytes());
    f.put("stack", fit.stack());
    ArrayNode fb = r.putArray("cpu_fallback");
    for (BoardCheck.Problem p : fallbacks) fb.addObject().put("layer", p.layer()).put("reason", p.reason());
    ArrayNode ls = r.putArray("layers");
    // Per layer, in firmware order (index = the N of the harness's m-layer-N-... lines): kind, shape key and width, the key of
    // HIL latency rows and of quantize --latency-table.
    int index = 0;
    for (var l : model.layers()) {
      ls.addObject().put("index", index++).put("name", l.name()).put("kind", l.kind().jsonName()).put("target", l.target().jsonName())
          .put("bits", l.bits()).put("shape", io.edgeamp.core.amp.MeasuredLatency.shapeKey(l.inputDims().get(0), l.outputDims(), l.rowLength()))
          .put("input_dims", l.inputDims().get(0).toString()).put("output_dims", l.outputDims().toString()).put("row_length", l.rowLength());
    }
    return json.writeValueAsString(r);
  }

  /**
   * The test vectors as a HIL job wants them ({@code toolchain hil run --model DIR}, hil-tests JobSpec):
   * {@code {"model": name, "vectors": [{"input": hex, "expected": [outputs]}]}}: the name the harness reports
   * ({@code name%}), the expected outputs being the twin's, as integers of the output tensor's type (0..255 for
   * uint8, -128..127 for int8).
   */
  static String hilVectors(QuantizedModel model, String name, byte[][] inputs, byte[][] expected) throws IOException {
    boolean unsigned = model.tensor(model.outputTensor()).repr() == io.edgeamp.core.quant.QTensor.Repr.UINT8;
    ObjectMapper json = new ObjectMapper();
    ObjectNode r = json.createObjectNode();
    r.put("model", name);
    ArrayNode vs = r.putArray("vectors");
    for (int k = 0; k < inputs.length; k++) {
      ObjectNode v = vs.addObject();
      v.put("input", java.util.HexFormat.of().formatHex(inputs[k]));
      ArrayNode e = v.putArray("expected");
      for (byte b : expected[k]) e.add(unsigned ? b & 0xFF : b);
    }
    return json.writeValueAsString(r);
  }

  // ---- portability check ----------------------------------------------------------------------------

  /** Compiles the generated C with the profile's portability_check compiler and flags (objects go to a temporary folder). */
  static String portabilityCheck(BoardProfile board, Path src, Path runtime) throws IOException {
    var pc = board.toolchain().portabilityCheck();
    Path objs = Files.createTempDirectory("edgeamp-portability");
    try {
      List<String> done = new ArrayList<>();
      for (String f : List.of("model.c", "test_vectors.c", "selftest_main.c")) {
        List<String> cmd = new ArrayList<>();
        cmd.add(pc.cc());
        cmd.addAll(pc.cflags());
        cmd.addAll(List.of("-I" + src, "-I" + runtime.resolve("include"), "-c", src.resolve(f).toString(), "-o", objs.resolve(f + ".o").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p;
        try {
          p = pb.start();
        } catch (IOException e) {
          throw new CodegenException("board " + board.id() + ": portability check compiler '" + pc.cc() + "' cannot run: " + e.getMessage());
        }
        String outp = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
          if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("portability check timed out: " + String.join(" ", cmd));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException("internal error: the generated " + f + " fails the portability check of board " + board.id() + ":\n"
              + String.join(" ", cmd) + "\n" + outp);
        }
        done.add(f);
      }
      return pc.cc() + " " + String.join(" ", pc.cflags()) + " -c " + String.join(" ", done);
    } finally {
      deleteTree(objs);
    }
  }

  // ---- files ----------------------------------------------------------------------------------------

  /** The device-runtime folder: given, or $EDGEAMP_HOME/device-runtime, or found above the working directory. */
  public static Path runtimeDir(Path given) {
    if (given != null) {
      if (!Files.isRegularFile(given.resolve("include/edgeamp/edgeamp.h"))) throw new CodegenException(given + " is not the device-runtime folder (no include/edgeamp/edgeamp.h)");
      return given.toAbsolutePath().normalize();
    }
    String home = System.getenv("EDGEAMP_HOME");
    if (home != null && Files.isRegularFile(Path.of(home, "device-runtime/include/edgeamp/edgeamp.h"))) return Path.of(home, "device-runtime").toAbsolutePath().normalize();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("device-runtime/include/edgeamp/edgeamp.h"))) return d.resolve("device-runtime").normalize();
    }
    throw new CodegenException("cannot find the device runtime (device-runtime/include/edgeamp/edgeamp.h): set EDGEAMP_HOME or pass --runtime DIR");
  }

  /** The file that marks a folder as codegen's output, so a later run may replace it as a whole. */
  static final String REPORT_FILE = "codegen-report.json";

  /**
   * The output folder is replaced as a whole, so it must be new, empty or an earlier codegen output
   * (it holds {@value #REPORT_FILE}); anything else is the user's and is refused before any work.
   */
  static void checkReplaceable(Path out) {
    Path abs = out.toAbsolutePath().normalize();
    if (abs.getParent() == null) throw new CodegenException("--out " + out + ": choose a folder below the file system root");
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) return;
    if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
      throw new CodegenException("--out " + out + " exists and is not a folder; choose a new folder");
    }
    if (Files.isRegularFile(abs.resolve(REPORT_FILE))) return;
    try (Stream<Path> entries = Files.list(abs)) {
      if (entries.findAny().isEmpty()) return;
    } catch (IOException e) {
      throw new CodegenException("--out " + out + ": cannot read the folder: " + e.getMessage());
    }
    throw new CodegenException("--out " + out + " is a folder that is not empty and not an earlier codegen output (it has no "
        + REPORT_FILE + "); codegen replaces its output folder as a whole, so choose a new or empty folder");
  }

  /** A linker script the profile names must exist: without it the firmware would link with the wrong memory map and stack. */
  static void checkLinkerScript(BoardProfile board) {
    Path ld = board.linkerScript().orElse(null);
    if (ld != null && !Files.isRegularFile(ld)) {
      throw new CodegenException("board profile " + board.source() + ": toolchain.linker_script '" + board.toolchain().linkerScript() + "' resolves to "
          + ld + ", which does not exist (a relative path is taken from the profile's folder); correct the path, or copy the script beside the profile");
    }
  }

  private static void replace(Path tmp, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = io.edgeamp.core.io.AtomicFiles.siblingTempDir(target, "old");
      Files.delete(old);
      move(target, old);
    }
    move(tmp, target);
    if (old != null) deleteTree(old);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteTree(Path p) {
    if (p == null || !Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.delete(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p, e);
    }
  }
}
