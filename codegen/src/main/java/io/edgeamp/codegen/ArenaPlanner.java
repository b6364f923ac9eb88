package io.edgeamp.codegen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Places every buffer of one inference (intermediate tensors, kernel scratch, float temporaries of CPU
 * layers) in one static arena, reusing bytes between buffers whose lifetimes do not overlap.
 *
 * <p>Lifetimes are inclusive layer steps {@code [first, last]}: a layer's output is live from the step
 * that writes it to the last step that reads it, so a layer's inputs and output are always disjoint
 * (the kernels forbid aliasing). The lower bound is {@code max over steps of the bytes live at that
 * step} (sizes rounded up to the alignment); no placement can do better. Placement is first-fit at the
 * lowest free offset, over several orders (largest first, earliest first, longest-lived first, then
 * seeded random orders) until one reaches the bound; the best is kept. For a chain of layers, largest
 * first already reaches the bound; graphs with residual edges may need the other orders.
 */
public final class ArenaPlanner {
  private ArenaPlanner() {}

  /** One buffer: {@code bytes} (already aligned), live in steps first..last inclusive. */
  public record Buffer(String name, int bytes, int first, int last, String what) {
    public Buffer {
      if (bytes < 0 || first > last) throw new IllegalArgumentException("buffer " + name + ": " + bytes + " bytes, steps " + first + ".." + last);
    }

    boolean overlaps(Buffer o) {
      return first <= o.last && o.first <= last;
    }
  }

  public record Placement(Buffer buffer, int offset) {
    public int end() {
      return offset + buffer.bytes();
    }
  }

  /** The arena: placements in the order the buffers were given, the peak (arena size) and the lower bound. */
  public record Plan(List<Placement> placements, int peak, int lowerBound, String strategy, int orderingsTried) {
    public Placement of(String name) {
      for (Placement p : placements) if (p.buffer().name().equals(name)) return p;
      throw new IllegalArgumentException("no buffer " + name);
    }

    /** Sum of all buffer sizes: the arena without any reuse. */
    public int withoutReuse() {
      int s = 0;
      for (Placement p : placements) s += p.buffer().bytes();
      return s;
    }
  }

  public static int align(int bytes, int alignment) {
    return (bytes + alignment - 1) / alignment * alignment;
  }

  /** Max over steps of the live bytes. */
  public static int lowerBound(List<Buffer> buffers) {
    int maxStep = -1, minStep = 0;
    for (Buffer b : buffers) {
      maxStep = Math.max(maxStep, b.last());
      minStep = Math.min(minStep, b.first());
    }
    int best = 0;
    for (int t = minStep; t <= maxStep; t++) {
      int live = 0;
      for (Buffer b : buffers) if (b.first() <= t && t <= b.last()) live += b.bytes();
      best = Math.max(best, live);
    }
    return best;
  }

  public static Plan plan(List<Buffer> buffers) {
    int bound = lowerBound(buffers);
    int n = buffers.size();
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < n; i++) idx.add(i);
    List<Object[]> orders = new ArrayList<>();
    orders.add(new Object[] {"largest first", sorted(idx, Comparator.<Integer>comparingInt(i -> -buffers.get(i).bytes()).thenComparingInt(i -> buffers.get(i).first()))});
    orders.add(new Object[] {"earliest first", sorted(idx, Comparator.<Integer>comparingInt(i -> buffers.get(i).first()).thenComparingInt(i -> -buffers.get(i).bytes()))});
    orders.add(new Object[] {"longest-lived first", sorted(idx, Comparator.<Integer>comparingInt(i -> buffers.get(i).first() - buffers.get(i).last())
        .thenComparingInt(i -> -buffers.get(i).bytes()))});
    orders.add(new Object[] {"largest area first", sorted(idx, Comparator.<Integer>comparingLong(i -> -(long) buffers.get(i).bytes()
        * (buffers.get(i).last() - buffers.get(i).first() + 1)))});
    int[] best = null;
    int bestPeak = Integer.MAX_VALUE, tried = 0;
    String bestName = null;
    Random rnd = new Random(1);
    for (int k = 0; ; k++) {
      String name;
      List<Integer> order;
      if (k < orders.size()) {
        name = (String) orders.get(k)[0];
        @SuppressWarnings("unchecked")
        List<Integer> o = (List<Integer>) orders.get(k)[1];
        order = o;
      } else if (k < orders.size() + 500 && n > 1) {
        // Random perturbation of largest-first: sizes jittered by up to 50 %.
        double[] key = new double[n];
        for (int i = 0; i < n; i++) key[i] = -buffers.get(i).bytes() * (0.5 + rnd.nextDouble());
        order = sorted(idx, Comparator.comparingDouble(i -> key[i]));
        name = "randomized largest first (seed 1, try " + (k - orders.size() + 1) + ")";
      } else {
        break;
      }
      tried++;
      int[] off = place(buffers, order);
      int peak = 0;
      for (int i = 0; i < n; i++) peak = Math.max(peak, off[i] + buffers.get(i).bytes());
      if (peak < bestPeak) {
        bestPeak = peak;
        best = off;
        bestName = name;
      }
      if (bestPeak == bound) break;
    }
    List<Placement> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new Placement(buffers.get(i), best == null ? 0 : best[i]));
    return new Plan(out, best == null ? 0 : bestPeak, bound, bestName == null ? "empty" : bestName, tried);
  }

  private static List<Integer> sorted(List<Integer> idx, Comparator<Integer> c) {
    List<Integer> l = new ArrayList<>(idx);
    l.sort(c);
    return l;
  }

  /** First fit at the lowest offset that is free over the buffer's whole lifetime. */
  private static int[] place(List<Buffer> buffers, List<Integer> order) {
    int[] off = new int[buffers.size()];
    Arrays.fill(off, -1);
    List<Integer> placed = new ArrayList<>();
    for (int i : order) {
      Buffer b = buffers.get(i);
      List<int[]> busy = new ArrayList<>();
      for (int j : placed) {
        Buffer o = buffers.get(j);
        if (o.bytes() > 0 && b.overlaps(o)) busy.add(new int[] {off[j], off[j] + o.bytes()});
      }
      busy.sort(Comparator.comparingInt(a -> a[0]));
      int at = 0;
      for (int[] r : busy) {
        if (at + b.bytes() <= r[0]) break;
        at = Math.max(at, r[1]);
      }
      off[i] = at;
      placed.add(i);
    }
    return off;
  }
}
