/* The benchmarks' input generator: xorshift32 from seed 1, so every run (and every core) times the
 * same weights and inputs. Header-only: each benchmark firmware is one translation unit. */
#ifndef EDGEAMP_BENCH_RNG_H
#define EDGEAMP_BENCH_RNG_H

#include <stdint.h>

static uint32_t g_rng = 1u;

static uint32_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 17;
    g_rng ^= g_rng << 5;
    return g_rng;
}

#endif
