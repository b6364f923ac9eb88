/* ea_widen_w2: the column block of four pixels for int2 weights (DSP path, ea_conv_core.h):
 * each window widened by ea_expand_col() into the int2 pair order, pixels interleaved, the last
 * group zero-padded. Shared by the s8 and u8 kernels. */
#include "ea_conv_core.h"
#include "ea_cw.h"

#if EA_USE_DSP
void ea_widen_w2(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col)
{
    int q;
    for (q = 0; q < 4; q++) {
        ea_expand_col(xs[q], K, in_u8, 2, col + q, 4);
    }
}

/* Weight row widened for the cw path (ea_cw.h): group g of four weights (one packed byte,
 * crumbs c0..c3) as (w0, w2), (w1, w3) at d[4g], d[4g+1]; each crumb is moved to its halfword
 * and sign-extended with (c ^ 2) - 2 (SSUB16); weights at k >= K are zero. */
void ea_cw_row_w2(const uint8_t *row, int32_t K, uint32_t *d)
{
    int32_t g;
    for (g = 0; 4 * g < K; g++, d += 4) {
        uint32_t h = row[g];
        if (K - 4 * g < 4) {
            h &= (1u << (2 * (K - 4 * g))) - 1u;
        }
        d[0] = ea_ssub16(((h & 0x3u) | ((h << 12) & 0x30000u)) ^ 0x00020002u, 0x00020002u);
        d[1] = ea_ssub16((((h >> 2) & 0x3u) | ((h << 10) & 0x30000u)) ^ 0x00020002u, 0x00020002u);
    }
}

const ea_conv_ops_t ea_conv_ops_w2 = {ea_blk_w2, ea_widen_w2, ea_cw_row_w2, 2};
#else
typedef int ea_widen_w2_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
