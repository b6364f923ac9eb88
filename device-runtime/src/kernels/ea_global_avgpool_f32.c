/* ea_global_avgpool_f32: float32 mean over all pixels per channel.
 * Order: acc = 0.0f; p ascending: acc = acc + in[p][c]; out[c] = acc / (float)n_pix. */
#include "ea_f32_internal.h"

void ea_global_avgpool_f32(int32_t n_pix, int32_t c, const float *in, float *out)
{
    const float count = (float)n_pix;
    int32_t p, ch;
    for (ch = 0; ch < c; ch++) {
        float acc = 0.0f;
        for (p = 0; p < n_pix; p++) {
            acc = acc + in[p * c + ch];
        }
        out[ch] = acc / count;
    }
}
