package io.edgeamp.core.quant.alloc;

import java.util.List;
import java.util.Locale;

/** Looks allocators up by name: {@code greedy-ti} (the default), {@code greedy-omega}, {@code ilp}, {@code dp}. */
public final class Allocators {

    /** Every valid name, the default first. */
    public static final List<String> NAMES = List.of(GreedyAllocator.TI_NAME, GreedyAllocator.OMEGA_NAME, IlpAllocator.NAME, DpAllocator.NAME);

    /** The default allocator's name. */
    public static final String DEFAULT_NAME = GreedyAllocator.TI_NAME;

    private Allocators() {
    }

    /**
     * The allocator with this name (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the valid names
     */
    public static BitAllocator byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case GreedyAllocator.TI_NAME:
                return GreedyAllocator.tensorlab();
            case GreedyAllocator.OMEGA_NAME:
                return GreedyAllocator.omega();
            case IlpAllocator.NAME:
                return new IlpAllocator();
            case DpAllocator.NAME:
                return new DpAllocator();
            default:
                throw new IllegalArgumentException("unknown bit-width allocator '" + name + "'; valid names: " + String.join(", ", NAMES));
        }
    }

    /** The default allocator, {@code greedy-ti}. */
    public static BitAllocator defaultAllocator() {
        return byName(DEFAULT_NAME);
    }
}
