/* ea_rq_slow: ea_requantize() out of line, one copy for the uncommon cases: ea_rq() with n < 33
 * (every kernel that requantizes in C), the dense assembly's n < 33, partial convolution blocks,
 * dense layers without inputs. */
#include "ea_internal.h"

int32_t ea_rq_slow(int32_t acc, int32_t m, int32_t n, const int32_t *lohi)
{
    return ea_requantize(acc, m, n, lohi[0], lohi[1]);
}
