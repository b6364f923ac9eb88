package io.edgeamp.core.quant.alloc;

import java.util.List;

import org.ojalgo.concurrent.Parallelism;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;
import org.ojalgo.optimisation.integer.IntegerStrategy;
import org.ojalgo.type.CalendarDateDuration;
import org.ojalgo.type.CalendarDateUnit;
import org.ojalgo.type.context.NumberContext;

/**
 * {@code ilp}: the exact multiple-choice knapsack solved with ojAlgo's {@link ExpressionsBasedModel}.
 *
 * <p>Model: one binary x_{l,b} per layer and allowed width (layers with a single width, e.g. forced to
 * 32, are fixed and get no variable); sum_b x_{l,b} = 1 per layer; minimise sum lambda_l err_l(b) x_{l,b};
 * subject to sum n_l b x_{l,b} &lt;= floor(budget * N) and, when set, total flash, total RAM and total
 * latency &lt;= their limits (a peak-RAM limit removes widths up front).
 *
 * <p>Numerical safety, since errors span many orders of magnitude:
 * <ul>
 *   <li>Objective: each layer's smallest term is subtracted (a constant, because exactly one x per layer
 *       is 1), and the remaining excesses are divided by the largest one, so weights are in [0, 1] and
 *       the MIP gap is measured on the part of the objective the choice can change.</li>
 *   <li>Constraints: written in excess over each layer's cheapest width and divided by the largest
 *       coefficient, so coefficients are in [0, 1]. Left-hand sides are integers at integer points, so
 *       the right-hand side gets +0.5 (before scaling): a total exactly on the limit is strictly inside
 *       the solver's tolerance and one unit over is clearly outside.</li>
 *   <li>The returned choice is re-checked in exact integer arithmetic.</li>
 *   <li>Terms below the LP's double-precision resolution (a layer whose objective range is ~1e-13 of the
 *       largest layer's) cannot steer the solver; a 1- and 2-layer exchange polish on the unscaled
 *       objective recovers them (see {@code polish}).</li>
 * </ul>
 *
 * <p>ojAlgo options (v55 keeps the MIP settings on {@link IntegerStrategy}, set through
 * {@link Optimisation.Options#integer(IntegerStrategy)}; older versions' {@code options.mip_gap} is gone):
 * <ul>
 *   <li>{@link IntegerStrategy.ConfigurableStrategy#withGapTolerance(NumberContext)}: the default
 *       {@code NumberContext.of(7, 8)} prunes a branch whose relaxed bound is within 1e-7 (relative) of the
 *       incumbent, which may return a solution slightly worse than the optimum; we use
 *       {@link #GAP_TOLERANCE} = {@code NumberContext.of(12, 14)} (relative 1e-12, absolute 1e-14 on the
 *       [0, 1]-scaled objective) so only branches that cannot be better beyond rounding are pruned.</li>
 *   <li>{@link IntegerStrategy.ConfigurableStrategy#withParallelism}: one worker, so the result (among
 *       equally good allocations) is deterministic and the solver does not compete with parallel builds.</li>
 *   <li>{@link Optimisation.Options#abort}: a time limit (default 60 s); a result not proven optimal is
 *       an error, never silently returned.</li>
 * </ul>
 */
public final class IlpAllocator implements BitAllocator {

    public static final String NAME = "ilp";

    /** The MIP gap tolerance used: relative 1e-12, absolute 1e-14 on the scaled objective. */
    public static final NumberContext GAP_TOLERANCE = NumberContext.of(12, 14);

    private final double timeLimitSeconds;

    public IlpAllocator() {
        this(60);
    }

    public IlpAllocator(double timeLimitSeconds) {
        if (!(timeLimitSeconds > 0)) {
            throw new IllegalArgumentException("time limit must be > 0 s");
        }
        this.timeLimitSeconds = timeLimitSeconds;
    }

    @Override
    public String name() {
        return NAME;
    }

    static Optimisation.Options solverOptions(double timeLimitSeconds) {
        Optimisation.Options options = new Optimisation.Options();
        options.integer(IntegerStrategy.newConfigurable().withGapTolerance(GAP_TOLERANCE).withParallelism(Parallelism.ONE));
        options.abort(new CalendarDateDuration(timeLimitSeconds, CalendarDateUnit.SECOND));
        return options;
    }

    @Override
    public Allocation allocate(List<LayerCandidate> layers, AllocationConstraints constraints) {
        AllocationProblem p = AllocationProblem.of(layers, constraints);
        int count = p.size();
        int dims = p.limits.length;
        int[] chosen = new int[count];

        double[] minTerm = new double[count];
        double objScale = 0;
        long bitCoefMax = 0;
        long[] resCoefMax = new long[dims];
        long fixedBits = 0;
        long[] fixedRes = new long[dims];
        long[][] minRes = new long[dims][count];
        boolean anyChoice = false;
        for (int i = 0; i < count; i++) {
            int[] w = p.widths[i];
            minTerm[i] = Double.POSITIVE_INFINITY;
            for (int b : w) {
                minTerm[i] = Math.min(minTerm[i], p.term(i, b));
            }
            for (int b : w) {
                objScale = Math.max(objScale, p.term(i, b) - minTerm[i]);
            }
            fixedBits += p.params(i) * w[0];
            bitCoefMax = Math.max(bitCoefMax, p.params(i) * (w[w.length - 1] - w[0]));
            for (int k = 0; k < dims; k++) {
                long lo = Long.MAX_VALUE;
                long hi = Long.MIN_VALUE;
                for (int b : w) {
                    lo = Math.min(lo, p.limitedCost(i, k, b));
                    hi = Math.max(hi, p.limitedCost(i, k, b));
                }
                minRes[k][i] = lo;
                fixedRes[k] += lo;
                resCoefMax[k] = Math.max(resCoefMax[k], hi - lo);
            }
            chosen[i] = w[0];
            anyChoice |= w.length > 1;
        }
        if (!anyChoice) {
            return p.toAllocation(NAME, chosen);
        }

        ExpressionsBasedModel model = new ExpressionsBasedModel(solverOptions(timeLimitSeconds));
        Variable[][] x = new Variable[count][];
        Expression budget = bitCoefMax > 0
                ? model.addExpression("budget").upper((p.bitCapacity - fixedBits + 0.5) / bitCoefMax)
                : null;
        Expression[] limit = new Expression[dims];
        for (int k = 0; k < dims; k++) {
            if (resCoefMax[k] > 0) {
                limit[k] = model.addExpression(p.limitedKinds.get(k).name()).upper((p.limits[k] - fixedRes[k] + 0.5) / resCoefMax[k]);
            }
        }
        for (int i = 0; i < count; i++) {
            int[] w = p.widths[i];
            if (w.length == 1) {
                continue;
            }
            x[i] = new Variable[w.length];
            Expression oneHot = model.addExpression("one_" + i).level(1);
            for (int j = 0; j < w.length; j++) {
                double weight = objScale > 0 ? (p.term(i, w[j]) - minTerm[i]) / objScale : 0.0;
                Variable v = model.addVariable("x_" + i + "_" + w[j]).binary().weight(weight);
                x[i][j] = v;
                oneHot.set(v, 1);
                if (budget != null) {
                    budget.set(v, (double) (p.params(i) * (w[j] - w[0])) / bitCoefMax);
                }
                for (int k = 0; k < dims; k++) {
                    if (limit[k] != null) {
                        limit[k].set(v, (double) (p.limitedCost(i, k, w[j]) - minRes[k][i]) / resCoefMax[k]);
                    }
                }
            }
        }

        Optimisation.Result result = model.minimise();
        Optimisation.State state = result.getState();
        if (!state.isOptimal()) {
            if (state == Optimisation.State.INFEASIBLE) {
                throw p.jointlyInfeasible(NAME);
            }
            throw new IllegalStateException("ilp: ojAlgo did not prove an optimum (state " + state + ") for " + constraints
                    + " within " + timeLimitSeconds + " s");
        }
        for (int i = 0; i < count; i++) {
            if (x[i] == null) {
                continue;
            }
            int bestJ = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < x[i].length; j++) {
                double v = x[i][j].getValue().doubleValue();
                if (v > bestV) {
                    bestV = v;
                    bestJ = j;
                }
            }
            if (bestV < 0.5) {
                throw new IllegalStateException("ilp: layer '" + p.layers.get(i).name() + "' has no width selected in the solver's solution");
            }
            chosen[i] = p.widths[i][bestJ];
        }
        if (!p.isFeasible(chosen)) {
            throw new IllegalStateException("ilp: the solver's solution breaks " + constraints + " in exact arithmetic");
        }
        polish(p, chosen);
        return p.toAllocation(NAME, chosen);
    }

    /**
     * The LP works in double precision on weights scaled to [0, 1], so a layer whose whole objective
     * range is below ~1e-13 of the largest layer's is invisible to it (it may, say, leave such a layer at
     * 8 bits although the budget has room for 32). This polish recovers those terms: it repeatedly applies
     * the best change of one layer's width, or of two layers' widths at once, that keeps the allocation
     * feasible in exact integer arithmetic and lowers the objective computed from the unscaled terms. It
     * never makes the solver's answer worse.
     */
    private static void polish(AllocationProblem p, int[] chosen) {
        int count = p.size();
        int dims = p.limits.length;
        long used = 0;
        long[] res = new long[dims];
        for (int i = 0; i < count; i++) {
            used += p.params(i) * chosen[i];
            for (int k = 0; k < dims; k++) {
                res[k] += p.limitedCost(i, k, chosen[i]);
            }
        }
        for (int round = 0; round < 10_000; round++) {
            double bestDelta = 0;
            int l1 = -1;
            int w1 = 0;
            int l2 = -1;
            int w2 = 0;
            for (int a = 0; a < count; a++) {
                for (int wa : p.widths[a]) {
                    if (wa == chosen[a]) {
                        continue;
                    }
                    double da = p.term(a, wa) - p.term(a, chosen[a]);
                    long bitsA = p.params(a) * (wa - chosen[a]);
                    if (da < bestDelta && fits(p, used + bitsA, res, a, wa, chosen[a], -1, 0, 0)) {
                        bestDelta = da;
                        l1 = a;
                        w1 = wa;
                        l2 = -1;
                    }
                    for (int b = a + 1; b < count; b++) {
                        for (int wb : p.widths[b]) {
                            if (wb == chosen[b]) {
                                continue;
                            }
                            double d = da + (p.term(b, wb) - p.term(b, chosen[b]));
                            long bits = bitsA + p.params(b) * (wb - chosen[b]);
                            if (d < bestDelta && fits(p, used + bits, res, a, wa, chosen[a], b, wb, chosen[b])) {
                                bestDelta = d;
                                l1 = a;
                                w1 = wa;
                                l2 = b;
                                w2 = wb;
                            }
                        }
                    }
                }
            }
            if (l1 < 0) {
                return;
            }
            used += p.params(l1) * (w1 - chosen[l1]);
            for (int k = 0; k < dims; k++) {
                res[k] += p.limitedCost(l1, k, w1) - p.limitedCost(l1, k, chosen[l1]);
            }
            chosen[l1] = w1;
            if (l2 >= 0) {
                used += p.params(l2) * (w2 - chosen[l2]);
                for (int k = 0; k < dims; k++) {
                    res[k] += p.limitedCost(l2, k, w2) - p.limitedCost(l2, k, chosen[l2]);
                }
                chosen[l2] = w2;
            }
        }
    }

    private static boolean fits(AllocationProblem p, long bits, long[] res, int a, int wa, int ca, int b, int wb, int cb) {
        if (bits > p.bitCapacity) {
            return false;
        }
        for (int k = 0; k < res.length; k++) {
            long r = res[k] + p.limitedCost(a, k, wa) - p.limitedCost(a, k, ca);
            if (b >= 0) {
                r += p.limitedCost(b, k, wb) - p.limitedCost(b, k, cb);
            }
            if (r > p.limits[k]) {
                return false;
            }
        }
        return true;
    }
}
