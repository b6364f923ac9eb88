package io.edgeamp.core.quant.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The ILP against the exact DP, and both against the greedies, on seeded random instances. */
class IlpVersusDpTest {

    private static final BitAllocator ILP = Allocators.byName("ilp");
    private static final BitAllocator DP = Allocators.byName("dp");
    private static final BitAllocator TI = Allocators.byName("greedy-ti");
    private static final BitAllocator OMEGA = Allocators.byName("greedy-omega");

    /** Relative slack for objectives of equally good allocations summed in different orders. */
    private static final double REL = 1e-12;

    private static boolean notWorse(double a, double b) {
        return a <= b + REL * Math.abs(b) + 1e-300;
    }

    private static void checkValid(RandomInstances.Instance in, Allocation a) {
        assertTrue(a.feasible(), () -> a.allocator() + " infeasible: " + a + " for " + in);
        for (int i = 0; i < in.layers.size(); i++) {
            LayerCandidate l = in.layers.get(i);
            Allocation.LayerAssignment got = a.layers().get(i);
            assertEquals(l.name(), got.name());
            assertTrue(l.allows(got.bits()), () -> a.allocator() + " chose a disallowed width for " + l);
            assertEquals(l.forcedReason(), got.forcedReason());
        }
    }

    private static int compare(Random rnd, int maxLayers, boolean limits, int instances) {
        int solved = 0;
        int infeasible = 0;
        for (int t = 0; t < instances; t++) {
            RandomInstances.Instance in = RandomInstances.generate(rnd, maxLayers, limits);
            Allocation dp;
            try {
                dp = DP.allocate(in.layers, in.constraints);
            } catch (InfeasibleAllocationException e) {
                // Budget and limits each hold but not together: the ILP must agree.
                assertThrows(InfeasibleAllocationException.class, () -> ILP.allocate(in.layers, in.constraints), in::toString);
                infeasible++;
                continue;
            }
            Allocation ilp = ILP.allocate(in.layers, in.constraints);
            checkValid(in, dp);
            checkValid(in, ilp);
            assertTrue(notWorse(ilp.objective(), dp.objective()) && notWorse(dp.objective(), ilp.objective()),
                    () -> "ilp " + ilp + " vs dp " + dp + " for " + in);
            for (BitAllocator greedy : List.of(TI, OMEGA)) {
                Allocation g;
                try {
                    g = greedy.allocate(in.layers, in.constraints);
                } catch (InfeasibleAllocationException e) {
                    assertTrue(limits, "greedy may only give up when limits are set");
                    continue;
                }
                checkValid(in, g);
                assertTrue(notWorse(ilp.objective(), g.objective()), () -> "ilp worse than " + g + " for " + in);
            }
            solved++;
        }
        assertTrue(infeasible < instances / 4, "too many jointly infeasible instances: " + infeasible);
        System.out.printf("ilp vs dp: %d solved, %d jointly infeasible (limits=%s)%n", solved, infeasible, limits);
        return solved;
    }

    @Test
    void ilpEqualsTheDpOptimumOnBudgetOnlyInstances() {
        int solved = compare(new Random(7_000_001L), 12, false, 160);
        assertEquals(160, solved);
    }

    @Test
    void ilpEqualsTheDpOptimumWithFlashLatencyAndRamLimits() {
        int solved = compare(new Random(7_000_002L), 8, true, 100);
        assertTrue(solved >= 75, "solved " + solved);
    }

    /** The DP itself against exhaustive enumeration on small instances, with limits. */
    @Test
    void dpEqualsBruteForce() {
        Random rnd = new Random(7_000_003L);
        for (int t = 0; t < 150; t++) {
            RandomInstances.Instance in = RandomInstances.generate(rnd, 6, rnd.nextBoolean());
            AllocationProblem p = AllocationProblem.of(in.layers, in.constraints);
            int count = p.size();
            int[] idx = new int[count];
            int[] bits = new int[count];
            double best = Double.POSITIVE_INFINITY;
            while (true) {
                for (int i = 0; i < count; i++) {
                    bits[i] = p.widths[i][idx[i]];
                }
                if (p.isFeasible(bits)) {
                    best = Math.min(best, p.toAllocation("brute", bits).objective());
                }
                int i = 0;
                while (i < count && ++idx[i] == p.widths[i].length) {
                    idx[i++] = 0;
                }
                if (i == count) {
                    break;
                }
            }
            if (best == Double.POSITIVE_INFINITY) {
                assertThrows(InfeasibleAllocationException.class, () -> DP.allocate(in.layers, in.constraints));
                continue;
            }
            Allocation dp = DP.allocate(in.layers, in.constraints);
            checkValid(in, dp);
            double b = best;
            assertTrue(notWorse(dp.objective(), b) && notWorse(b, dp.objective()), () -> "dp " + dp + " vs brute force " + b + " for " + in);
        }
    }

    @Test
    void dpRefusesBeyondItsStateCap() {
        RandomInstances.Instance in = RandomInstances.generate(new Random(5), 12, false);
        try {
            new DpAllocator(3).allocate(in.layers, in.constraints);
            fail("a cap of 3 states cannot hold a 2+ layer problem");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("ilp"), e.getMessage());
        } catch (InfeasibleAllocationException e) {
            fail("budget is feasible by construction: " + e.getMessage());
        }
    }
}
