package io.edgeamp.core.quant.alloc;

import java.util.List;

/** Chooses one bit width per layer under an average-bit budget and optional board limits. */
public interface BitAllocator {

    /** The name {@link Allocators#byName(String)} knows this allocator by. */
    String name();

    /**
     * Allocates widths.
     *
     * @throws InfeasibleAllocationException if no allocation satisfies the constraints (or, for the
     *         greedy allocators, if their starting point already breaks a limit)
     * @throws IllegalArgumentException if the layers are invalid together (duplicate names, a limit set
     *         while a layer lacks the matching cost)
     */
    Allocation allocate(List<LayerCandidate> layers, AllocationConstraints constraints);

    /** Allocates under an average-bit budget only. */
    default Allocation allocate(List<LayerCandidate> layers, double budgetBits) {
        return allocate(layers, AllocationConstraints.budget(budgetBits));
    }
}
