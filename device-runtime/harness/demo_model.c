/* DEMO model for testing the harness: not a network and not generated code. It is one fixed
 * int8 dense layer (64 inputs -> 8 outputs) whose weights follow a formula, so a test can compute
 * the expected output independently (scripts/test-qemu.sh does it in bash):
 *   w[j][i] = ((7*i + 13*j) mod 17) - 8          in [-8, 8]
 *   b[j]    = 32*j - 100
 *   y[j]    = clamp((sum_i w[j][i]*x[i] + b[j] + 32) >> 6, -128, 127)   (round half up)
 */
#include "edgeamp/model_api.h"

#define DEMO_IN 64
#define DEMO_OUT 8

static int8_t demo_w[DEMO_OUT][DEMO_IN];
static int32_t demo_b[DEMO_OUT];

const char *ea_model_name(void)
{
    return "edgeamp-demo-dot";
}

int ea_model_init(void)
{
    int i, j;
    for (j = 0; j < DEMO_OUT; j++) {
        for (i = 0; i < DEMO_IN; i++) {
            demo_w[j][i] = (int8_t)(((7 * i + 13 * j) % 17) - 8);
        }
        demo_b[j] = 32 * j - 100;
    }
    return 0;
}

size_t ea_model_input_bytes(void)
{
    return DEMO_IN;
}

size_t ea_model_output_bytes(void)
{
    return DEMO_OUT;
}

int ea_model_output_is_unsigned(void)
{
    return 0;
}

int ea_model_infer(const int8_t *in, int8_t *out)
{
    int i, j;
    for (j = 0; j < DEMO_OUT; j++) {
        int32_t acc = demo_b[j];
        for (i = 0; i < DEMO_IN; i++) {
            acc += (int32_t)demo_w[j][i] * (int32_t)in[i];
        }
        /* arithmetic shift of a possibly negative int32: GCC defines it as sign-extending */
        acc = (acc + 32) >> 6;
        out[j] = (int8_t)(acc > 127 ? 127 : (acc < -128 ? -128 : acc));
    }
    return 0;
}
