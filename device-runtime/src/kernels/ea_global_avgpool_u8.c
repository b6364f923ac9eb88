/* ea_global_avgpool_u8: mean over all pixels per channel, uint8 HWC input, 8-bit output
 * y[c] = clamp(round_shift(sum_p in[p][c] * m, n), lo, hi) (1/n_pix and the scales folded into m, n).
 * Body: ea_pool_core.h. */
#include "ea_pool_core.h"

void ea_global_avgpool_u8(int32_t n_pix, int32_t c, const uint8_t *in, int32_t m, int32_t n, int32_t lo, int32_t hi,
                          void *out)
{
    ea_global_avgpool_body(n_pix, c, in, 1, m, n, lo, hi, out);
}
