package io.edgeamp.core.quant.alloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of an allocator: one width per layer (in the input order) plus what follows from it.
 * Immutable. The objective is always sum(lambda_l * ||W_l - Q_{b_l}(W_l)||^2) with the measured errors,
 * whichever allocator produced it, so allocations of different allocators can be compared.
 */
public final class Allocation {

    /** One layer's outcome. */
    public static final class LayerAssignment {
        private final String name;
        private final long paramCount;
        private final int bits;
        private final double objectiveTerm;
        private final String forcedReason;

        LayerAssignment(String name, long paramCount, int bits, double objectiveTerm, String forcedReason) {
            this.name = name;
            this.paramCount = paramCount;
            this.bits = bits;
            this.objectiveTerm = objectiveTerm;
            this.forcedReason = forcedReason;
        }

        public String name() {
            return name;
        }

        public long paramCount() {
            return paramCount;
        }

        public int bits() {
            return bits;
        }

        /** True when the layer runs on the NPU (2, 4 or 8 bits), false for 32-bit float on the CPU. */
        public boolean onNpu() {
            return BitWidths.isNpu(bits);
        }

        /** lambda * error at the chosen width. */
        public double objectiveTerm() {
            return objectiveTerm;
        }

        /** Why the layer was forced to 32-bit float, if it was. */
        public Optional<String> forcedReason() {
            return Optional.ofNullable(forcedReason);
        }

        @Override
        public String toString() {
            return name + "=" + bits + (forcedReason != null ? " (forced: " + forcedReason + ")" : "");
        }
    }

    private final String allocator;
    private final List<LayerAssignment> layers;
    private final long totalParams;
    private final long totalBits;
    private final double objective;
    private final AllocationConstraints constraints;
    private final Map<CostKind, Long> totals;
    private final Long peakRamBytes;

    Allocation(String allocator, List<LayerAssignment> layers, AllocationConstraints constraints, Map<CostKind, Long> totals, Long peakRamBytes) {
        this.allocator = allocator;
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
        long n = 0;
        long bits = 0;
        double obj = 0;
        for (LayerAssignment a : layers) {
            n += a.paramCount;
            bits += a.paramCount * a.bits;
            obj += a.objectiveTerm;
        }
        this.totalParams = n;
        this.totalBits = bits;
        this.objective = obj;
        this.constraints = constraints;
        this.totals = Collections.unmodifiableMap(new EnumMap<>(totals.isEmpty() ? new EnumMap<>(CostKind.class) : totals));
        this.peakRamBytes = peakRamBytes;
    }

    /** The allocator that produced this allocation (its {@link BitAllocator#name()}). */
    public String allocator() {
        return allocator;
    }

    /** Per-layer outcome, in the order the layers were given. */
    public List<LayerAssignment> layers() {
        return layers;
    }

    /** Layer name to width, in input order. */
    public Map<String, Integer> widths() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (LayerAssignment a : layers) {
            m.put(a.name, a.bits);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The width of one layer. */
    public int bits(String layerName) {
        for (LayerAssignment a : layers) {
            if (a.name.equals(layerName)) {
                return a.bits;
            }
        }
        throw new IllegalArgumentException("no layer named '" + layerName + "' in this allocation");
    }

    /** Layer name to reason, for every layer forced to 32-bit float. */
    public Map<String, String> forcedReasons() {
        Map<String, String> m = new LinkedHashMap<>();
        for (LayerAssignment a : layers) {
            if (a.forcedReason != null) {
                m.put(a.name, a.forcedReason);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public long totalParams() {
        return totalParams;
    }

    /** sum(n_l * b_l). */
    public long totalBits() {
        return totalBits;
    }

    /** sum(n_l * b_l) / sum(n_l). */
    public double averageBits() {
        return (double) totalBits / totalParams;
    }

    /** sum(lambda_l * err_l(b_l)) with the measured errors (0 at 32 bits). */
    public double objective() {
        return objective;
    }

    /** The constraints the allocation was made for. */
    public AllocationConstraints constraints() {
        return constraints;
    }

    /** The requested average-bit budget. */
    public double budgetBits() {
        return constraints.budgetBits();
    }

    /**
     * The total of a cost kind over all layers at their chosen widths; empty unless every layer's cost
     * table has that kind at its chosen width.
     */
    public OptionalLong totalCost(CostKind kind) {
        Long v = totals.get(kind);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** The largest single-layer RAM cost at the chosen widths; empty unless every layer has RAM costs. */
    public OptionalLong peakRamBytes() {
        return peakRamBytes == null ? OptionalLong.empty() : OptionalLong.of(peakRamBytes);
    }

    /** Whether the total bits fit the budget exactly: sum(n_l b_l) &lt;= floor(budget * sum(n_l)). */
    public boolean withinBudget() {
        return totalBits <= constraints.maxTotalBits(totalParams);
    }

    /**
     * Whether this allocation meets the budget and every limit of its constraints. Allocators throw
     * {@link InfeasibleAllocationException} rather than return an infeasible allocation, so this is true
     * for every allocation they return; it is recomputed from the totals, not stored.
     */
    public boolean feasible() {
        if (!withinBudget()) {
            return false;
        }
        for (CostKind kind : CostKind.values()) {
            OptionalLong limit = constraints.additiveLimit(kind);
            if (limit.isPresent() && (totals.get(kind) == null || totals.get(kind) > limit.getAsLong())) {
                return false;
            }
        }
        if (constraints.ramLimitBytes().isPresent() && constraints.ramMode() == AllocationConstraints.RamMode.PEAK) {
            return peakRamBytes != null && peakRamBytes <= constraints.ramLimitBytes().getAsLong();
        }
        return true;
    }

    @Override
    public String toString() {
        return "Allocation{" + allocator + ", avg=" + averageBits() + " (" + constraints + "), objective=" + objective + ", " + layers + "}";
    }
}
