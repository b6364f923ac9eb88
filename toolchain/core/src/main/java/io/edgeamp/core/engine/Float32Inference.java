package io.edgeamp.core.engine;

import io.edgeamp.core.ir.Graph;
import io.edgeamp.core.ir.Node;
import io.edgeamp.core.ir.Op;
import io.edgeamp.core.ir.ValueInfo;
import io.edgeamp.core.tensor.Shapes;
import io.edgeamp.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The float32 inference fast path: a graph (BatchNorms already folded) compiled into a list of float
 * steps over a preallocated arena, run chunk by chunk over the batch.
 *
 * <p><b>Compilation.</b> {@link #compile} accepts a graph only if every node's op has a float step
 * (the ops of the zoo and of common imports); the caller keeps the double engine for the rest. Weights
 * are converted to float once. A Relu, Clip or LeakyRelu that is the only consumer of a Conv, Gemm or
 * MatMul is fused into that layer's epilogue. Shapes are only known at run time, so for each set of
 * input shapes a {@link Plan} is made on first use and cached: it infers every shape, picks a buffer
 * (arena slot) for every value, reusing a slot once its last reader has run (Flatten, Reshape, Squeeze
 * and Unsqueeze are views: the same slot under another shape; elementwise activations and affine
 * BatchNorm write over their input when it dies there). A plan that meets something the float steps
 * cannot do (a Conv with weights computed at run time, a shape they do not handle) is refused, and
 * {@link #run} returns null so the caller runs the double engine.
 *
 * <p><b>Batch split.</b> When every activation keeps the batch on axis 0 and no op mixes samples
 * (checked by planning for one sample and for the whole batch and comparing the shapes, plus
 * Softmax/Concat on axis 0, transposed or activation right-hand Gemm operands), the batch is cut into
 * chunks of a few samples, sized so that a chunk's activations stay in the core's cache, and each
 * chunk runs the whole network before the next starts. The cores take chunks from a shared counter
 * (the caller's thread plus the {@link F32Workers} helpers that join in time). Every sample's result is
 * computed the same way whatever chunk it is in (see {@link SGemm}), so results are deterministic and
 * independent of the thread count. Graphs that mix samples run as one chunk on the calling thread.
 *
 * <p><b>Thread safety.</b> A compiled instance is immutable apart from its plan cache and workspace
 * pools (concurrent collections), so concurrent calls are safe; each call borrows a workspace per
 * worker.
 */
final class Float32Inference {
  /**
   * -Dedgeamp.profile=true prints each step's CPU time (summed over chunks and threads: on a shared
   * machine CPU time is steadier than wall time) and the call's wall time to stderr.
   */
  private static final boolean PROFILE = Boolean.getBoolean("edgeamp.profile");
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
  /** Arena floats a chunk should fit in (about 256 KB: the per-core L2 share). */
  private static final int CHUNK_FLOATS = Integer.getInteger("edgeamp.f32.chunkFloats", 64 * 1024);
  private static final int MAX_CHUNK = Integer.getInteger("edgeamp.f32.maxChunk", 32);
  /** Workers per call (default: the available processors). */
  private static final int THREADS = Integer.getInteger("edgeamp.f32.threads", 0);

  private static int threads() {
    return Math.max(1, THREADS > 0 ? THREADS : Runtime.getRuntime().availableProcessors());
  }

  private final Graph graph;
  private final Map<String, float[]> consts = new HashMap<>();
  private final Map<String, int[]> constShapes = new HashMap<>();
  private final Map<String, Object> execs = new ConcurrentHashMap<>();
  private static final Object REFUSED = new Object();
  private static final int MAX_PLANS = 16;

  private Float32Inference(Graph graph) {
    this.graph = graph;
    for (var e : graph.initializers().entrySet()) {
      consts.put(e.getKey(), toFloat(e.getValue().data()));
      constShapes.put(e.getKey(), e.getValue().shape());
    }
  }

  /** The compiled fast path, or null if some op has no float step. */
  static Float32Inference compile(Graph graph) {
    return supports(graph) ? new Float32Inference(graph) : null;
  }

  /** Whether every node has a float step (shapes are checked later, per plan). */
  static boolean supports(Graph graph) {
    for (Node n : graph.nodes()) {
      if (n.outputs().size() != 1) return false;
      Op op = n.op();
      boolean ok = op instanceof Op.Conv || op instanceof Op.Gemm || op instanceof Op.MatMul || op instanceof Op.BatchNorm
          || op instanceof Op.Add || op instanceof Op.Mul || op instanceof Op.Relu || op instanceof Op.Clip
          || op instanceof Op.LeakyRelu || op instanceof Op.Sigmoid || op instanceof Op.Tanh || op instanceof Op.MaxPool
          || op instanceof Op.AveragePool || op instanceof Op.GlobalAveragePool || op instanceof Op.Flatten
          || op instanceof Op.Reshape || op instanceof Op.Squeeze || op instanceof Op.Unsqueeze || op instanceof Op.Concat
          || op instanceof Op.Softmax || op instanceof Op.Resize;
      if (!ok) return false;
    }
    return true;
  }

  static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /** Inference on named inputs; null when these input shapes cannot run in float32 (use the double engine). */
  Map<String, Tensor> run(Map<String, Tensor> inputs) {
    List<ValueInfo> ins = graph.inputs();
    int[][] shapes = new int[ins.size()][];
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < shapes.length; i++) {
      Tensor t = inputs.get(ins.get(i).name());
      if (t == null) return null;
      shapes[i] = t.shape();
      key.append(Arrays.toString(shapes[i])).append(';');
    }
    // Callers use a handful of shapes (training and validation batches, a last short batch); a caller
    // cycling through many would otherwise keep a plan and its workspaces for each.
    if (execs.size() > MAX_PLANS && !execs.containsKey(key.toString())) execs.clear();
    Object ex = execs.computeIfAbsent(key.toString(), k -> prepare(shapes));
    if (ex == REFUSED) return null;
    return ((Exec) ex).run(inputs);
  }

  /** Plans for one set of input shapes: the chunk size, the plan for full chunks and for the last one. */
  private final class Exec {
    final int n;
    final int chunk;
    final Plan full;
    final Plan rest;
    final Plan whole; // the only plan when the batch is not split

    Exec(int n, int chunk, Plan full, Plan rest, Plan whole) {
      this.n = n;
      this.chunk = chunk;
      this.full = full;
      this.rest = rest;
      this.whole = whole;
    }

    Map<String, Tensor> run(Map<String, Tensor> inputs) {
      Plan ref = whole != null ? whole : full;
      double[][] outs = new double[ref.outputBuf.length][];
      Map<String, Tensor> result = new LinkedHashMap<>();
      List<ValueInfo> gouts = graph.outputs();
      for (int o = 0; o < outs.length; o++) outs[o] = new double[Shapes.size(outShapes[o])];
      double[][] in = new double[graph.inputs().size()][];
      for (int i = 0; i < in.length; i++) in[i] = inputs.get(graph.inputs().get(i).name()).data();
      if (whole != null) {
        long t0 = System.nanoTime();
        Workspace ws = whole.borrow();
        try {
          whole.runChunk(ws, in, 0, outs, 0);
        } finally {
          whole.release(ws);
        }
        if (PROFILE) whole.report(List.of(ws), t0);
      } else {
        int chunks = (n + chunk - 1) / chunk;
        int threads = Math.min(chunks, threads());
        AtomicInteger next = new AtomicInteger();
        List<Workspace> used = PROFILE ? java.util.Collections.synchronizedList(new ArrayList<>()) : null;
        Runnable worker = () -> {
          int c;
          while ((c = next.getAndIncrement()) < chunks) {
            int from = c * chunk;
            Plan p = from + chunk <= n ? full : rest;
            Workspace ws = p.borrow();
            try {
              p.runChunk(ws, in, from, outs, from);
            } finally {
              p.release(ws);
            }
            if (used != null) used.add(ws);
          }
        };
        long t0 = System.nanoTime();
        if (threads > 1) F32Workers.get(threads - 1).run(worker);
        else worker.run();
        if (used != null) full.report(used, t0);
      }
      for (int o = 0; o < outs.length; o++) result.put(gouts.get(o).name(), new Tensor(outShapes[o], outs[o]));
      return result;
    }

    int[][] outShapes;
  }

  private Object prepare(int[][] shapes) {
    Plan whole;
    try {
      whole = new Planner(shapes).plan();
    } catch (Unsupported | EngineException | IllegalArgumentException e) {
      return REFUSED;
    }
    int n = -1;
    for (int[] s : shapes) {
      if (s.length == 0 || (n >= 0 && s[0] != n)) {
        n = -2;
        break;
      }
      n = s[0];
    }
    int[][] outShapes = whole.outputShapes();
    Exec single = new Exec(Math.max(n, 1), Math.max(n, 1), null, null, whole);
    single.outShapes = outShapes;
    if (n <= 1 || whole.mixesBatch) return single;
    Plan one;
    try {
      one = new Planner(withBatch(shapes, 1)).plan();
    } catch (Unsupported | EngineException | IllegalArgumentException e) {
      return single;
    }
    if (one.mixesBatch || !sameButBatch(one, whole, n)) return single;
    int threads = threads();
    int chunk = (int) Math.max(1, Math.min(MAX_CHUNK, CHUNK_FLOATS / Math.max(1, one.footprint())));
    chunk = Math.min(chunk, (n + threads - 1) / threads);
    try {
      Plan full = chunk == 1 ? one : new Planner(withBatch(shapes, chunk)).plan();
      Plan rest = n % chunk == 0 ? null : n % chunk == 1 ? one : new Planner(withBatch(shapes, n % chunk)).plan();
      Exec ex = new Exec(n, chunk, full, rest, null);
      ex.outShapes = outShapes;
      return ex;
    } catch (Unsupported | EngineException | IllegalArgumentException e) {
      return single;
    }
  }

  private static int[][] withBatch(int[][] shapes, int b) {
    int[][] out = new int[shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      out[i] = shapes[i].clone();
      out[i][0] = b;
    }
    return out;
  }

  /** Batched values have shape [b, rest] in both plans with the same rest; the others the same shape. */
  private static boolean sameButBatch(Plan one, Plan whole, int n) {
    for (var e : whole.shapes.entrySet()) {
      int[] sw = e.getValue();
      int[] s1 = one.shapes.get(e.getKey());
      if (s1 == null || s1.length != sw.length) return false;
      if (whole.batched.get(e.getKey())) {
        if (sw.length == 0 || sw[0] != n || s1[0] != 1) return false;
        for (int i = 1; i < sw.length; i++) if (sw[i] != s1[i]) return false;
      } else if (!Arrays.equals(sw, s1)) {
        return false;
      }
    }
    return true;
  }

  /** A refusal to plan: the double engine runs this graph (and reports errors the way it does). */
  static final class Unsupported extends RuntimeException {
    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Plans and workspaces

  /** One step of a plan: reads and writes buffers of the workspace. */
  abstract static class Step {
    String name;
    /** Buffer indices this step reads and writes (constants numbered from CONST_BASE until the plan remaps them). */
    int[] io;

    abstract void run(float[][] buf, float[] scratch);

    /** Scratch floats this step needs. */
    int scratch() {
      return 0;
    }
  }

  /** Buffers of one worker: arena slots (then the shared constants) and a scratch array. */
  static final class Workspace {
    final float[][] buf;
    final float[] scratch;
    final long[] nanos;

    Workspace(float[][] buf, float[] scratch, int steps) {
      this.buf = buf;
      this.scratch = scratch;
      this.nanos = new long[steps];
    }
  }

  /** A compiled program for one batch size. */
  final class Plan {
    final Step[] steps;
    final int[] slotCaps;
    final float[][] constBufs;
    final int scratch;
    final int[] inputBuf;
    final int[] inputSize;
    final int[] inputTotal;
    final int[] outputBuf;
    final int[] outputSize;
    final int[] outputTotal;
    final boolean[] outputBatched;
    final boolean mixesBatch;
    final Map<String, int[]> shapes;
    final Map<String, Boolean> batched;
    final int batch;
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();

    Plan(Planner p) {
      this.steps = p.steps.toArray(new Step[0]);
      this.slotCaps = p.slotCaps.stream().mapToInt(Integer::intValue).toArray();
      int slots = slotCaps.length;
      for (Step s : steps) for (int i = 0; i < s.io.length; i++) if (s.io[i] >= CONST_BASE) s.io[i] = slots + s.io[i] - CONST_BASE;
      for (int i = 0; i < p.outputBuf.length; i++) if (p.outputBuf[i] >= CONST_BASE) p.outputBuf[i] = slots + p.outputBuf[i] - CONST_BASE;
      this.constBufs = p.constBufs.toArray(new float[0][]);
      int sc = 0;
      for (Step s : steps) sc = Math.max(sc, s.scratch());
      this.scratch = sc;
      this.inputBuf = p.inputBuf;
      this.inputSize = p.inputSize;
      this.outputBuf = p.outputBuf;
      this.outputSize = p.outputSize;
      this.inputTotal = new int[inputSize.length];
      for (int i = 0; i < inputTotal.length; i++) inputTotal[i] = Shapes.size(p.inShapes[i]);
      this.outputTotal = new int[outputSize.length];
      for (int o = 0; o < outputTotal.length; o++) outputTotal[o] = Shapes.size(p.shapes.get(graph.outputs().get(o).name()));
      this.outputBatched = p.outputBatched;
      this.mixesBatch = p.mixesBatch;
      this.shapes = p.shapes;
      this.batched = p.batchedFlags;
      this.batch = p.batch;
    }

    int[][] outputShapes() {
      int[][] s = new int[graph.outputs().size()][];
      for (int o = 0; o < s.length; o++) s[o] = shapes.get(graph.outputs().get(o).name());
      return s;
    }

    /** Arena floats per sample: for the chunk size. */
    long footprint() {
      long f = scratch;
      for (int c : slotCaps) f += c;
      return f / Math.max(1, batch);
    }

    Workspace borrow() {
      Workspace ws = pool.poll();
      if (ws != null) return ws;
      float[][] buf = new float[slotCaps.length + constBufs.length][];
      for (int i = 0; i < slotCaps.length; i++) buf[i] = new float[slotCaps[i]];
      System.arraycopy(constBufs, 0, buf, slotCaps.length, constBufs.length);
      return new Workspace(buf, new float[scratch], steps.length);
    }

    void release(Workspace ws) {
      pool.offer(ws);
    }

    /**
     * Runs samples [from, from + batch) of the inputs, writing the outputs' samples at outFrom (a plan
     * for the whole, unsplit batch runs with from = outFrom = 0 and copies whole tensors).
     */
    void runChunk(Workspace ws, double[][] in, int from, double[][] outs, int outFrom) {
      for (int i = 0; i < inputBuf.length; i++) {
        float[] dst = ws.buf[inputBuf[i]];
        double[] src = in[i];
        int off = from * inputSize[i];
        for (int e = 0; e < inputTotal[i]; e++) dst[e] = (float) src[off + e];
      }
      for (int s = 0; s < steps.length; s++) {
        if (PROFILE) {
          long t0 = CPU.getCurrentThreadCpuTime();
          steps[s].run(ws.buf, ws.scratch);
          ws.nanos[s] += CPU.getCurrentThreadCpuTime() - t0;
        } else {
          steps[s].run(ws.buf, ws.scratch);
        }
      }
      for (int o = 0; o < outputBuf.length; o++) {
        float[] src = ws.buf[outputBuf[o]];
        double[] dst = outs[o];
        if (!outputBatched[o]) {
          if (outFrom == 0) for (int e = 0; e < dst.length; e++) dst[e] = src[e];
          continue;
        }
        int off = outFrom * outputSize[o];
        for (int e = 0; e < outputTotal[o]; e++) dst[off + e] = src[e];
      }
    }

    void report(List<Workspace> used, long t0) {
      double wall = (System.nanoTime() - t0) / 1e6;
      long[] sum = new long[steps.length];
      for (Workspace w : new java.util.HashSet<>(used)) {
        for (int s = 0; s < sum.length; s++) sum[s] += w.nanos[s];
        Arrays.fill(w.nanos, 0);
      }
      for (int s = 0; s < steps.length; s++) System.err.printf("forward-f32 %-22s %8.3f ms (CPU)%n", steps[s].name, sum[s] / 1e6);
      System.err.printf("forward-f32 %-22s %8.3f ms (wall)%n", "total", wall);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Planning

  /** Builds a plan for given input shapes: shape inference, fusion, buffer assignment, steps. */
  private final class Planner {
    final int[][] inShapes;
    final int batch;
    final List<Step> steps = new ArrayList<>();
    final List<Integer> slotCaps = new ArrayList<>();
    final List<Integer> slotFree = new ArrayList<>(); // indices of free slots
    final List<Integer> slotRelease = new ArrayList<>(); // node index after which the slot is free
    final List<float[]> constBufs = new ArrayList<>();
    final Map<String, Integer> constIndex = new HashMap<>();
    final Map<String, Integer> bufOf = new HashMap<>();
    final Map<String, int[]> shapes = new LinkedHashMap<>();
    final Map<String, Boolean> batchedFlags = new HashMap<>();
    final Map<String, Integer> lastUse = new HashMap<>();
    final Map<String, Integer> readers = new HashMap<>();
    boolean mixesBatch;
    int[] inputBuf;
    int[] inputSize;
    int[] outputBuf;
    int[] outputSize;
    boolean[] outputBatched;
    int node; // index of the node being planned

    Planner(int[][] inShapes) {
      this.inShapes = inShapes;
      this.batch = inShapes.length > 0 && inShapes[0].length > 0 ? inShapes[0][0] : 1;
    }

    Plan plan() {
      List<Node> nodes = graph.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        for (String in : nodes.get(i).inputs()) {
          if (in.isEmpty()) continue;
          lastUse.put(in, i);
          readers.merge(in, 1, Integer::sum);
        }
      }
      for (ValueInfo o : graph.outputs()) lastUse.put(o.name(), Integer.MAX_VALUE);
      List<ValueInfo> gin = graph.inputs();
      inputBuf = new int[gin.size()];
      inputSize = new int[gin.size()];
      for (int i = 0; i < gin.size(); i++) {
        int[] s = inShapes[i];
        checkDeclared(gin.get(i), s);
        String name = gin.get(i).name();
        shapes.put(name, s);
        batchedFlags.put(name, true);
        int buf = allocate(Shapes.size(s), name);
        bufOf.put(name, buf);
        inputBuf[i] = buf;
        inputSize[i] = s.length == 0 ? 1 : Shapes.size(s) / Math.max(1, s[0]);
        if (s.length == 0) inputSize[i] = 1;
      }
      boolean[] fusedAway = new boolean[nodes.size()];
      for (node = 0; node < nodes.size(); node++) {
        if (fusedAway[node]) continue;
        Node n = nodes.get(node);
        Node act = fusableActivation(n, nodes);
        if (act != null) fusedAway[nodes.indexOf(act)] = true;
        planNode(n, act);
        releaseDead();
      }
      List<ValueInfo> gout = graph.outputs();
      outputBuf = new int[gout.size()];
      outputSize = new int[gout.size()];
      outputBatched = new boolean[gout.size()];
      for (int o = 0; o < gout.size(); o++) {
        String name = gout.get(o).name();
        if (!shapes.containsKey(name)) throw new Unsupported("output " + name + " is an initializer");
        int[] s = shapes.get(name);
        outputBuf[o] = bufOf.get(name);
        outputBatched[o] = batchedFlags.get(name) && s.length > 0;
        outputSize[o] = outputBatched[o] ? Shapes.size(s) / Math.max(1, s[0]) : Shapes.size(s);
        if (outputBatched[o] && s[0] != batch) mixesBatch = true;
      }
      // Unbatched outputs are copied whole from the first chunk only, which is exact only if the batch is not split.
      return new Plan(this);
    }

    private void checkDeclared(ValueInfo in, int[] actual) {
      int[] declared = in.shape();
      boolean ok = declared.length == actual.length;
      for (int i = 0; ok && i < declared.length; i++) ok = declared[i] < 0 || declared[i] == actual[i] || i == 0;
      if (!ok) throw new Unsupported("input shape");
    }

    /** The activation node fused into n's epilogue, if n is a Conv/Gemm/MatMul whose only reader is one. */
    private Node fusableActivation(Node n, List<Node> nodes) {
      if (!(n.op() instanceof Op.Conv || n.op() instanceof Op.Gemm || n.op() instanceof Op.MatMul)) return null;
      String out = n.output();
      if (readers.getOrDefault(out, 0) != 1 || isGraphOutput(out)) return null;
      for (int j = node + 1; j < nodes.size(); j++) {
        Node m = nodes.get(j);
        if (!m.inputs().contains(out)) continue;
        Op op = m.op();
        if (op instanceof Op.Relu || op instanceof Op.Clip || op instanceof Op.LeakyRelu) return m;
        return null;
      }
      return null;
    }

    private boolean isGraphOutput(String v) {
      for (ValueInfo o : graph.outputs()) if (o.name().equals(v)) return true;
      return false;
    }

    // --- buffers

    int allocate(int size, String value) {
      int best = -1;
      for (int idx : slotFree) {
        if (slotCaps.get(idx) >= size && (best < 0 || slotCaps.get(idx) < slotCaps.get(best))) best = idx;
      }
      if (best < 0) {
        for (int idx : slotFree) if (best < 0 || slotCaps.get(idx) > slotCaps.get(best)) best = idx;
      }
      if (best < 0) {
        best = slotCaps.size();
        slotCaps.add(size);
        slotRelease.add(0);
      } else {
        slotFree.remove(Integer.valueOf(best));
        slotCaps.set(best, Math.max(size, slotCaps.get(best)));
      }
      slotRelease.set(best, lastUse.getOrDefault(value, node));
      return best;
    }

    /** Marks a view: the slot stays live until the view's last reader too. */
    void alias(String view, int buf) {
      bufOf.put(view, buf);
      if (buf < slotCaps.size()) slotRelease.set(buf, Math.max(slotRelease.get(buf), lastUse.getOrDefault(view, node)));
    }

    void releaseDead() {
      for (int s = 0; s < slotCaps.size(); s++) {
        if (slotRelease.get(s) <= node && !slotFree.contains(s)) {
          slotFree.add(s);
          slotRelease.set(s, Integer.MAX_VALUE);
        }
      }
    }

    /** The buffer index of an input value (activation slot, or a constant appended after the slots). */
    int in(String v) {
      Integer b = bufOf.get(v);
      if (b != null) return b;
      float[] c = consts.get(v);
      if (c == null) throw new Unsupported("value " + v + " unknown");
      return constRef(v, c);
    }

    int constRef(String key, float[] data) {
      Integer idx = constIndex.get(key);
      if (idx != null) return idx;
      constBufs.add(data);
      idx = CONST_BASE + constBufs.size() - 1;
      constIndex.put(key, idx);
      return idx;
    }

    int[] shape(String v) {
      int[] s = shapes.get(v);
      if (s != null) return s;
      int[] c = constShapes.get(v);
      if (c == null) throw new Unsupported("value " + v + " unknown");
      return c;
    }

    boolean batched(String v) {
      return batchedFlags.getOrDefault(v, false);
    }

    boolean isConst(String v) {
      return !shapes.containsKey(v) && consts.containsKey(v);
    }

    /** Defines n's output: a new slot (or the input's slot when inPlaceOf dies here). */
    int output(String name, int[] shape, boolean batchedOut, String inPlaceOf) {
      shapes.put(name, shape);
      batchedFlags.put(name, batchedOut);
      int size = Shapes.size(shape);
      if (inPlaceOf != null) {
        Integer b = bufOf.get(inPlaceOf);
        if (b != null && b < slotCaps.size() && slotRelease.get(b) == node && slotCaps.get(b) >= size && !isGraphInput(inPlaceOf)) {
          slotRelease.set(b, lastUse.getOrDefault(name, node));
          bufOf.put(name, b);
          return b;
        }
      }
      int b = allocate(size, name);
      bufOf.put(name, b);
      return b;
    }

    private boolean isGraphInput(String v) {
      for (ValueInfo i : graph.inputs()) if (i.name().equals(v)) return true;
      return false;
    }

    void add(Step s, Node n) {
      s.name = n.name();
      steps.add(s);
    }

    // --- nodes

    void planNode(Node n, Node act) {
      Op op = n.op();
      String outName = act != null ? act.output() : n.output();
      SGemm.Act fused = act == null ? SGemm.Act.IDENTITY : actOf(act.op());
      boolean anyBatched = false;
      for (String i : n.inputs()) if (!i.isEmpty() && batched(i)) anyBatched = true;
      if ((op instanceof Op.MaxPool || op instanceof Op.BatchNorm) && tryDefer(n, anyBatched)) return;
      if (op instanceof Op.Conv c) {
        planConv(n, c, outName, fused, anyBatched);
      } else if (op instanceof Op.Gemm g) {
        planGemm(n, g.alpha(), g.beta(), g.transA(), g.transB(), false, outName, fused, anyBatched);
      } else if (op instanceof Op.MatMul) {
        planGemm(n, 1, 1, false, false, true, outName, fused, anyBatched);
      } else if (op instanceof Op.Relu || op instanceof Op.Clip || op instanceof Op.LeakyRelu || op instanceof Op.Sigmoid
          || op instanceof Op.Tanh) {
        String x = n.input(0);
        int src = in(x);
        int[] s = shape(x);
        int dst = output(outName, s, anyBatched, x);
        add(new Float32Steps.Unary(op, src, dst, Shapes.size(s)), n);
      } else if (op instanceof Op.BatchNorm bn) {
        planBatchNorm(n, bn, outName, anyBatched);
      } else if (op instanceof Op.Add || op instanceof Op.Mul) {
        String a = n.input(0), b = n.input(1);
        int[] sa = shape(a), sb = shape(b);
        int[] so = Broadcast.shape(sa, sb, n.name());
        for (String v : new String[] {a, b}) if (batched(v) && shape(v).length != so.length) mixesBatch = true;
        int ia = in(a), ib = in(b);
        int dst = output(outName, so, anyBatched, null);
        add(new Float32Steps.Binary(op instanceof Op.Mul, ia, ib, dst, so,
            Arrays.equals(sa, so) ? null : Broadcast.offsets(sa, so), Arrays.equals(sb, so) ? null : Broadcast.offsets(sb, so)), n);
      } else if (op instanceof Op.MaxPool || op instanceof Op.AveragePool) {
        String x = n.input(0);
        Float32Steps.Pool p = Float32Steps.Pool.of(n, shape(x), in(x));
        p.io[1] = output(outName, p.outShape(), anyBatched, null);
        add(p, n);
      } else if (op instanceof Op.GlobalAveragePool) {
        String x = n.input(0);
        int[] s = shape(x);
        if (s.length < 3) throw new Unsupported("GlobalAveragePool rank");
        int[] o = s.clone();
        for (int i = 2; i < o.length; i++) o[i] = 1;
        int src = in(x);
        int dst = output(outName, o, anyBatched, null);
        add(new Float32Steps.GlobalAvg(src, dst, s[0] * s[1], Shapes.size(s) / Math.max(1, s[0] * s[1])), n);
      } else if (op instanceof Op.Flatten || op instanceof Op.Reshape || op instanceof Op.Squeeze || op instanceof Op.Unsqueeze) {
        String x = n.input(0);
        int[] o = new ReshapeKernel(n).outShape(shape(x));
        if (isConst(x)) {
          // a reshaped weight: same data, new shape
          shapes.put(outName, o);
          batchedFlags.put(outName, false);
          bufOf.put(outName, in(x));
        } else {
          shapes.put(outName, o);
          batchedFlags.put(outName, anyBatched);
          alias(outName, in(x));
        }
      } else if (op instanceof Op.Concat c) {
        planConcat(n, c, outName, anyBatched);
      } else if (op instanceof Op.Softmax sm) {
        String x = n.input(0);
        int[] s = shape(x);
        int axis = sm.axis() < 0 ? sm.axis() + s.length : sm.axis();
        if (axis < 0 || axis >= s.length) throw new Unsupported("softmax axis");
        if (axis == 0 && batched(x)) mixesBatch = true;
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis + 1; i < s.length; i++) inner *= s[i];
        int src = in(x);
        int dst = output(outName, s, anyBatched, null);
        add(new Float32Steps.Softmax(src, dst, outer, s[axis], inner), n);
      } else if (op instanceof Op.Resize r) {
        String x = n.input(0);
        Float32Steps.Resize step = Float32Steps.Resize.of(r, shape(x), in(x));
        step.io[1] = output(outName, step.outShape, anyBatched, null);
        add(step, n);
      } else {
        throw new Unsupported(op.onnxType());
      }
    }

    SGemm.Act actOf(Op op) {
      if (op instanceof Op.Relu) return new SGemm.Act(SGemm.Act.RELU, 0, 0, 0);
      if (op instanceof Op.Clip c) return new SGemm.Act(SGemm.Act.CLIP, (float) c.min(), (float) c.max(), 0);
      if (op instanceof Op.LeakyRelu l) return new SGemm.Act(SGemm.Act.LEAKY, 0, 0, (float) l.alpha());
      throw new IllegalArgumentException(op.toString());
    }

    void planConv(Node n, Op.Conv op, String outName, SGemm.Act act, boolean anyBatched) {
      String x = n.input(0), w = n.input(1);
      if (!isConst(w) || (n.hasInput(2) && !isConst(n.input(2)))) throw new Unsupported("conv weights computed at run time");
      Float32Steps.ConvGeo g = Float32Steps.ConvGeo.of(op, shape(x), constShapes.get(w), n.name());
      float[] bias = n.hasInput(2) ? consts.get(n.input(2)) : null;
      if (bias != null && bias.length != g.m) throw new Unsupported("conv bias shape");
      Deferred d = deferred.get(x);
      int src = in(d == null ? x : d.src);
      int dst = output(outName, g.outShape(), anyBatched, null);
      Float32Steps.Conv step = new Float32Steps.Conv(g, consts.get(w), bias, act, src, dst);
      if (d != null && d.node.op() instanceof Op.MaxPool mp) {
        step.withInputMaxPool(mp.kernel()[0], mp.padsBegin()[0], shape(d.src)[2]);
      } else if (d != null) {
        float[][] ab = batchNormAffine(d.node, g.c);
        step.withInputAffine(ab[0], ab[1]);
      }
      add(step, n);
      if (d != null) step.name = d.node.name() + "+" + n.name();
    }

    /** A MaxPool or BatchNorm whose only reader is a conv that applies it while splitting its input. */
    private final class Deferred {
      final Node node;
      final String src;

      Deferred(Node node, String src) {
        this.node = node;
        this.src = src;
      }
    }

    final Map<String, Deferred> deferred = new HashMap<>();

    /**
     * Defers a (k,1) stride-1 MaxPool or an inference BatchNorm into the conv that is its only reader,
     * if that conv splits its input into phases: the transform then runs on each input row as it is
     * split, and its output tensor is never written. The source stays live until the conv.
     */
    boolean tryDefer(Node n, boolean anyBatched) {
      String out = n.output(), x = n.input(0);
      if (readers.getOrDefault(out, 0) != 1 || isGraphOutput(out) || !bufOf.containsKey(x)) return false;
      int j = node + 1;
      while (j < graph.nodes().size() && !graph.nodes().get(j).inputs().contains(out)) j++;
      if (j == graph.nodes().size()) return false;
      Node c = graph.nodes().get(j);
      if (!(c.op() instanceof Op.Conv) || !c.input(0).equals(out) || !isConst(c.input(1)) || (c.hasInput(2) && !isConst(c.input(2)))) return false;
      int[] xs = shape(x);
      int[] os;
      if (n.op() instanceof Op.MaxPool mp) {
        int r = mp.kernel().length;
        if (xs.length != r + 2 || mp.ceilMode() || mp.strides()[0] != 1) return false;
        if (r == 2 && (mp.kernel()[1] != 1 || mp.strides()[1] != 1 || mp.padsBegin()[1] != 0 || mp.padsEnd()[1] != 0 || xs[3] != 1)) return false;
        int oh = xs[2] + mp.padsBegin()[0] + mp.padsEnd()[0] - mp.kernel()[0] + 1;
        if (oh <= 0) return false;
        os = xs.clone();
        os[2] = oh;
      } else {
        for (int i = 1; i < 5; i++) if (!isConst(n.input(i))) return false;
        if (xs.length < 2 || batchNormAffine(n, xs[1]) == null) return false;
        os = xs;
      }
      Float32Steps.ConvGeo g;
      try {
        g = Float32Steps.ConvGeo.of((Op.Conv) c.op(), os, constShapes.get(c.input(1)), c.name());
      } catch (Unsupported e) {
        return false;
      }
      if (!Float32Steps.Conv.canFuseInput(g)) return false;
      shapes.put(out, os);
      batchedFlags.put(out, anyBatched);
      deferred.put(out, new Deferred(n, x));
      int b = bufOf.get(x);
      if (b < slotCaps.size()) slotRelease.set(b, Math.max(slotRelease.get(b), j));
      return true;
    }

    /** Inference BatchNorm as {scale, shift} per channel, or null if its parameters do not have c entries. */
    float[][] batchNormAffine(Node n, int c) {
      Tensor gamma = graph.initializer(n.input(1)), beta = graph.initializer(n.input(2));
      Tensor mean = graph.initializer(n.input(3)), var = graph.initializer(n.input(4));
      if (gamma.size() != c || beta.size() != c || mean.size() != c || var.size() != c) return null;
      double eps = ((Op.BatchNorm) n.op()).epsilon();
      float[] scale = new float[c], shift = new float[c];
      for (int ch = 0; ch < c; ch++) {
        double inv = gamma.data()[ch] / Math.sqrt(var.data()[ch] + eps);
        scale[ch] = (float) inv;
        shift[ch] = (float) (beta.data()[ch] - mean.data()[ch] * inv);
      }
      return new float[][] {scale, shift};
    }

    void planGemm(Node n, double alpha, double beta, boolean transA, boolean transB, boolean matMul, String outName, SGemm.Act act,
        boolean anyBatched) {
      String a = n.input(0), b = n.input(1);
      int[] as = shape(a), bs = shape(b);
      int m, k, kb, nn;
      int[] outShape;
      if (matMul) {
        if (as.length < 2 || bs.length != 2) throw new Unsupported("matmul ranks");
        k = as[as.length - 1];
        kb = bs[0];
        nn = bs[1];
        m = Shapes.size(as) / Math.max(1, k);
        outShape = as.clone();
        outShape[outShape.length - 1] = nn;
      } else {
        if (as.length != 2 || bs.length != 2) throw new Unsupported("gemm ranks");
        m = transA ? as[1] : as[0];
        k = transA ? as[0] : as[1];
        kb = transB ? bs[1] : bs[0];
        nn = transB ? bs[0] : bs[1];
        outShape = new int[] {m, nn};
      }
      if (k != kb) throw new Unsupported("gemm inner dims");
      if (batched(b) || (transA && batched(a))) mixesBatch = true;
      // B' [K x N] with alpha folded in when B is a weight.
      int bBuf;
      boolean bTrans = transB;
      float bScale = (float) alpha;
      if (isConst(b)) {
        float[] bd = consts.get(b);
        float[] packed = new float[k * nn];
        for (int p = 0; p < k; p++) {
          for (int j = 0; j < nn; j++) packed[p * nn + j] = (float) (alpha * (transB ? bd[j * k + p] : bd[p * nn + j]));
        }
        bBuf = constRef(b + "#packed" + transB + alpha, packed);
        bTrans = false;
        bScale = 1;
      } else {
        bBuf = in(b);
      }
      // C: a column bias fused into the kernel, or a general broadcast added afterwards.
      float[] colBias = null;
      int cBuf = -1;
      int[] cOff = null;
      if (!matMul && n.hasInput(2)) {
        String c = n.input(2);
        int[] cs = shape(c);
        Broadcast.shape(cs, outShape, n.name());
        if (!Arrays.equals(Broadcast.shape(cs, outShape, n.name()), outShape)) throw new Unsupported("gemm C shape");
        boolean column = isConst(c) && Shapes.size(cs) == nn && (cs.length == 1 || (cs.length == 2 && cs[0] == 1));
        if (column && nn > 0) {
          float[] cd = consts.get(c);
          colBias = new float[nn];
          for (int j = 0; j < nn; j++) colBias[j] = (float) (beta * cd[j]);
        } else {
          cBuf = in(c);
          cOff = Broadcast.offsets(cs, outShape);
          if (batched(c)) mixesBatch |= cs.length != 2 || cs[0] != m;
        }
      }
      int aBuf = in(a);
      int dst = output(outName, outShape, anyBatched, null);
      add(new Float32Steps.Gemm(m, nn, k, aBuf, transA, bBuf, bTrans, bScale, colBias, cBuf, cOff, (float) beta, act, dst), n);
    }

    void planBatchNorm(Node n, Op.BatchNorm bn, String outName, boolean anyBatched) {
      String x = n.input(0);
      for (int i = 1; i < 5; i++) if (!isConst(n.input(i))) throw new Unsupported("batchnorm statistics computed at run time");
      int[] s = shape(x);
      if (s.length < 2) throw new Unsupported("batchnorm rank");
      float[][] ab = batchNormAffine(n, s[1]);
      if (ab == null) throw new Unsupported("batchnorm shapes");
      int src = in(x);
      int dst = output(outName, s, anyBatched, x);
      add(new Float32Steps.Affine(src, dst, s[0], s[1], Shapes.size(s) / Math.max(1, s[0] * s[1]), ab[0], ab[1]), n);
    }

    void planConcat(Node n, Op.Concat op, String outName, boolean anyBatched) {
      List<String> parts = new ArrayList<>();
      for (String i : n.inputs()) if (!i.isEmpty()) parts.add(i);
      int[] s0 = shape(parts.get(0));
      int axis = op.axis() < 0 ? op.axis() + s0.length : op.axis();
      if (axis < 0 || axis >= s0.length) throw new Unsupported("concat axis");
      if (axis == 0 && anyBatched) mixesBatch = true;
      int outer = 1;
      for (int i = 0; i < axis; i++) outer *= s0[i];
      int[] srcs = new int[parts.size()], inner = new int[parts.size()];
      int total = 0;
      for (int p = 0; p < parts.size(); p++) {
        int[] s = shape(parts.get(p));
        if (s.length != s0.length) throw new Unsupported("concat ranks");
        for (int i = 0; i < s.length; i++) if (i != axis && s[i] != s0[i]) throw new Unsupported("concat shapes");
        srcs[p] = in(parts.get(p));
        inner[p] = Shapes.size(s) / Math.max(1, outer);
        total += s[axis];
      }
      int[] o = s0.clone();
      o[axis] = total;
      int dst = output(outName, o, anyBatched, null);
      add(new Float32Steps.Concat(srcs, inner, outer, dst), n);
    }
  }

  /** Constant buffers are numbered after the arena slots; plans resolve this base at construction. */
  static final int CONST_BASE = 1 << 20;
}
