package io.edgeamp.core.quant.alloc;

import java.util.List;

/**
 * The greedy bit allocators {@code greedy-ti} and {@code greedy-omega}.
 *
 * <h2>{@code greedy-ti}: compatible with TI Tiny ML Tensorlab</h2>
 * Source read: {@code greedy_bit_allocation(module_sensitivities, module_params, target_avg_bitwidth)} in
 * TexasInstruments/tinyml-tensorlab,
 * {@code tinyml-modeloptimization/torchmodelopt/tinyml_torchmodelopt/quantization/base/fx/auto_quantization.py}
 * (commit 9085945d438b110c9463c11fd20d858071a07f1b). What it does, and what this class matches:
 * <ul>
 *   <li>Levels are {@code precision_levels = [2, 4, 8, 32]}; every layer starts at 2 bits; the budget is
 *       {@code target_avg_bitwidth * total_params} bits.</li>
 *   <li>"Next level" is the smallest level above the current one: 2 -&gt; 4 -&gt; 8 -&gt; 32, one step at a time,
 *       never a jump over a level. It does use 32: a layer at 8 bits can be upgraded to float when the
 *       budget allows it (gain lambda*n*(4^-8 - 4^-32) over 24n bits).</li>
 *   <li>While {@code current_bits_used < total_bit_budget}, each round scans the layers in their order
 *       (Python dict insertion order = the model's parameter order), skips a layer without a next level
 *       and a layer whose upgrade cost {@code (b'-b)*n} would make {@code current + cost > budget}
 *       (so ending exactly on the budget is allowed), and computes
 *       {@code ratio = lambda*n*(1/4^b - 1/4^b') / ((b'-b)*n)}.</li>
 *   <li>Tie-breaking: {@code if ratio > best_ratio} with strict {@code >}, so among equal ratios the
 *       <em>first</em> layer in order wins. This class scans in the input-list order with the same strict
 *       comparison and evaluates the ratio in the same floating-point order ({@code (lambda*n)*(4^-b - 4^-b')},
 *       then divided by the cost), so ties resolve identically.</li>
 *   <li>The round ends the loop when no layer's upgrade fits ({@code best_layer is None: break}); a
 *       skipped layer stays a candidate in later rounds.</li>
 * </ul>
 * Where Tensorlab is silent (it has no forced layers, board widths or cost limits), our choices:
 * <ul>
 *   <li>A layer starts at its lowest allowed width and its next level is the smallest <em>allowed</em>
 *       width above the current one (so 2 -&gt; 8 when a board disallows 4; a forced-32 layer never moves);
 *       the ratio uses the actual b and b'.</li>
 *   <li>The budget is the exact integer {@link AllocationConstraints#maxTotalBits(long)}; with integer
 *       bit totals this is the same test as Tensorlab's float comparison.</li>
 *   <li>With flash/RAM/latency limits an upgrade that would break one is skipped like one that breaks
 *       the budget; if the all-lowest starting point already breaks a limit the greedy throws
 *       {@link InfeasibleAllocationException} (use {@code ilp}, which searches all combinations).</li>
 * </ul>
 *
 * <h2>{@code greedy-omega}</h2>
 * The same loop with the measured error in place of the 4^-b model:
 * {@code ratio = lambda*(err_b - err_b') / ((b'-b)*n)}. Our choice for measured errors that are not
 * strictly decreasing: the next level skips allowed widths whose error is not lower than the current
 * one (such an upgrade would spend bits for no gain); with decreasing errors it is the plain next level.
 */
public final class GreedyAllocator implements BitAllocator {

    /** Name of the Tensorlab-compatible greedy. */
    public static final String TI_NAME = "greedy-ti";
    /** Name of the measured-error greedy. */
    public static final String OMEGA_NAME = "greedy-omega";

    private final boolean measured;

    private GreedyAllocator(boolean measured) {
        this.measured = measured;
    }

    /** {@code greedy-ti}: the 4^-b error model, Tensorlab-compatible. */
    public static GreedyAllocator tensorlab() {
        return new GreedyAllocator(false);
    }

    /** {@code greedy-omega}: lambda times the measured ||W - Q_b(W)||^2. */
    public static GreedyAllocator omega() {
        return new GreedyAllocator(true);
    }

    @Override
    public String name() {
        return measured ? OMEGA_NAME : TI_NAME;
    }

    @Override
    public Allocation allocate(List<LayerCandidate> layers, AllocationConstraints constraints) {
        AllocationProblem p = AllocationProblem.of(layers, constraints);
        int count = p.size();
        int[] level = new int[count];
        int[] bits = new int[count];
        long used = 0;
        long[] resources = new long[p.limits.length];
        for (int i = 0; i < count; i++) {
            bits[i] = p.widths[i][0];
            used += p.params(i) * bits[i];
            for (int k = 0; k < resources.length; k++) {
                resources[k] += p.limitedCost(i, k, bits[i]);
            }
        }
        for (int k = 0; k < resources.length; k++) {
            if (resources[k] > p.limits[k]) {
                throw new InfeasibleAllocationException(name() + ": the starting point (every layer at its lowest allowed width) needs " + resources[k]
                        + " " + p.limitedKinds.get(k).label() + ", over the limit " + p.limits[k] + "; the greedy only upgrades, use ilp or dp ("
                        + constraints + ")", constraints.budgetBits(), p.minimumAverageBits());
            }
        }
        while (used < p.bitCapacity) {
            int bestLayer = -1;
            int bestLevel = -1;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                int next = nextLevel(p, i, level[i]);
                if (next < 0) {
                    continue;
                }
                int b = bits[i];
                int b2 = p.widths[i][next];
                long n = p.params(i);
                long cost = (long) (b2 - b) * n;
                if (used + cost > p.bitCapacity || !fitsLimits(p, i, b, b2, resources)) {
                    continue;
                }
                double ratio = ratio(p.layers.get(i), b, b2, cost);
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    bestLayer = i;
                    bestLevel = next;
                }
            }
            if (bestLayer < 0) {
                break;
            }
            int b = bits[bestLayer];
            int b2 = p.widths[bestLayer][bestLevel];
            used += (long) (b2 - b) * p.params(bestLayer);
            for (int k = 0; k < resources.length; k++) {
                resources[k] += p.limitedCost(bestLayer, k, b2) - p.limitedCost(bestLayer, k, b);
            }
            level[bestLayer] = bestLevel;
            bits[bestLayer] = b2;
        }
        return p.toAllocation(name(), bits);
    }

    /** Index into the layer's widths of its next level, or -1 if it has none. */
    private int nextLevel(AllocationProblem p, int layer, int current) {
        int[] w = p.widths[layer];
        if (!measured) {
            return current + 1 < w.length ? current + 1 : -1;
        }
        LayerCandidate l = p.layers.get(layer);
        double err = l.error(w[current]).getAsDouble();
        for (int j = current + 1; j < w.length; j++) {
            if (l.error(w[j]).getAsDouble() < err) {
                return j;
            }
        }
        return -1;
    }

    private static boolean fitsLimits(AllocationProblem p, int layer, int b, int b2, long[] resources) {
        for (int k = 0; k < resources.length; k++) {
            if (resources[k] + p.limitedCost(layer, k, b2) - p.limitedCost(layer, k, b) > p.limits[k]) {
                return false;
            }
        }
        return true;
    }

    /** Gain per added bit, evaluated in Tensorlab's floating-point order. */
    private double ratio(LayerCandidate l, int b, int b2, long cost) {
        double reduction;
        if (measured) {
            reduction = l.sensitivity() * (l.error(b).getAsDouble() - l.error(b2).getAsDouble());
        } else {
            reduction = l.sensitivity() * l.paramCount() * (1.0 / Math.pow(4, b) - 1.0 / Math.pow(4, b2));
        }
        return reduction / cost;
    }
}
