/* EdgeAMP device runtime: everything a generated model needs from the kernel library. */
#ifndef EDGEAMP_EDGEAMP_H
#define EDGEAMP_EDGEAMP_H
#include "edgeamp/ea_types.h"
#include "edgeamp/ea_requant.h"
#include "edgeamp/ea_kernels.h"
#include "edgeamp/ea_kernels_f32.h"
#endif
