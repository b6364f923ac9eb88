package io.edgeamp.core.quant.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@code greedy-ti} against TI Tiny ML Tensorlab's {@code greedy_bit_allocation} (auto_quantization.py):
 * hand-computed small cases, and a line-by-line port of the Python on random tables.
 *
 * <p>Per unit of lambda, the ratios lambda*n*(4^-b - 4^-b')/((b'-b)*n) are:
 * 2-&gt;4: (1/16 - 1/256)/2 = 15/512 = 0.029296875; 4-&gt;8: (1/256 - 1/65536)/4 = 255/262144 ~ 9.7275e-4;
 * 8-&gt;32: (4^-8 - 4^-32)/24 ~ 6.3578e-7.
 */
class GreedyTensorlabTest {

    private static final BitAllocator TI = Allocators.byName("greedy-ti");

    private static LayerCandidate layer(String name, long n, double lambda) {
        // Errors only matter for the reported objective here; greedy-ti uses the 4^-b model.
        return LayerCandidate.builder(name, n, lambda).errors(n / 16.0, n / 256.0, n / 65536.0).build();
    }

    /**
     * A (n=100, lambda=100), B (n=300, lambda=4), budget 5.0: N = 400, capacity 2000 bits, start 800.
     * Round 1: A 2-&gt;4 ratio 100*0.0293 = 2.93 beats B 2-&gt;4 4*0.0293 = 0.117; A=4, used 1000.
     * Round 2: A 4-&gt;8 ratio 100*9.73e-4 = 0.0973 (cost 400 fits) loses to B 2-&gt;4 0.117 (cost 600 fits); B=4, used 1600.
     * Round 3: A 4-&gt;8 cost 400 -&gt; 2000 &lt;= 2000 fits (ratio 0.0973); B 4-&gt;8 cost 1200 does not fit; A=8, used 2000.
     * used == capacity ends the loop: A=8, B=4, average exactly 5.0.
     */
    @Test
    void interleavesUpgradesAndEndsExactlyOnTheBudget() {
        Allocation a = TI.allocate(List.of(layer("A", 100, 100), layer("B", 300, 4)), 5.0);
        assertEquals(Map.of("A", 8, "B", 4), a.widths());
        assertEquals(2000, a.totalBits());
        assertEquals(5.0, a.averageBits());
        assertEquals("greedy-ti", a.allocator());
    }

    /**
     * A (n=1000, lambda=1), B (n=10, lambda=0.01), budget 2.5: N = 1010, capacity floor(2525) = 2525, start 2020.
     * A's 2-&gt;4 costs 2000 and never fits, so it is skipped every round while B climbs:
     * B 2-&gt;4 (cost 20, used 2040), B 4-&gt;8 (cost 40, used 2080), B 8-&gt;32 (cost 240, used 2320 &lt;= 2525).
     * Then B has no next level and A does not fit: stop. A=2, B=32 - Tensorlab's levels include 32.
     */
    @Test
    void skipsALayerThatDoesNotFitAndClimbsToFloat() {
        Allocation a = TI.allocate(List.of(layer("A", 1000, 1), layer("B", 10, 0.01)), 2.5);
        assertEquals(Map.of("A", 2, "B", 32), a.widths());
        assertEquals(2320, a.totalBits());
    }

    /**
     * Three equal layers (n=50, lambda=2), budget 3.0: N = 150, capacity 450, start 300. All 2-&gt;4 ratios are
     * equal; Tensorlab's strict {@code ratio > best_ratio} keeps the first layer in order: it goes to 4 (used 400).
     * Next round every upgrade costs at least 100 -&gt; 500 &gt; 450: stop. Reversing the order moves the winner.
     */
    @Test
    void tiesGoToTheFirstLayerInOrder() {
        List<LayerCandidate> layers = List.of(layer("L1", 50, 2), layer("L2", 50, 2), layer("L3", 50, 2));
        assertEquals(Map.of("L1", 4, "L2", 2, "L3", 2), TI.allocate(layers, 3.0).widths());
        List<LayerCandidate> reversed = new ArrayList<>(layers);
        java.util.Collections.reverse(reversed);
        assertEquals(Map.of("L1", 2, "L2", 2, "L3", 4), TI.allocate(reversed, 3.0).widths());
    }

    /**
     * Our choice where Tensorlab is silent: a board without 4-bit makes A's next level 8 (allowed {2, 8, 32}).
     * A (n=10, lambda=1000, widths 2/8/32), B (n=10, lambda=1). Ratio of A 2-&gt;8: 1000*(1/16 - 1/65536)/6
     * = 1000*4095/393216 ~ 10.41; B 2-&gt;4: 0.0293.
     * Budget 5.0 (capacity 100, start 40): A 2-&gt;8 costs 60 -&gt; 100 fits and wins: A=8, used 100, stop. B stays 2.
     * Budget 4.0 (capacity 80): A 2-&gt;8 (-&gt; 100) never fits; B 2-&gt;4 (-&gt; 60), then B 4-&gt;8 (-&gt; 100) does not fit: A=2, B=4.
     */
    @Test
    void nextLevelIsTheNextAllowedWidth() {
        List<LayerCandidate> layers = List.of(
                LayerCandidate.builder("A", 10, 1000).allowedWidths(2, 8, 32).error(2, 1).error(8, 0.01).build(),
                layer("B", 10, 1));
        assertEquals(Map.of("A", 8, "B", 2), TI.allocate(layers, 5.0).widths());
        assertEquals(Map.of("A", 2, "B", 4), TI.allocate(layers, 4.0).widths());
    }

    /** A line-by-line Java port of Tensorlab's greedy_bit_allocation, float budget and all. */
    static Map<String, Integer> tensorlabReference(Map<String, Double> sens, Map<String, Long> params, double target) {
        int[] levels = {2, 4, 8, 32};
        long totalParams = 0;
        for (long p : params.values()) {
            totalParams += p;
        }
        double totalBitBudget = target * totalParams;
        Map<String, Integer> bw = new LinkedHashMap<>();
        for (String name : sens.keySet()) {
            bw.put(name, 2);
        }
        long used = 0;
        for (String l : bw.keySet()) {
            used += 2 * params.get(l);
        }
        while (used < totalBitBudget) {
            String bestLayer = null;
            int bestNew = 0;
            double bestRatio = Double.NEGATIVE_INFINITY;
            for (String l : bw.keySet()) {
                int cur = bw.get(l);
                int next = -1;
                for (int b : levels) {
                    if (b > cur) {
                        next = b;
                        break;
                    }
                }
                if (next < 0) {
                    continue;
                }
                long n = params.get(l);
                long cost = (next - cur) * n;
                if (used + cost > totalBitBudget) {
                    continue;
                }
                double reduction = sens.get(l) * n * (1.0 / Math.pow(4, cur) - 1.0 / Math.pow(4, next));
                double ratio = cost > 0 ? reduction / cost : 0;
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    bestLayer = l;
                    bestNew = next;
                }
            }
            if (bestLayer == null) {
                break;
            }
            used += (bestNew - bw.get(bestLayer)) * params.get(bestLayer);
            bw.put(bestLayer, bestNew);
        }
        return bw;
    }

    /**
     * On 300 random tables (no forced layers, every width allowed, budgets on a 1/8 grid so the float and
     * the exact capacity agree), greedy-ti returns exactly the port's allocation. Duplicated sensitivities
     * make ties frequent.
     */
    @Test
    void matchesAPortOfTensorlabOnRandomTables() {
        Random rnd = new Random(20240611L);
        int ties = 0;
        for (int t = 0; t < 300; t++) {
            int count = 2 + rnd.nextInt(10);
            Map<String, Double> sens = new LinkedHashMap<>();
            Map<String, Long> params = new LinkedHashMap<>();
            List<LayerCandidate> layers = new ArrayList<>();
            double[] palette = {0.5, 3.0, 3.0, 40.0};
            for (int i = 0; i < count; i++) {
                String name = "layer" + i;
                double lambda = rnd.nextInt(3) == 0 ? palette[rnd.nextInt(palette.length)] : Math.pow(10, -4 + 8 * rnd.nextDouble());
                long n = rnd.nextInt(3) == 0 ? 64 : 10 + rnd.nextInt(20_000);
                sens.put(name, lambda);
                params.put(name, n);
                layers.add(layer(name, n, lambda));
            }
            double budget = (16 + rnd.nextInt(8 * 30 + 1)) / 8.0;
            Map<String, Integer> expected = tensorlabReference(sens, params, budget);
            Allocation got = TI.allocate(layers, budget);
            assertEquals(expected, got.widths(), () -> "budget " + budget + ", layers " + layers);
            assertTrue(got.feasible());
            if (sens.values().stream().distinct().count() < count) {
                ties++;
            }
        }
        assertTrue(ties > 20, "the random tables should contain tied sensitivities, got " + ties);
    }

    /**
     * greedy-omega uses the measured errors, so it can disagree with greedy-ti.
     * A (n=100, lambda=1, err 10 / 1 / 0.01), B (n=100, lambda=2, err 4 / 3 / 0.1), budget 3.0: capacity 600, start 400.
     * greedy-ti: B's lambda is larger, so B 2-&gt;4 wins (ratio 2*0.0293 vs 0.0293); used 600, stop: A=2, B=4,
     * objective 1*10 + 2*3 = 16.
     * greedy-omega: A 2-&gt;4 ratio 1*(10-1)/200 = 0.045 beats B 2*(4-3)/200 = 0.01; A=4, stop: objective 1*1 + 2*4 = 9.
     */
    @Test
    void omegaFollowsMeasuredErrors() {
        List<LayerCandidate> layers = List.of(
                LayerCandidate.builder("A", 100, 1).errors(10, 1, 0.01).build(),
                LayerCandidate.builder("B", 100, 2).errors(4, 3, 0.1).build());
        Allocation ti = TI.allocate(layers, 3.0);
        Allocation omega = Allocators.byName("greedy-omega").allocate(layers, 3.0);
        assertEquals(Map.of("A", 2, "B", 4), ti.widths());
        assertEquals(16.0, ti.objective(), 1e-12);
        assertEquals(Map.of("A", 4, "B", 2), omega.widths());
        assertEquals(9.0, omega.objective(), 1e-12);
        assertEquals("greedy-omega", omega.allocator());
    }
}
