/* ea_add_s8_u8: elementwise add of a s8 tensor and a u8 tensor at different scales (residual),
 * y = clamp(round_shift(a * m_a + b * m_b, n), lo, hi); 8-bit output. See ea_kernels.h. */
#include "ea_add_core.h"

void ea_add_s8_u8(const int8_t *a, const uint8_t *b, int32_t len, int32_t m_a, int32_t m_b, int32_t n, int32_t lo,
                  int32_t hi, void *out)
{
    ea_add_body(a, 0, b, 1, len, m_a, m_b, n, lo, hi, out);
}
