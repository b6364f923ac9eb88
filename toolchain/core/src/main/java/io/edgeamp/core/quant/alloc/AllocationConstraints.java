package io.edgeamp.core.quant.alloc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an allocation must satisfy: the average-bit budget sum(n_l b_l) / sum(n_l) &lt;= budget, and
 * optionally a total-flash limit, a RAM limit (peak over layers or total) and a total-latency limit.
 * Immutable; the {@code with...} methods return copies.
 *
 * <p>The budget is read as the decimal it prints as ({@link BigDecimal#valueOf(double)}), so a budget of
 * 5.3 over 10 weights allows exactly 53 bits, not 52 as a binary-floating product would.
 */
public final class AllocationConstraints {

    /** How RAM costs combine against the RAM limit. */
    public enum RamMode {
        /** Layers run one after another: every chosen layer's RAM must fit the limit on its own. */
        PEAK,
        /** The layers' RAM adds up (e.g. persistent per-layer buffers). */
        TOTAL
    }

    private final double budgetBits;
    private final Long flashLimitBytes;
    private final Long ramLimitBytes;
    private final RamMode ramMode;
    private final Long latencyLimitCycles;

    private AllocationConstraints(double budgetBits, Long flash, Long ram, RamMode ramMode, Long latency) {
        if (!Double.isFinite(budgetBits) || !(budgetBits > 0)) {
            throw new IllegalArgumentException("average-bit budget must be finite and > 0, got " + budgetBits);
        }
        this.budgetBits = budgetBits;
        this.flashLimitBytes = requireNonNegative(flash, "flash limit");
        this.ramLimitBytes = requireNonNegative(ram, "RAM limit");
        this.ramMode = Objects.requireNonNull(ramMode, "ramMode");
        this.latencyLimitCycles = requireNonNegative(latency, "latency limit");
    }

    private static Long requireNonNegative(Long v, String what) {
        if (v != null && v < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
        return v;
    }

    /** Only an average-bit budget. */
    public static AllocationConstraints budget(double averageBits) {
        return new AllocationConstraints(averageBits, null, null, RamMode.PEAK, null);
    }

    public AllocationConstraints withFlashLimit(long bytes) {
        return new AllocationConstraints(budgetBits, bytes, ramLimitBytes, ramMode, latencyLimitCycles);
    }

    public AllocationConstraints withRamLimit(long bytes, RamMode mode) {
        return new AllocationConstraints(budgetBits, flashLimitBytes, bytes, mode, latencyLimitCycles);
    }

    public AllocationConstraints withLatencyLimit(long cycles) {
        return new AllocationConstraints(budgetBits, flashLimitBytes, ramLimitBytes, ramMode, cycles);
    }

    public double budgetBits() {
        return budgetBits;
    }

    public OptionalLong flashLimitBytes() {
        return flashLimitBytes == null ? OptionalLong.empty() : OptionalLong.of(flashLimitBytes);
    }

    public OptionalLong ramLimitBytes() {
        return ramLimitBytes == null ? OptionalLong.empty() : OptionalLong.of(ramLimitBytes);
    }

    public RamMode ramMode() {
        return ramMode;
    }

    public OptionalLong latencyLimitCycles() {
        return latencyLimitCycles == null ? OptionalLong.empty() : OptionalLong.of(latencyLimitCycles);
    }

    /** The limit on the sum of a cost kind over layers, if that kind is limited additively. */
    OptionalLong additiveLimit(CostKind kind) {
        switch (kind) {
            case FLASH_BYTES:
                return flashLimitBytes();
            case LATENCY_CYCLES:
                return latencyLimitCycles();
            case RAM_BYTES:
                return ramMode == RamMode.TOTAL ? ramLimitBytes() : OptionalLong.empty();
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * The largest integer total sum(n_l b_l) the budget allows for {@code totalParams} weights:
     * floor(budget * totalParams), computed exactly in decimal.
     */
    public long maxTotalBits(long totalParams) {
        BigDecimal cap = BigDecimal.valueOf(budgetBits).multiply(BigDecimal.valueOf(totalParams)).setScale(0, RoundingMode.FLOOR);
        BigDecimal max = BigDecimal.valueOf(totalParams).multiply(BigDecimal.valueOf(BitWidths.FLOAT));
        return cap.min(max).longValueExact();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("budget ").append(budgetBits).append(" bits/weight");
        if (flashLimitBytes != null) {
            sb.append(", flash <= ").append(flashLimitBytes).append(" B");
        }
        if (ramLimitBytes != null) {
            sb.append(", ").append(ramMode == RamMode.PEAK ? "peak" : "total").append(" RAM <= ").append(ramLimitBytes).append(" B");
        }
        if (latencyLimitCycles != null) {
            sb.append(", latency <= ").append(latencyLimitCycles).append(" cycles");
        }
        return sb.toString();
    }
}
