/* ea_widen_w4: the column block of four pixels for int4 weights (DSP path, ea_conv_core.h):
 * each window widened by ea_expand_col() into the int4 pair order, pixels interleaved, the last
 * group zero-padded. Shared by the s8 and u8 kernels. */
#include "ea_conv_core.h"
#include "ea_cw.h"

#if EA_USE_DSP
void ea_widen_w4(const uint8_t *const xs[4], int32_t K, int in_u8, uint32_t *col)
{
    int q;
    for (q = 0; q < 4; q++) {
        ea_expand_col(xs[q], K, in_u8, 4, col + q, 4);
    }
}

/* Weight row widened for the cw path (ea_cw.h): group g of four weights (two packed bytes,
 * nibbles n0..n3) as (w0, w2), (w1, w3) at d[4g], d[4g+1]; each nibble is moved to its halfword
 * and sign-extended with (n ^ 8) - 8 (SSUB16); weights at k >= K are zero. */
void ea_cw_row_w4(const uint8_t *row, int32_t K, uint32_t *d)
{
    const int32_t rowb = (K + 1) >> 1;
    int32_t g;
    for (g = 0; 4 * g < K; g++, d += 4) {
        uint32_t h = row[2 * g];
        if (2 * g + 1 < rowb) {
            h |= (uint32_t)row[2 * g + 1] << 8;
        }
        if (K - 4 * g < 4) {
            h &= (1u << (4 * (K - 4 * g))) - 1u;
        }
        d[0] = ea_ssub16(((h & 0xFu) | ((h << 8) & 0xF0000u)) ^ 0x00080008u, 0x00080008u);
        d[1] = ea_ssub16((((h >> 4) & 0xFu) | ((h << 4) & 0xF0000u)) ^ 0x00080008u, 0x00080008u);
    }
}

const ea_conv_ops_t ea_conv_ops_w4 = {ea_blk_w4, ea_widen_w4, ea_cw_row_w4, 4};
#else
typedef int ea_widen_w4_unused; /* portable builds use the C path of ea_conv_core.h */
#endif
