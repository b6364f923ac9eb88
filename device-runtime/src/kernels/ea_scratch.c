/* Scratch sizes of the kernels that need one (uint32_t storage). The same on every target, so a
 * generated model sizes its arena without knowing which code path the core takes:
 * layouts in ea_conv_core.h. */
#include "ea_cw.h"

/* K rounded up to whole int2 words (16 elements): the widest zero padding of any weight width. */
static size_t ea_kp16(int32_t K)
{
    return ((size_t)K + 15u) & ~(size_t)15u;
}

/* Four interleaved widened columns (8 bytes per padded element pair of 4 pixels), four window
 * buffers, a zero-padded copy of the last weight rows (kp16 + 8 bytes) and the requantization
 * table of tabcap channels (ea_rqtab_t in ea_blk.h: 36 bytes on Cortex-M, 40 with
 * 64-bit pointers; 40 everywhere so the size stays target-independent). */
static size_t ea_conv_scratch(int32_t K, int32_t tabcap)
{
    return 8u * ea_kp16(K) + 4u * (((size_t)K + 3u) & ~(size_t)3u) + ea_kp16(K) + 8u + 40u * (size_t)tabcap;
}

/* A convolution that takes the widened-weight path (ea_cw.h) also needs room for its stream, its
 * widened input chunk and two output rows; the general path's layout is kept as the fallback. */
size_t ea_conv_hx1_scratch_bytes(const ea_conv_shape_t *s)
{
    const size_t gen = ea_conv_scratch(s->k_h * s->in_c, s->out_c);
    if (ea_cw_applies(s)) {
        const size_t cw = 4u * (size_t)ea_cw_stream_words(s) + 8u * (size_t)ea_cw_chunk_groups(s) +
                          (((size_t)(2 * s->out_c) + 3u) & ~(size_t)3u);
        return cw > gen ? cw : gen;
    }
    return gen;
}

size_t ea_pointwise_scratch_bytes(int32_t in_c)
{
    return ea_conv_scratch(in_c, EA_PW_TABCAP);
}

/* The widened input (2 bytes per element, padded to a whole MAC-loop pass: 32 elements for int4,
 * 16 otherwise) and a zero-padded copy of the last rows (ea_dense_run.c). */
size_t ea_dense_scratch_bytes(int32_t in_n)
{
    return 4u * (((size_t)in_n + 31u) & ~(size_t)31u);
}
