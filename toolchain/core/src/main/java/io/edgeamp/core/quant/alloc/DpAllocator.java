package io.edgeamp.core.quant.alloc;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code dp}: the exact multiple-choice knapsack by dynamic programming over the budget, used as the
 * oracle for {@code ilp} and usable as an allocator for moderate sizes.
 *
 * <p>The budget is integerised as the total sum(n_l b_l), an integer bit count compared with the exact
 * capacity floor(budget * sum(n_l)). Rather than a dense table indexed by every bit total up to the
 * capacity (up to 32 * sum(n_l) cells), the DP keeps, after each layer, only the reachable totals that
 * are not dominated: a state (bits, limited costs, objective) is dropped when another state uses no more
 * bits, no more of every limited cost, and has no larger objective. States that cannot be completed
 * within the capacity (or a limit) even with every remaining layer at its cheapest width are dropped
 * too. Both prunings keep every state an optimal completion needs, so the result is the exact optimum
 * of the same model the ILP solves (up to the order in which floating-point terms are added).
 *
 * <p>Flash, total RAM and latency limits are extra integer dimensions of the state; a peak-RAM limit
 * removes widths up front. The number of states is capped ({@link #DpAllocator(int)}); past the cap
 * the allocator throws {@link IllegalStateException} rather than run out of memory.
 */
public final class DpAllocator implements BitAllocator {

    public static final String NAME = "dp";

    /** Default cap on the candidate states of one layer. */
    public static final int DEFAULT_MAX_STATES = 4_000_000;

    private final int maxStates;

    public DpAllocator() {
        this(DEFAULT_MAX_STATES);
    }

    public DpAllocator(int maxStates) {
        if (maxStates <= 0) {
            throw new IllegalArgumentException("maxStates must be positive");
        }
        this.maxStates = maxStates;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Per layer: the surviving states' parent index and chosen width. */
    private static final class Layer {
        int[] parent;
        int[] width;
    }

    @Override
    public Allocation allocate(List<LayerCandidate> layers, AllocationConstraints constraints) {
        AllocationProblem p = AllocationProblem.of(layers, constraints);
        int count = p.size();
        int dims = p.limits.length;

        long[] minBitsFrom = new long[count + 1];
        long[][] minResFrom = new long[dims][count + 1];
        for (int i = count - 1; i >= 0; i--) {
            minBitsFrom[i] = minBitsFrom[i + 1] + p.params(i) * p.widths[i][0];
            for (int k = 0; k < dims; k++) {
                long best = Long.MAX_VALUE;
                for (int w : p.widths[i]) {
                    best = Math.min(best, p.limitedCost(i, k, w));
                }
                minResFrom[k][i] = minResFrom[k][i + 1] + best;
            }
        }

        long[] bits = {0};
        long[][] res = new long[dims][1];
        double[] obj = {0};
        Layer[] trace = new Layer[count];

        for (int i = 0; i < count; i++) {
            int[] w = p.widths[i];
            long n = p.params(i);
            int states = bits.length;
            long raw = (long) states * w.length;
            if (raw > maxStates) {
                throw new IllegalStateException("dp: " + raw + " states at layer '" + p.layers.get(i).name() + "' exceed the cap of " + maxStates
                        + "; use the ilp allocator for this size");
            }
            int c = 0;
            long[] cBits = new long[(int) raw];
            long[][] cRes = new long[dims][(int) raw];
            double[] cObj = new double[(int) raw];
            int[] cParent = new int[(int) raw];
            int[] cWidth = new int[(int) raw];
            // Candidates are generated width by width; within one width they keep the parents' order.
            int[] runStart = new int[w.length + 1];
            for (int j = 0; j < w.length; j++) {
                runStart[j] = c;
                double term = p.term(i, w[j]);
                long addBits = n * w[j];
                next:
                for (int s = 0; s < states; s++) {
                    long nb = bits[s] + addBits;
                    if (nb + minBitsFrom[i + 1] > p.bitCapacity) {
                        continue;
                    }
                    for (int k = 0; k < dims; k++) {
                        long r = res[k][s] + p.limitedCost(i, k, w[j]);
                        if (r + minResFrom[k][i + 1] > p.limits[k]) {
                            continue next;
                        }
                        cRes[k][c] = r;
                    }
                    cBits[c] = nb;
                    cObj[c] = obj[s] + term;
                    cParent[c] = s;
                    cWidth[c] = w[j];
                    c++;
                }
            }
            runStart[w.length] = c;
            if (c == 0) {
                throw p.jointlyInfeasible(NAME);
            }
            int[] keep = dims == 0 ? paretoByMerge(cBits, cObj, runStart) : paretoGeneral(c, cBits, cRes, cObj);
            int m = keep.length;
            bits = new long[m];
            res = new long[dims][m];
            obj = new double[m];
            trace[i] = new Layer();
            trace[i].parent = new int[m];
            trace[i].width = new int[m];
            for (int t = 0; t < m; t++) {
                int idx = keep[t];
                bits[t] = cBits[idx];
                obj[t] = cObj[idx];
                for (int k = 0; k < dims; k++) {
                    res[k][t] = cRes[k][idx];
                }
                trace[i].parent[t] = cParent[idx];
                trace[i].width[t] = cWidth[idx];
            }
        }

        int best = 0;
        for (int t = 1; t < obj.length; t++) {
            if (obj[t] < obj[best] || (obj[t] == obj[best] && bits[t] < bits[best])) {
                best = t;
            }
        }
        int[] chosen = new int[count];
        int s = best;
        for (int i = count - 1; i >= 0; i--) {
            chosen[i] = trace[i].width[s];
            s = trace[i].parent[s];
        }
        return p.toAllocation(NAME, chosen);
    }

    /**
     * Bits-only Pareto front. The previous front is sorted by bits ascending, so each width's run of
     * candidates is sorted too; merging the runs and keeping each state whose objective is strictly
     * below every state with fewer or equal bits leaves the front (sorted by bits, objective decreasing).
     */
    private static int[] paretoByMerge(long[] bits, double[] obj, int[] runStart) {
        int runs = runStart.length - 1;
        int[] pos = Arrays.copyOf(runStart, runs);
        int total = runStart[runs];
        int[] keep = new int[total];
        int m = 0;
        double bestObj = Double.POSITIVE_INFINITY;
        for (int taken = 0; taken < total; taken++) {
            int pick = -1;
            for (int r = 0; r < runs; r++) {
                if (pos[r] < runStart[r + 1]) {
                    int idx = pos[r];
                    if (pick < 0 || bits[idx] < bits[pos[pick]] || (bits[idx] == bits[pos[pick]] && obj[idx] < obj[pos[pick]])) {
                        pick = r;
                    }
                }
            }
            int idx = pos[pick]++;
            if (obj[idx] < bestObj) {
                bestObj = obj[idx];
                keep[m++] = idx;
            }
        }
        return Arrays.copyOf(keep, m);
    }

    /** Pareto front over bits, every limited cost and the objective. */
    private static int[] paretoGeneral(int c, long[] bits, long[][] res, double[] obj) {
        Integer[] order = new Integer[c];
        for (int t = 0; t < c; t++) {
            order[t] = t;
        }
        Comparator<Integer> cmp = Comparator.<Integer>comparingDouble(t -> obj[t]).thenComparingLong(t -> bits[t]);
        for (long[] r : res) {
            cmp = cmp.thenComparingLong(t -> r[t]);
        }
        Arrays.sort(order, cmp);
        int[] keep = new int[c];
        int m = 0;
        for (int t = 0; t < c; t++) {
            int idx = order[t];
            boolean dominated = false;
            for (int q = 0; q < m && !dominated; q++) {
                int o = keep[q];
                if (bits[o] <= bits[idx]) {
                    boolean all = true;
                    for (long[] r : res) {
                        if (r[o] > r[idx]) {
                            all = false;
                            break;
                        }
                    }
                    dominated = all;
                }
            }
            if (!dominated) {
                keep[m++] = idx;
            }
        }
        return Arrays.copyOf(keep, m);
    }
}
