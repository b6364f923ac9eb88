/* Scratch sizes of the kernels that need one (uint32_t storage). The same on every target, so a
 * generated model sizes its arena without knowing which code path the core takes:
 * conv/pointwise: four interleaved widened columns of K words plus a K-byte window; dense: one column. */
#include "edgeamp/ea_kernels.h"

static size_t ea_conv_scratch(int32_t K)
{
    return (size_t)16 * (size_t)K + (((size_t)K + 3u) & ~(size_t)3u);
}

size_t ea_conv_hx1_scratch_bytes(const ea_conv_shape_t *s)
{
    return ea_conv_scratch(s->k_h * s->in_c);
}

size_t ea_pointwise_scratch_bytes(int32_t in_c)
{
    return ea_conv_scratch(in_c);
}

size_t ea_dense_scratch_bytes(int32_t in_n)
{
    return (size_t)4 * (size_t)in_n;
}
