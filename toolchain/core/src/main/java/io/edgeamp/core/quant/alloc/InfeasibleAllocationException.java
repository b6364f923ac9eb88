package io.edgeamp.core.quant.alloc;

/**
 * No allocation satisfies the request: the average-bit budget is below the minimum achievable average
 * (all layers at their lowest allowed width, forced layers at 32), or the flash/RAM/latency limits
 * cannot be met (alone or together with the budget). The message names the budget and the minimum
 * achievable average.
 */
public final class InfeasibleAllocationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final double budgetBits;
    private final double minimumAverageBits;

    public InfeasibleAllocationException(String message, double budgetBits, double minimumAverageBits) {
        super(message);
        this.budgetBits = budgetBits;
        this.minimumAverageBits = minimumAverageBits;
    }

    /** The requested average-bit budget. */
    public double budgetBits() {
        return budgetBits;
    }

    /** The lowest average bits per weight any allocation allowed by the layers' widths reaches. */
    public double minimumAverageBits() {
        return minimumAverageBits;
    }
}
