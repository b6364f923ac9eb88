/* ea_widen_w8: the column block of four pixels for int8 weights (DSP path, ea_conv_core.h):
 * element pairs (x[4g], x[4g+2]) and (x[4g+1], x[4g+3]) of the four windows, interleaved pixel by
 * pixel, i.e. col[8g + q] and col[8g + 4 + q]; a last partial group is zero-filled.
 * Full groups in assembly: 4 LDR, 8 UXTB16/SXTB16, one STM of eight words, SUBS/BNE per group
 * (15 instructions per 16 input bytes). Shared by the s8 and u8 kernels. */
#include "ea_cw.h"

#if EA_USE_DSP
typedef struct {
    const uint8_t *x[4];
    uint32_t *col;
    int32_t ng;
    int32_t in_u8;
} ea_widen_args_t;

#if defined(__ARM_FEATURE_DSP)
#define EA_WIDEN_GROUP(EXT)                     \
    "ldr    r4, [r0], #4\n\t"                   \
    "ldr    r5, [r1], #4\n\t"                   \
    "ldr    r6, [r2], #4\n\t"                   \
    "ldr    r7, [r3], #4\n\t"                   \
    EXT "   r8, r4, ror #8\n\t"                 \
    EXT "   r9, r5, ror #8\n\t"                 \
    EXT "   r10, r6, ror #8\n\t"                \
    EXT "   r11, r7, ror #8\n\t"                \
    EXT "   r4, r4\n\t"                         \
    EXT "   r5, r5\n\t"                         \
    EXT "   r6, r6\n\t"                         \
    EXT "   r7, r7\n\t"                         \
    "stmia  r12!, {r4-r11}\n\t"                 \
    "subs   lr, lr, #1\n\t"

__attribute__((naked)) static void ea_widen4_core(const ea_widen_args_t *a __attribute__((unused)))
{
    __asm__ volatile("push   {r4-r11, lr}\n\t"
                     "ldr    r4, [r0, #24]\n\t" /* in_u8 */
                     "ldmia  r0, {r0-r3, r12, lr}\n\t"
                     "cmp    lr, #0\n\t"
                     "beq    3f\n\t"
                     "cbz    r4, 2f\n\t"
                     "1:\n\t" EA_WIDEN_GROUP("uxtb16") "bne    1b\n\t"
                     "b      3f\n\t"
                     "2:\n\t" EA_WIDEN_GROUP("sxtb16") "bne    2b\n\t"
                     "3:\n\t"
                     "pop    {r4-r11, pc}\n\t");
}
#else
static void ea_widen4_core(const ea_widen_args_t *a)
{
    int32_t g, q;
    uint32_t *col = a->col;
    for (g = 0; g < a->ng; g++) {
        for (q = 0; q < 4; q++) {
            const uint32_t v = ea_ld32(a->x[q] + 4 * g);
            col[q] = a->in_u8 ? ea_uxtb16(v) : ea_sxtb16(v);
            col[4 + q] = a->in_u8 ? ea_uxtb16_r8(v) : ea_sxtb16_r8(v);
        }
        col += 8;
    }
}
#endif

void ea_widen_w8(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col)
{
    ea_widen_args_t a;
    const int32_t ng = K >> 2, rem = K & 3;
    int32_t q, i;
    for (q = 0; q < 4; q++) {
        a.x[q] = xs[q];
    }
    a.col = col;
    a.ng = ng;
    a.in_u8 = in_u8;
    ea_widen4_core(&a);
    if (rem) {
        col += 8 * ng;
        for (q = 0; q < 4; q++) {
            uint32_t v = 0;
            for (i = 0; i < rem; i++) {
                v |= (uint32_t)xs[q][4 * ng + i] << (8 * i);
            }
            col[q] = in_u8 ? ea_uxtb16(v) : ea_sxtb16(v);
            col[4 + q] = in_u8 ? ea_uxtb16_r8(v) : ea_sxtb16_r8(v);
        }
    }
}

/* Weight row widened for the cw path (ea_cw.h): group g of four weights as (w4g, w4g+2),
 * (w4g+1, w4g+3) at d[4g], d[4g+1]; weights at k >= K are zero. */
void ea_cw_row_w8(const uint8_t *row, int32_t K, uint32_t *d)
{
    int32_t g;
    for (g = 0; 4 * g + 4 <= K; g++, d += 4) {
        const uint32_t v = ea_ld32(row + 4 * g);
        d[0] = ea_sxtb16(v);
        d[1] = ea_sxtb16_r8(v);
    }
    if (K & 3) {
        uint32_t v = 0;
        int32_t i;
        for (i = 0; i < (K & 3); i++) {
            v |= (uint32_t)row[4 * g + i] << (8 * i);
        }
        d[0] = ea_sxtb16(v);
        d[1] = ea_sxtb16_r8(v);
    }
}

const ea_conv_ops_t ea_conv_ops_w8 = {ea_blk_w8, ea_widen_w8, ea_cw_row_w8, 8};
#else
typedef int ea_widen_w8_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
