/**
 * Bit-width allocators: choose a width in {2, 4, 8, 32} per layer so that the parameter-weighted average
 * bits stay within a budget (and optional flash/RAM/latency limits), minimising the sensitivity-weighted
 * quantization error.
 *
 * <p>Input: {@link io.edgeamp.core.quant.alloc.LayerCandidate} per layer and
 * {@link io.edgeamp.core.quant.alloc.AllocationConstraints}. Output:
 * {@link io.edgeamp.core.quant.alloc.Allocation}. Allocators by name through
 * {@link io.edgeamp.core.quant.alloc.Allocators#byName(String)}: {@code greedy-ti} (default, TI Tiny ML
 * Tensorlab compatible), {@code greedy-omega} (greedy on measured errors), {@code ilp} (exact, ojAlgo),
 * {@code dp} (exact dynamic program, the ILP's oracle). Infeasible requests throw
 * {@link io.edgeamp.core.quant.alloc.InfeasibleAllocationException}.
 */
package io.edgeamp.core.quant.alloc;
