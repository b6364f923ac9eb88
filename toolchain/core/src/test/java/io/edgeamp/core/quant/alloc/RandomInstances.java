package io.edgeamp.core.quant.alloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random allocation problems for the property tests. */
final class RandomInstances {

    /** One generated problem. */
    static final class Instance {
        final List<LayerCandidate> layers;
        final AllocationConstraints constraints;

        Instance(List<LayerCandidate> layers, AllocationConstraints constraints) {
            this.layers = layers;
            this.constraints = constraints;
        }

        @Override
        public String toString() {
            return constraints + " " + layers;
        }
    }

    private RandomInstances() {
    }

    /**
     * 2..maxLayers layers; n log-uniform in [10, 20000]; lambda log-uniform in [1e-4, 1e4]; errors
     * decreasing in b over many orders of magnitude; ~15% forced-32 layers; sometimes a board without
     * 2-bit or 4-bit and single layers without some width; every layer gets flash/RAM/latency costs.
     * The budget is uniform between the minimum and maximum feasible averages (sometimes exactly one of
     * them); with {@code limits}, flash and/or latency (and sometimes total RAM) limits between their
     * minimum and maximum totals.
     */
    static Instance generate(Random rnd, int maxLayers, boolean limits) {
        int count = 2 + rnd.nextInt(maxLayers - 1);
        int boardDisallow = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? 2 : 4) : 0;
        double[] latencyPerWeight = {1 + 3 * rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble(), 0.5 + 2 * rnd.nextDouble(), 4 + 20 * rnd.nextDouble()};
        List<LayerCandidate> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long n = Math.round(Math.pow(10, 1 + Math.log10(2000) * rnd.nextDouble()));
            double lambda = Math.pow(10, -4 + 8 * rnd.nextDouble());
            double e2 = n * Math.pow(10, -4 + 4 * rnd.nextDouble());
            double e4 = e2 * Math.pow(10, -1.5 + rnd.nextDouble());
            double e8 = e4 * Math.pow(10, -3 + 1.5 * rnd.nextDouble());
            LayerCandidate.Builder b = LayerCandidate.builder("L" + i, n, lambda).errors(e2, e4, e8);
            if (rnd.nextInt(100) < 15) {
                b.forceFloat("op " + (rnd.nextBoolean() ? "Softmax" : "LayerNorm") + " has no NPU kernel");
            } else {
                if (boardDisallow != 0) {
                    b.disallow(boardDisallow);
                }
                if (rnd.nextInt(10) == 0) {
                    b.disallow(8);
                }
                if (rnd.nextInt(10) == 0) {
                    b.disallow(32);
                }
            }
            int[] widths = {2, 4, 8, 32};
            for (int j = 0; j < widths.length; j++) {
                int w = widths[j];
                b.cost(CostKind.FLASH_BYTES, w, (n * w + 7) / 8 + 16 + rnd.nextInt(64));
                b.cost(CostKind.RAM_BYTES, w, 64 + rnd.nextInt(4096) + (w == 32 ? 4 * n : 0));
                b.cost(CostKind.LATENCY_CYCLES, w, Math.round(n * latencyPerWeight[j]) + rnd.nextInt(200));
            }
            layers.add(b.build());
        }
        long totalN = 0;
        long minBits = 0;
        long maxBits = 0;
        for (LayerCandidate l : layers) {
            totalN += l.paramCount();
            minBits += l.paramCount() * l.minWidth();
            maxBits += l.paramCount() * l.allowedWidths().get(l.allowedWidths().size() - 1);
        }
        double minAvg = (double) minBits / totalN;
        double maxAvg = (double) maxBits / totalN;
        int pick = rnd.nextInt(20);
        double budget = pick == 0 ? minAvg : pick == 1 ? maxAvg : minAvg + (maxAvg - minAvg) * rnd.nextDouble();
        // minAvg as a double may round below the exact ratio; nudge up to the next double that still allows minBits.
        while (AllocationConstraints.budget(budget).maxTotalBits(totalN) < minBits) {
            budget = Math.nextUp(budget);
        }
        AllocationConstraints c = AllocationConstraints.budget(budget);
        if (limits) {
            int which = 1 + rnd.nextInt(3);
            if ((which & 1) != 0) {
                c = c.withFlashLimit(between(rnd, layers, CostKind.FLASH_BYTES));
            }
            if ((which & 2) != 0) {
                c = c.withLatencyLimit(between(rnd, layers, CostKind.LATENCY_CYCLES));
            }
            if (rnd.nextInt(4) == 0) {
                c = c.withRamLimit(between(rnd, layers, CostKind.RAM_BYTES), AllocationConstraints.RamMode.TOTAL);
            }
        }
        return new Instance(layers, c);
    }

    private static long between(Random rnd, List<LayerCandidate> layers, CostKind kind) {
        long lo = 0;
        long hi = 0;
        for (LayerCandidate l : layers) {
            long a = Long.MAX_VALUE;
            long z = Long.MIN_VALUE;
            for (int w : l.allowedWidths()) {
                a = Math.min(a, l.cost(kind, w).getAsLong());
                z = Math.max(z, l.cost(kind, w).getAsLong());
            }
            lo += a;
            hi += z;
        }
        return lo + (long) ((hi - lo) * rnd.nextDouble());
    }
}
