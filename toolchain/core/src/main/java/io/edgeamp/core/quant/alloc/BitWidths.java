package io.edgeamp.core.quant.alloc;

import java.util.List;

/** The bit widths a layer can be given: 2, 4 and 8 run on the NPU, 32 runs as float on the CPU. */
public final class BitWidths {

    /** Every width, ascending. */
    public static final List<Integer> ALL = List.of(2, 4, 8, 32);

    /** The widths the NPU path can run, ascending. */
    public static final List<Integer> NPU = List.of(2, 4, 8);

    /** The float (CPU) width. Its quantization error is zero by definition. */
    public static final int FLOAT = 32;

    private BitWidths() {
    }

    /** True for 2, 4, 8 and 32. */
    public static boolean isValid(int bits) {
        return bits == 2 || bits == 4 || bits == 8 || bits == FLOAT;
    }

    /** True for the NPU widths 2, 4 and 8. */
    public static boolean isNpu(int bits) {
        return bits == 2 || bits == 4 || bits == 8;
    }

    static void requireValid(int bits) {
        if (!isValid(bits)) {
            throw new IllegalArgumentException("bit width " + bits + " is not one of " + ALL);
        }
    }
}
