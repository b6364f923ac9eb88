package io.edgeamp.core.quant.alloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One quantizable layer as the allocators see it: immutable, validated on construction.
 *
 * <ul>
 *   <li>{@code paramCount} n &gt; 0, the number of weights the budget is weighted by;</li>
 *   <li>{@code sensitivity} lambda &gt; 0 (top Hessian eigenvalue or Hutchinson trace);</li>
 *   <li>{@code error(b)} = ||W - Q_b(W)||^2 measured on the real weights for every allowed NPU width b;
 *       {@code error(32)} is 0;</li>
 *   <li>the allowed widths, a non-empty subset of {2, 4, 8, 32}; a layer the NPU cannot run is forced to
 *       {32} with a reason that every {@link Allocation} carries;</li>
 *   <li>optional per-width costs ({@link CostKind}); only needed when a matching limit is set.</li>
 * </ul>
 */
public final class LayerCandidate {

    private final String name;
    private final long paramCount;
    private final double sensitivity;
    private final Map<Integer, Double> errors;
    private final List<Integer> allowedWidths;
    private final String forcedReason;
    private final Map<CostKind, Map<Integer, Long>> costs;

    private LayerCandidate(Builder b) {
        this.name = b.name;
        this.paramCount = b.paramCount;
        this.sensitivity = b.sensitivity;
        this.forcedReason = b.forcedReason;
        List<Integer> allowed = b.forcedReason != null ? List.of(BitWidths.FLOAT) : List.copyOf(new TreeSet<>(b.allowed));
        this.allowedWidths = allowed;
        Map<Integer, Double> errs = new TreeMap<>();
        for (int w : allowed) {
            if (w == BitWidths.FLOAT) {
                errs.put(w, 0.0);
            } else {
                Double e = b.errors.get(w);
                if (e == null) {
                    throw new IllegalArgumentException("layer '" + name + "': no quantization error given for allowed width " + w);
                }
                errs.put(w, e);
            }
        }
        this.errors = Collections.unmodifiableMap(errs);
        Map<CostKind, Map<Integer, Long>> c = new EnumMap<>(CostKind.class);
        for (Map.Entry<CostKind, Map<Integer, Long>> e : b.costs.entrySet()) {
            c.put(e.getKey(), Collections.unmodifiableMap(new TreeMap<>(e.getValue())));
        }
        this.costs = Collections.unmodifiableMap(c);
    }

    /** Starts a layer with all four widths allowed. */
    public static Builder builder(String name, long paramCount, double sensitivity) {
        return new Builder(name, paramCount, sensitivity);
    }

    public String name() {
        return name;
    }

    public long paramCount() {
        return paramCount;
    }

    public double sensitivity() {
        return sensitivity;
    }

    /** The widths this layer may take, ascending (after forcing and board restrictions). */
    public List<Integer> allowedWidths() {
        return allowedWidths;
    }

    public boolean allows(int bits) {
        return allowedWidths.contains(bits);
    }

    /** The lowest allowed width. */
    public int minWidth() {
        return allowedWidths.get(0);
    }

    /** The measured quantization error at an allowed width (0 for 32); empty if the width is not allowed. */
    public OptionalDouble error(int bits) {
        Double e = errors.get(bits);
        return e == null ? OptionalDouble.empty() : OptionalDouble.of(e);
    }

    /** lambda * error(b): this layer's term of the objective at an allowed width. */
    public double objectiveTerm(int bits) {
        Double e = errors.get(bits);
        if (e == null) {
            throw new IllegalArgumentException("layer '" + name + "' does not allow width " + bits);
        }
        return sensitivity * e;
    }

    /** The reason this layer is forced to 32-bit float, if it is. */
    public Optional<String> forcedReason() {
        return Optional.ofNullable(forcedReason);
    }

    public boolean isForcedFloat() {
        return forcedReason != null;
    }

    /** The cost of one kind at a width, if the cost table gave it. */
    public OptionalLong cost(CostKind kind, int bits) {
        Map<Integer, Long> m = costs.get(kind);
        Long v = m == null ? null : m.get(bits);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public String toString() {
        return "LayerCandidate{" + name + ", n=" + paramCount + ", lambda=" + sensitivity + ", widths=" + allowedWidths
                + ", errors=" + errors + (forcedReason != null ? ", forced: " + forcedReason : "") + "}";
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LayerCandidate)) {
            return false;
        }
        LayerCandidate other = (LayerCandidate) o;
        return paramCount == other.paramCount && Double.compare(sensitivity, other.sensitivity) == 0 && name.equals(other.name)
                && errors.equals(other.errors) && allowedWidths.equals(other.allowedWidths)
                && Objects.equals(forcedReason, other.forcedReason) && costs.equals(other.costs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, paramCount, sensitivity, errors, allowedWidths, forcedReason, costs);
    }

    /** Builds a {@link LayerCandidate}; {@link #build()} validates everything. */
    public static final class Builder {
        private final String name;
        private final long paramCount;
        private final double sensitivity;
        private final Map<Integer, Double> errors = new TreeMap<>();
        private final TreeSet<Integer> allowed = new TreeSet<>(BitWidths.ALL);
        private String forcedReason;
        private final Map<CostKind, Map<Integer, Long>> costs = new EnumMap<>(CostKind.class);

        private Builder(String name, long paramCount, double sensitivity) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("layer name must not be blank");
            }
            if (paramCount <= 0) {
                throw new IllegalArgumentException("layer '" + name + "': parameter count must be positive, got " + paramCount);
            }
            if (!(sensitivity > 0) || !Double.isFinite(sensitivity)) {
                throw new IllegalArgumentException("layer '" + name + "': sensitivity must be finite and > 0, got " + sensitivity);
            }
            this.name = name;
            this.paramCount = paramCount;
            this.sensitivity = sensitivity;
        }

        /** The measured ||W - Q_b(W)||^2 at an NPU width b in {2, 4, 8}. */
        public Builder error(int bits, double error) {
            if (!BitWidths.isNpu(bits)) {
                throw new IllegalArgumentException("layer '" + name + "': errors are given for 2, 4 and 8 bits only (32 is 0), got " + bits);
            }
            if (!(error >= 0) || !Double.isFinite(error)) {
                throw new IllegalArgumentException("layer '" + name + "': error at " + bits + " bits must be finite and >= 0, got " + error);
            }
            errors.put(bits, error);
            return this;
        }

        /** The measured errors at 2, 4 and 8 bits. */
        public Builder errors(double e2, double e4, double e8) {
            return error(2, e2).error(4, e4).error(8, e8);
        }

        /** Replaces the allowed widths (a non-empty subset of {2, 4, 8, 32}). */
        public Builder allowedWidths(int... widths) {
            List<Integer> list = new ArrayList<>();
            for (int w : widths) {
                list.add(w);
            }
            return allowedWidths(list);
        }

        /** Replaces the allowed widths (a non-empty subset of {2, 4, 8, 32}). */
        public Builder allowedWidths(Iterable<Integer> widths) {
            TreeSet<Integer> set = new TreeSet<>();
            for (int w : widths) {
                BitWidths.requireValid(w);
                set.add(w);
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("layer '" + name + "': the set of allowed widths is empty");
            }
            allowed.clear();
            allowed.addAll(set);
            return this;
        }

        /** Removes one width from the allowed set (e.g. a board whose NPU has no 2-bit mode). */
        public Builder disallow(int bits) {
            BitWidths.requireValid(bits);
            allowed.remove(bits);
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("layer '" + name + "': no allowed width left after disallowing " + bits);
            }
            return this;
        }

        /** Forces this layer to 32-bit float on the CPU, for a reason carried into every allocation. */
        public Builder forceFloat(String reason) {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("layer '" + name + "': a forced-float layer needs a reason");
            }
            this.forcedReason = reason;
            return this;
        }

        /** One per-width cost. */
        public Builder cost(CostKind kind, int bits, long value) {
            Objects.requireNonNull(kind, "kind");
            BitWidths.requireValid(bits);
            if (value < 0) {
                throw new IllegalArgumentException("layer '" + name + "': " + kind.label() + " at " + bits + " bits must be >= 0, got " + value);
            }
            costs.computeIfAbsent(kind, k -> new TreeMap<>()).put(bits, value);
            return this;
        }

        public LayerCandidate build() {
            return new LayerCandidate(this);
        }
    }
}
