package io.edgeamp.core.quant.alloc;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A validated allocation request shared by all allocators: the layers' effective widths (allowed
 * widths minus those over a peak-RAM limit), the integer bit capacity, the additively limited cost
 * kinds, and the feasibility checks that every allocator performs the same way.
 */
final class AllocationProblem {

    final List<LayerCandidate> layers;
    final AllocationConstraints constraints;
    /** Per layer, the widths it may take here, ascending. */
    final int[][] widths;
    final long totalParams;
    /** floor(budget * totalParams): the largest allowed sum(n_l b_l). */
    final long bitCapacity;
    /** sum(n_l * lowest width). */
    final long minTotalBits;
    /** Cost kinds limited additively, in enum order, and their limits. */
    final List<CostKind> limitedKinds;
    final long[] limits;

    private AllocationProblem(List<LayerCandidate> layers, AllocationConstraints constraints) {
        this.layers = List.copyOf(layers);
        this.constraints = constraints;
        int count = layers.size();
        long n = 0;
        for (LayerCandidate l : layers) {
            n = Math.addExact(n, l.paramCount());
        }
        this.totalParams = n;
        this.bitCapacity = constraints.maxTotalBits(n);

        List<CostKind> kinds = new ArrayList<>();
        List<Long> lims = new ArrayList<>();
        for (CostKind kind : CostKind.values()) {
            OptionalLong lim = constraints.additiveLimit(kind);
            if (lim.isPresent()) {
                kinds.add(kind);
                lims.add(lim.getAsLong());
            }
        }
        this.limitedKinds = List.copyOf(kinds);
        this.limits = lims.stream().mapToLong(Long::longValue).toArray();

        boolean peakRam = constraints.ramLimitBytes().isPresent() && constraints.ramMode() == AllocationConstraints.RamMode.PEAK;
        this.widths = new int[count][];
        long minBits = 0;
        for (int i = 0; i < count; i++) {
            LayerCandidate l = layers.get(i);
            List<Integer> allowed = new ArrayList<>();
            for (int w : l.allowedWidths()) {
                for (CostKind kind : limitedKinds) {
                    requireCost(l, kind, w);
                }
                if (peakRam) {
                    long ram = requireCost(l, CostKind.RAM_BYTES, w);
                    if (ram > constraints.ramLimitBytes().getAsLong()) {
                        continue;
                    }
                }
                allowed.add(w);
            }
            if (allowed.isEmpty()) {
                throw new InfeasibleAllocationException("layer '" + l.name() + "' fits the peak RAM limit of "
                        + constraints.ramLimitBytes().getAsLong() + " bytes at none of its allowed widths " + l.allowedWidths()
                        + " (" + constraints + ")", constraints.budgetBits(), Double.NaN);
            }
            widths[i] = allowed.stream().mapToInt(Integer::intValue).toArray();
            minBits += l.paramCount() * widths[i][0];
        }
        this.minTotalBits = minBits;
    }

    /** Validates and normalizes; throws {@link InfeasibleAllocationException} if no allocation can exist. */
    static AllocationProblem of(List<LayerCandidate> layers, AllocationConstraints constraints) {
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(constraints, "constraints");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers to allocate");
        }
        Set<String> names = new HashSet<>();
        for (LayerCandidate l : layers) {
            Objects.requireNonNull(l, "layer");
            if (!names.add(l.name())) {
                throw new IllegalArgumentException("duplicate layer name '" + l.name() + "'");
            }
        }
        AllocationProblem p = new AllocationProblem(layers, constraints);
        p.checkBudgetFeasible();
        p.checkLimitsIndividuallyFeasible();
        return p;
    }

    private static long requireCost(LayerCandidate l, CostKind kind, int bits) {
        OptionalLong c = l.cost(kind, bits);
        if (c.isEmpty()) {
            throw new IllegalArgumentException("layer '" + l.name() + "' has no " + kind.label() + " cost for allowed width " + bits
                    + ", but the constraints limit " + kind.label());
        }
        return c.getAsLong();
    }

    int size() {
        return layers.size();
    }

    long params(int layer) {
        return layers.get(layer).paramCount();
    }

    double term(int layer, int bits) {
        return layers.get(layer).objectiveTerm(bits);
    }

    /** The cost of the k-th limited kind at a width (present: checked in the constructor). */
    long limitedCost(int layer, int k, int bits) {
        return layers.get(layer).cost(limitedKinds.get(k), bits).getAsLong();
    }

    double minimumAverageBits() {
        return (double) minTotalBits / totalParams;
    }

    private void checkBudgetFeasible() {
        if (minTotalBits > bitCapacity) {
            StringBuilder forced = new StringBuilder();
            for (LayerCandidate l : layers) {
                if (l.isForcedFloat()) {
                    forced.append(forced.length() == 0 ? "" : ", ").append(l.name()).append(" (").append(l.forcedReason().get()).append(")");
                }
            }
            throw new InfeasibleAllocationException("average-bit budget " + constraints.budgetBits() + " bits/weight is infeasible: the minimum achievable average is "
                    + minimumAverageBits() + " bits/weight (" + minTotalBits + " bits over " + totalParams + " weights"
                    + (forced.length() > 0 ? "; forced to 32-bit float: " + forced : "") + ")", constraints.budgetBits(), minimumAverageBits());
        }
    }

    private void checkLimitsIndividuallyFeasible() {
        for (int k = 0; k < limitedKinds.size(); k++) {
            long min = 0;
            for (int i = 0; i < size(); i++) {
                long best = Long.MAX_VALUE;
                for (int w : widths[i]) {
                    best = Math.min(best, limitedCost(i, k, w));
                }
                min += best;
            }
            if (min > limits[k]) {
                throw new InfeasibleAllocationException("the " + limitedKinds.get(k).label() + " limit " + limits[k] + " cannot be met: the minimum achievable total is "
                        + min + " (" + constraints + "; the minimum achievable average is " + minimumAverageBits() + " bits/weight)",
                        constraints.budgetBits(), minimumAverageBits());
            }
        }
    }

    /** The exception for budget and limits that hold one by one but not together. */
    InfeasibleAllocationException jointlyInfeasible(String allocator) {
        return new InfeasibleAllocationException(allocator + ": no allocation meets " + constraints + " together; each holds on its own"
                + " (the minimum achievable average is " + minimumAverageBits() + " bits/weight)", constraints.budgetBits(), minimumAverageBits());
    }

    /** Checks a choice exactly in integers: widths allowed, budget and every limit met. */
    boolean isFeasible(int[] bits) {
        long total = 0;
        long[] used = new long[limits.length];
        for (int i = 0; i < size(); i++) {
            boolean ok = false;
            for (int w : widths[i]) {
                ok |= w == bits[i];
            }
            if (!ok) {
                return false;
            }
            total += params(i) * bits[i];
            for (int k = 0; k < limits.length; k++) {
                used[k] += limitedCost(i, k, bits[i]);
            }
        }
        if (total > bitCapacity) {
            return false;
        }
        for (int k = 0; k < limits.length; k++) {
            if (used[k] > limits[k]) {
                return false;
            }
        }
        return true;
    }

    Allocation toAllocation(String allocator, int[] bits) {
        List<Allocation.LayerAssignment> out = new ArrayList<>(size());
        Map<CostKind, Long> totals = new EnumMap<>(CostKind.class);
        Map<CostKind, Boolean> complete = new EnumMap<>(CostKind.class);
        Long peakRam = null;
        boolean ramComplete = true;
        for (CostKind kind : CostKind.values()) {
            totals.put(kind, 0L);
            complete.put(kind, true);
        }
        for (int i = 0; i < size(); i++) {
            LayerCandidate l = layers.get(i);
            out.add(new Allocation.LayerAssignment(l.name(), l.paramCount(), bits[i], l.objectiveTerm(bits[i]), l.forcedReason().orElse(null)));
            for (CostKind kind : CostKind.values()) {
                OptionalLong c = l.cost(kind, bits[i]);
                if (c.isPresent()) {
                    totals.put(kind, totals.get(kind) + c.getAsLong());
                } else {
                    complete.put(kind, false);
                }
            }
            OptionalLong ram = l.cost(CostKind.RAM_BYTES, bits[i]);
            if (ram.isPresent()) {
                peakRam = peakRam == null ? ram.getAsLong() : Math.max(peakRam, ram.getAsLong());
            } else {
                ramComplete = false;
            }
        }
        for (CostKind kind : CostKind.values()) {
            if (!complete.get(kind)) {
                totals.remove(kind);
            }
        }
        return new Allocation(allocator, out, constraints, totals, ramComplete ? peakRam : null);
    }
}
