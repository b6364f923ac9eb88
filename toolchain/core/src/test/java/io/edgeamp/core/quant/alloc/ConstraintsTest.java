package io.edgeamp.core.quant.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Forced layers, disallowed widths, budget boundaries, limits and infeasible requests, for every allocator. */
class ConstraintsTest {

    private static List<BitAllocator> all() {
        List<BitAllocator> list = new ArrayList<>();
        for (String name : Allocators.NAMES) {
            list.add(Allocators.byName(name));
        }
        return list;
    }

    private static LayerCandidate plain(String name, long n, double lambda) {
        return LayerCandidate.builder(name, n, lambda).errors(n / 16.0, n / 256.0, n / 65536.0).build();
    }

    @Test
    void forcedFloatLayersKeep32AndCarryTheirReason() {
        List<LayerCandidate> layers = List.of(
                plain("conv1", 400, 5),
                LayerCandidate.builder("softmax_proj", 100, 0.001).forceFloat("Softmax has no NPU kernel").build(),
                plain("fc", 500, 50));
        // Minimum average: (400*2 + 100*32 + 500*2) / 1000 = 5.0.
        for (double budget : new double[] {5.0, 7.5, 32.0}) {
            for (BitAllocator alloc : all()) {
                Allocation a = alloc.allocate(layers, budget);
                assertEquals(32, a.bits("softmax_proj"), alloc.name());
                assertEquals(Map.of("softmax_proj", "Softmax has no NPU kernel"), a.forcedReasons(), alloc.name());
                assertEquals("Softmax has no NPU kernel", a.layers().get(1).forcedReason().orElseThrow());
                assertFalse(a.layers().get(1).onNpu());
                assertTrue(a.layers().get(0).forcedReason().isEmpty());
                assertTrue(a.feasible());
            }
        }
    }

    @Test
    void disallowedWidthsAreNeverChosen() {
        Random rnd = new Random(99);
        for (int t = 0; t < 40; t++) {
            List<LayerCandidate> layers = new ArrayList<>();
            int count = 2 + rnd.nextInt(6);
            for (int i = 0; i < count; i++) {
                long n = 10 + rnd.nextInt(5000);
                // A board whose NPU has only 4-bit, plus float: widths {4, 32}; some layers also lack 32.
                LayerCandidate.Builder b = LayerCandidate.builder("l" + i, n, Math.pow(10, -2 + 4 * rnd.nextDouble()))
                        .allowedWidths(4, 32).error(4, n * 0.01 * rnd.nextDouble());
                if (rnd.nextInt(3) == 0) {
                    b.disallow(32);
                }
                layers.add(b.build());
            }
            double budget = 4 + 28 * rnd.nextDouble();
            for (BitAllocator alloc : all()) {
                Allocation a = alloc.allocate(layers, budget);
                for (int i = 0; i < count; i++) {
                    int bits = a.layers().get(i).bits();
                    assertTrue(layers.get(i).allows(bits), alloc.name() + " chose " + bits + " for " + layers.get(i));
                }
            }
        }
    }

    @Test
    void budgetExactlyAtTheMinimumGivesTheMinimumAllocation() {
        List<LayerCandidate> layers = List.of(
                plain("a", 123, 10),
                LayerCandidate.builder("b", 77, 1).allowedWidths(4, 8).error(4, 1).error(8, 0.1).build(),
                LayerCandidate.builder("c", 50, 1).forceFloat("unsupported op").build());
        // (123*2 + 77*4 + 50*32) / 250 = 2154 / 250 = 8.616 exactly.
        for (BitAllocator alloc : all()) {
            Allocation a = alloc.allocate(layers, 8.616);
            assertEquals(Map.of("a", 2, "b", 4, "c", 32), a.widths(), alloc.name());
            assertEquals(2154, a.totalBits());
            assertEquals(8.616, a.averageBits(), 0.0);
            InfeasibleAllocationException e = assertThrows(InfeasibleAllocationException.class, () -> alloc.allocate(layers, 8.615), alloc.name());
            assertEquals(8.616, e.minimumAverageBits(), 1e-12);
        }
    }

    /**
     * a (n=15, lambda=100), b (n=85, lambda=1): all-2 is 200 bits; a at 4 is exactly 230 bits = 2.3 average,
     * b at 4 is 370. A budget of 2.3 is read as the decimal 2.3, so 230 bits fit (2.3 * 100 in binary
     * floating point is 229.99999999999997 and would not) and a goes to 4; at 2.29 it cannot.
     */
    @Test
    void decimalBudgetOnTheBoundaryIsInclusive() {
        List<LayerCandidate> layers = List.of(plain("a", 15, 100), plain("b", 85, 1));
        for (BitAllocator alloc : all()) {
            Allocation on = alloc.allocate(layers, 2.3);
            assertEquals(Map.of("a", 4, "b", 2), on.widths(), alloc.name());
            assertEquals(230, on.totalBits());
            assertTrue(on.withinBudget());
            Allocation below = alloc.allocate(layers, 2.29);
            assertEquals(Map.of("a", 2, "b", 2), below.widths(), alloc.name());
        }
    }

    @Test
    void infeasibleBudgetNamesTheBudgetAndTheMinimum() {
        List<LayerCandidate> layers = List.of(
                plain("a", 100, 1),
                LayerCandidate.builder("head", 100, 1).forceFloat("board NPU lacks Gemm with this shape").build());
        for (BitAllocator alloc : all()) {
            InfeasibleAllocationException e = assertThrows(InfeasibleAllocationException.class, () -> alloc.allocate(layers, 4.0));
            assertEquals(4.0, e.budgetBits());
            assertEquals(17.0, e.minimumAverageBits(), 1e-12);
            assertTrue(e.getMessage().contains("4.0") && e.getMessage().contains("17.0"), e.getMessage());
            assertTrue(e.getMessage().contains("head (board NPU lacks Gemm with this shape)"), e.getMessage());
        }
    }

    private static LayerCandidate costed(String name, long n, double lambda, long[] flash, long[] latency) {
        LayerCandidate.Builder b = LayerCandidate.builder(name, n, lambda).errors(n / 16.0, n / 256.0, n / 65536.0);
        int[] w = {2, 4, 8, 32};
        for (int j = 0; j < 4; j++) {
            b.cost(CostKind.FLASH_BYTES, w[j], flash[j]).cost(CostKind.LATENCY_CYCLES, w[j], latency[j]);
        }
        return b.build();
    }

    /**
     * Flash = n*b/8 bytes: A and B (n=100) take 25/50/100/400 bytes at 2/4/8/32; lambda_A=100, lambda_B=1;
     * budget 8.0 (capacity 1600 bits), flash limit 100 bytes (start: 50).
     * greedy-ti: A 2-&gt;4 (+25 B, 75). Then A 4-&gt;8 (+50 -&gt; 125 &gt; 100) is skipped; B 2-&gt;4 (+25 -&gt; 100) fits.
     * Then nothing fits: A=4, B=4, flash 100. (Without the limit: A=8, B=8.)
     * The exact allocators agree here: with 100 bytes the only alternative to (4,4) is A=8, B=2 at 125 bytes.
     */
    @Test
    void flashLimitIsRespected() {
        long[] flash = {25, 50, 100, 400};
        long[] latency = {0, 0, 0, 0};
        List<LayerCandidate> layers = List.of(costed("A", 100, 100, flash, latency), costed("B", 100, 1, flash, latency));
        AllocationConstraints c = AllocationConstraints.budget(8.0).withFlashLimit(100);
        for (BitAllocator alloc : all()) {
            Allocation a = alloc.allocate(layers, c);
            assertEquals(Map.of("A", 4, "B", 4), a.widths(), alloc.name());
            assertEquals(100, a.totalCost(CostKind.FLASH_BYTES).getAsLong());
            assertTrue(a.feasible());
        }
        assertEquals(Map.of("A", 8, "B", 8), Allocators.byName("greedy-ti").allocate(layers, 8.0).widths());
        InfeasibleAllocationException e = assertThrows(InfeasibleAllocationException.class,
                () -> Allocators.byName("ilp").allocate(layers, AllocationConstraints.budget(8.0).withFlashLimit(49)));
        assertTrue(e.getMessage().contains("flash bytes limit 49") && e.getMessage().contains("50"), e.getMessage());
    }

    /**
     * Latency is lowest at 8 bits (1000/500/200/5000 cycles at 2/4/8/32): a budget of 4.0 allows at most 4 bits,
     * a latency limit of 300 needs 8. Each holds on its own, not together: the exact allocators say so, and
     * the greedies refuse because their all-2-bit start already breaks the limit.
     */
    @Test
    void budgetAndLatencyTogetherInfeasible() {
        List<LayerCandidate> layers = List.of(costed("A", 100, 1, new long[] {25, 50, 100, 400}, new long[] {1000, 500, 200, 5000}));
        AllocationConstraints c = AllocationConstraints.budget(4.0).withLatencyLimit(300);
        for (BitAllocator alloc : all()) {
            InfeasibleAllocationException e = assertThrows(InfeasibleAllocationException.class, () -> alloc.allocate(layers, c), alloc.name());
            assertTrue(e.getMessage().contains("latency"), e.getMessage());
            assertEquals(2.0, e.minimumAverageBits(), 0.0);
        }
        // With budget 8 the exact allocators find A=8 (200 cycles).
        for (String name : List.of("ilp", "dp")) {
            Allocation a = Allocators.byName(name).allocate(layers, AllocationConstraints.budget(8.0).withLatencyLimit(300));
            assertEquals(8, a.bits("A"));
            assertEquals(200, a.totalCost(CostKind.LATENCY_CYCLES).getAsLong());
        }
    }

    /** A peak-RAM limit removes the widths whose RAM exceeds it, even with budget to spare. */
    @Test
    void peakRamLimitRemovesWidths() {
        LayerCandidate.Builder b = LayerCandidate.builder("conv", 1000, 10).errors(10, 1, 0.1);
        long[] ram = {1000, 1200, 1600, 5000};
        int[] w = {2, 4, 8, 32};
        for (int j = 0; j < 4; j++) {
            b.cost(CostKind.RAM_BYTES, w[j], ram[j]);
        }
        LayerCandidate.Builder fc = LayerCandidate.builder("fc", 100, 1).errors(1, 0.1, 0.01);
        for (int width : w) {
            fc.cost(CostKind.RAM_BYTES, width, 100);
        }
        List<LayerCandidate> layers = List.of(b.build(), fc.build());
        AllocationConstraints c = AllocationConstraints.budget(32.0).withRamLimit(2048, AllocationConstraints.RamMode.PEAK);
        for (BitAllocator alloc : all()) {
            Allocation a = alloc.allocate(layers, c);
            assertEquals(8, a.bits("conv"), alloc.name());
            assertEquals(32, a.bits("fc"), alloc.name());
            assertEquals(1600, a.peakRamBytes().getAsLong());
            assertEquals(1700, a.totalCost(CostKind.RAM_BYTES).getAsLong());
        }
        AllocationConstraints tooSmall = AllocationConstraints.budget(32.0).withRamLimit(999, AllocationConstraints.RamMode.PEAK);
        InfeasibleAllocationException e = assertThrows(InfeasibleAllocationException.class, () -> Allocators.byName("dp").allocate(layers, tooSmall));
        assertTrue(e.getMessage().contains("conv"), e.getMessage());
    }

    @Test
    void aLimitNeedsCostsForEveryAllowedWidth() {
        List<LayerCandidate> layers = List.of(plain("a", 10, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Allocators.byName("ilp").allocate(layers, AllocationConstraints.budget(4).withFlashLimit(1000)));
        assertTrue(e.getMessage().contains("flash bytes") && e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void invalidLayersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LayerCandidate.builder("x", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> LayerCandidate.builder("x", 10, 0));
        assertThrows(IllegalArgumentException.class, () -> LayerCandidate.builder("x", 10, Double.NaN));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> LayerCandidate.builder("x", 10, 1).error(2, 1).error(4, 0.5).build());
        assertTrue(missing.getMessage().contains("8"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerCandidate.builder("x", 10, 1).allowedWidths(3));
        assertThrows(IllegalArgumentException.class, () -> LayerCandidate.builder("x", 10, 1).error(32, 0));
        assertThrows(IllegalArgumentException.class, () -> Allocators.byName("dp").allocate(List.of(plain("a", 1, 1), plain("a", 2, 1)), 8));
        assertThrows(IllegalArgumentException.class, () -> AllocationConstraints.budget(0));
        // A forced layer needs no errors at all.
        assertEquals(List.of(32), LayerCandidate.builder("x", 10, 1).forceFloat("why").build().allowedWidths());
    }
}
