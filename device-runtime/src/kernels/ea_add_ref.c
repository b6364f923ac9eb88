/* Reference residual add. */
#include "ea_ref_common.h"

void ea_add_ref(const void *a, int a_unsigned, const void *b, int b_unsigned, int32_t len, int32_t m_a,
                int32_t m_b, int32_t n, int32_t lo, int32_t hi, void *out)
{
    int32_t i;
    for (i = 0; i < len; i++) {
        const int64_t sum = (int64_t)ea_ref_act(a, i, a_unsigned) * m_a + (int64_t)ea_ref_act(b, i, b_unsigned) * m_b;
        ea_ref_store(out, i, ea_clamp64(ea_round_shift64(sum, n), lo, hi));
    }
}
