/*
 * Kernel benchmark on the layer shapes of the REGR_13k zoo model (input 6 channels x 512 samples):
 *   conv1  6 -> 16, (3,1), stride 2, pad 1, 512 -> 256   int8 input (the model input)
 *   conv2 16 -> 32, (3,1), stride 2, pad 1, 256 -> 128   uint8 input (after ReLU)
 *   conv3 32 -> 64, (3,1), stride 2, pad 1, 128 -> 64    uint8 input
 *   dense1 64 -> 32                                       uint8 input
 *   dense2 32 -> 1                                        uint8 input
 * for int8, int4 and int2 weights.
 *
 * Firmware (EA_BENCH_PORT): times each layer with the port timer. Under QEMU -icount shift=0 the
 * SysTick counts are instructions (1 ns of virtual time per instruction, one tick per 40), so
 * the figures are instruction counts, never cycles. Each layer is repeated until it has run at
 * least 2^20 MACs, and the cost of the timer reads is subtracted.
 * Host: `bench_kernels LAYER BITS` runs one layer REPS times for valgrind --tool=callgrind, which
 * counts the x86 instructions of the kernel function (portable C path).
 * The data are random but the instruction counts do not depend on them (no data-dependent
 * branches except the clamp).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edgeamp/edgeamp.h"
#ifdef EA_BENCH_PORT
#include "edgeamp/port.h"
#endif
#include "bench_rng.h"

typedef struct {
    const char *name;
    int dense;
    int32_t in_h, in_c, out_c, out_h;
    int in_u8;
} layer_t;

static const layer_t g_layers[5] = {
    {"conv1", 0, 512, 6, 16, 256, 0},
    {"conv2", 0, 256, 16, 32, 128, 1},
    {"conv3", 0, 128, 32, 64, 64, 1},
    {"dense1", 1, 1, 64, 32, 1, 1},
    {"dense2", 1, 1, 32, 1, 1, 1},
};

static uint8_t g_in[256 * 16]; /* largest input: conv2, 256 x 16 */
static uint8_t g_w[64 * 96];
static int32_t g_bias[64], g_mult[64];
static int8_t g_shift[64];
static uint8_t g_out[256 * 16];
static uint32_t g_scratch[4096 / 4]; /* >= ea_conv_hx1_scratch_bytes() of every layer (2 KB for conv3) */

static uint32_t layer_macs(const layer_t *l)
{
    return l->dense ? (uint32_t)(l->in_c * l->out_c) : (uint32_t)(l->out_h * l->out_c * 3 * l->in_c);
}

static void run_layer(const layer_t *l, int bits, const ea_requant_t *rq)
{
    if (l->dense) {
        const uint8_t *x = g_in;
        if (bits == 8) ea_dense_u8_w8(l->in_c, l->out_c, x, g_w, g_bias, rq, g_scratch, g_out);
        if (bits == 4) ea_dense_u8_w4(l->in_c, l->out_c, x, g_w, g_bias, rq, g_scratch, g_out);
        if (bits == 2) ea_dense_u8_w2(l->in_c, l->out_c, x, g_w, g_bias, rq, g_scratch, g_out);
    } else {
        ea_conv_shape_t s;
        s.in_h = l->in_h;
        s.in_w = 1;
        s.in_c = l->in_c;
        s.out_h = l->out_h;
        s.out_w = 1;
        s.out_c = l->out_c;
        s.k_h = 3;
        s.stride_h = 2;
        s.stride_w = 1;
        s.pad_top = 1;
        if (l->in_u8) {
            if (bits == 8) ea_conv_hx1_u8_w8(&s, g_in, g_w, g_bias, rq, g_scratch, g_out);
            if (bits == 4) ea_conv_hx1_u8_w4(&s, g_in, g_w, g_bias, rq, g_scratch, g_out);
            if (bits == 2) ea_conv_hx1_u8_w2(&s, g_in, g_w, g_bias, rq, g_scratch, g_out);
        } else {
            const int8_t *x = (const int8_t *)g_in;
            if (bits == 8) ea_conv_hx1_s8_w8(&s, x, g_w, g_bias, rq, g_scratch, g_out);
            if (bits == 4) ea_conv_hx1_s8_w4(&s, x, g_w, g_bias, rq, g_scratch, g_out);
            if (bits == 2) ea_conv_hx1_s8_w2(&s, x, g_w, g_bias, rq, g_scratch, g_out);
        }
    }
}

static void setup(ea_requant_t *rq)
{
    size_t i;
    for (i = 0; i < sizeof g_in; i++) g_in[i] = (uint8_t)rnd();
    for (i = 0; i < sizeof g_w; i++) g_w[i] = (uint8_t)rnd() & 0x77; /* in range for every width */
    for (i = 0; i < 64; i++) {
        g_bias[i] = (int32_t)(rnd() % 2001) - 1000;
        g_mult[i] = 0x40000000 + (int32_t)(rnd() & 0xFFFFFF); /* 31-bit multipliers, typical */
        g_shift[i] = 40;
    }
    rq->mult = g_mult;
    rq->shift = g_shift;
    rq->act_min = 0; /* ReLU folded: uint8 outputs */
    rq->act_max = 255;
}

int main(int argc, char **argv)
{
    static const int bit_list[3] = {8, 4, 2};
    ea_requant_t rq;
    setup(&rq);
#ifdef EA_BENCH_PORT
    {
        int li, bi;
        uint64_t overhead, a, b;
        (void)argc;
        (void)argv;
        ea_port_timer_start();
        a = ea_port_timer_read();
        b = ea_port_timer_read();
        overhead = b - a;
        printf("bench board=%s unit=%s resolution=%lu timer_overhead=%lu\n", ea_port_board_name(),
               ea_port_timer_unit(), (unsigned long)ea_port_timer_resolution(), (unsigned long)overhead);
        for (bi = 0; bi < 3; bi++) {
            uint64_t total_counts = 0, total_macs = 0;
            for (li = 0; li < 5; li++) {
                const layer_t *l = &g_layers[li];
                const uint32_t macs = layer_macs(l);
                const uint32_t reps = macs >= (1u << 20) ? 1u : ((1u << 20) + macs - 1) / macs;
                uint64_t counts;
                uint32_t r;
                run_layer(l, bit_list[bi], &rq); /* warm-up: nothing to warm under QEMU, but harmless */
                ea_port_timer_start();
                a = ea_port_timer_read();
                for (r = 0; r < reps; r++) {
                    run_layer(l, bit_list[bi], &rq);
                }
                b = ea_port_timer_read();
                counts = (b - a - overhead) / reps;
                total_counts += counts;
                total_macs += macs;
                printf("bench %s w%d macs=%lu %s=%lu per_mac_x1000=%lu\n", l->name, bit_list[bi], (unsigned long)macs,
                       ea_port_timer_unit(), (unsigned long)counts, (unsigned long)(counts * 1000u / macs));
            }
            printf("bench total w%d macs=%lu %s=%lu per_mac_x1000=%lu\n", bit_list[bi], (unsigned long)total_macs,
                   ea_port_timer_unit(), (unsigned long)total_counts,
                   (unsigned long)(total_counts * 1000u / total_macs));
        }
        return 0;
    }
#else
    {
        /* host: bench_kernels LAYER BITS [REPS] */
        int li, bits, reps, r;
        if (argc < 3) {
            fprintf(stderr, "usage: bench_kernels conv1|conv2|conv3|dense1|dense2 8|4|2 [reps]\n");
            return 2;
        }
        bits = atoi(argv[2]);
        reps = argc > 3 ? atoi(argv[3]) : 1;
        for (li = 0; li < 5; li++) {
            if (strcmp(argv[1], g_layers[li].name) == 0) {
                break;
            }
        }
        if (li == 5 || (bits != 8 && bits != 4 && bits != 2)) {
            fprintf(stderr, "unknown layer or width\n");
            return 2;
        }
        for (r = 0; r < reps; r++) {
            run_layer(&g_layers[li], bits, &rq);
        }
        printf("bench %s w%d macs=%lu reps=%d\n", argv[1], bits, (unsigned long)layer_macs(&g_layers[li]), reps);
        (void)bit_list;
        return 0;
    }
#endif
}
