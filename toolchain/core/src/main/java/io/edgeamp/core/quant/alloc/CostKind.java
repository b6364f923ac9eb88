package io.edgeamp.core.quant.alloc;

/**
 * Per-width costs a layer may carry, from a board profile's cost table or from measured latency
 * tables. All are non-negative integers.
 */
public enum CostKind {
    /** Bytes of flash the layer's weights and code take at a width. */
    FLASH_BYTES("flash bytes"),
    /** Bytes of RAM the layer needs while it runs at a width (buffers, scratch). */
    RAM_BYTES("RAM bytes"),
    /** Latency of the layer at a width, in cycles (or instruction-based counts under QEMU). */
    LATENCY_CYCLES("latency cycles");

    private final String label;

    CostKind(String label) {
        this.label = label;
    }

    /** A human-readable label for messages. */
    public String label() {
        return label;
    }
}
