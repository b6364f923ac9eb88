/* ea_lut_8: 256-entry table lookup on 8-bit activations (int8/uint8 sigmoid, tanh, ... computed
 * by the toolchain): out[i] = table[byte of in[i]]; an int8 x indexes table[(uint8_t)x]. */
#include "edgeamp/ea_kernels.h"

void ea_lut_8(const void *in, int32_t len, const uint8_t table[256], void *out)
{
    const uint8_t *x = (const uint8_t *)in;
    uint8_t *o = (uint8_t *)out;
    int32_t i;
    for (i = 0; i < len; i++) {
        o[i] = table[x[i]];
    }
}
