/* Helpers of the float32 kernels. No FMA (-ffp-contract=off), no libm, float evaluated as float. */
#ifndef EDGEAMP_EA_F32_INTERNAL_H
#define EDGEAMP_EA_F32_INTERNAL_H

#include <float.h>
#include "edgeamp/ea_kernels_f32.h"

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD != 0
#error "float kernels need FLT_EVAL_METHOD == 0 (e.g. SSE on x86, any Arm FPU or soft-float)"
#endif

/* y < lo ? lo : (y > hi ? hi : y); a NaN passes through. */
static inline float ea_clampf(float y, float lo, float hi)
{
    return y < lo ? lo : (y > hi ? hi : y);
}

#endif
