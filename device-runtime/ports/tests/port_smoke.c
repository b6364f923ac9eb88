/* Port self-test, run under QEMU by scripts/test-qemu.sh on every machine.
 * Fails (exit 1, or a fault exit code) if: the UART is wrong (no output at all), .data is not
 * copied, the heap is unbounded, the FPU/MVE is not enabled (UsageFault NOCP), float results
 * differ from IEEE, or the timer is not an instruction-exact, monotonic counter, including across
 * SysTick wraps. The script also runs it twice and requires byte-identical output (determinism).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "edgeamp/port.h"
#include "port_internal.h"
#if defined(__ARM_FEATURE_MVE)
#include <arm_mve.h>
#endif

extern char __heap_start[], __heap_limit[];

static int failures;

#define CHECK(cond, ...)                        \
    do {                                        \
        if (!(cond)) {                          \
            printf("smoke: FAIL: " __VA_ARGS__); \
            printf("\n");                       \
            failures++;                         \
        }                                       \
    } while (0)

static uint32_t data_word = 0xC0FFEE42u; /* lives in .data: only right if Reset_Handler copied it */
static uint32_t bss_words[16];           /* lives in .bss */

/* Exactly 2 instructions per iteration (subs + bne), n >= 1. ".syntax unified": on Armv6-M GCC
 * hands inline assembly to the assembler in the old divided syntax, where SUBS is not Thumb-16. */
static inline void spin(uint32_t n)
{
    __asm__ volatile(".syntax unified\n1:\n\tsubs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static uint64_t measure_spin(uint32_t n)
{
    uint64_t t0, t1;
    ea_port_timer_start();
    t0 = ea_port_timer_read();
    spin(n);
    t1 = ea_port_timer_read();
    return t1 - t0;
}

static uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static void test_memory(void)
{
    size_t i;
    void *p;
    CHECK(data_word == 0xC0FFEE42u, ".data not initialised (0x%08lx)", (unsigned long)data_word);
    for (i = 0; i < sizeof bss_words / sizeof bss_words[0]; i++) {
        CHECK(bss_words[i] == 0, ".bss word %u not zero", (unsigned)i);
    }
    p = malloc(4096);
    CHECK(p != NULL && (char *)p >= __heap_start && (char *)p + 4096 <= __heap_limit,
          "malloc(4096) outside the heap");
    free(p);
    p = malloc((size_t)(__heap_limit - __heap_start) + 1u);
    CHECK(p == NULL, "malloc beyond the heap limit succeeded (sbrk unbounded)");
    printf("smoke: memory data=0x%08lx heap=%lu bytes\n", (unsigned long)data_word,
           (unsigned long)(__heap_limit - __heap_start));
}

static void test_float(void)
{
    volatile float a = 1.5f, b = 3.25f, two = 2.0f;
    volatile double da = 1.0, db = 3.0;
    float prod = a * b;
    float root = sqrtf(two);
    double third = da / db;
    uint64_t third_bits;
    memcpy(&third_bits, &third, sizeof third_bits);
#if defined(__ARM_FP)
    printf("smoke: float abi=hard __ARM_FP=0x%x\n", (unsigned)__ARM_FP);
#else
    printf("smoke: float abi=soft\n");
#endif
    printf("smoke: float 1.5*3.25=0x%08lx sqrtf(2)=0x%08lx 1/3=0x%016llx\n",
           (unsigned long)float_bits(prod), (unsigned long)float_bits(root),
           (unsigned long long)third_bits);
    CHECK(float_bits(prod) == 0x409C0000u, "1.5f*3.25f");
    CHECK(float_bits(root) == 0x3FB504F3u, "sqrtf(2)");
    CHECK(third_bits == UINT64_C(0x3FD5555555555555), "1.0/3.0");
#if defined(__ARM_FEATURE_MVE)
    {
        volatile int32_t x = 7;
        int32x4_t v = vdupq_n_s32(x);
        v = vmulq_s32(v, v);
        printf("smoke: mve 7*7=%ld\n", (long)vgetq_lane_s32(v, 3));
        CHECK(vgetq_lane_s32(v, 3) == 49, "MVE multiply");
    }
#endif
}

static void test_timer(void)
{
    static const uint32_t sizes[] = {1000u, 10000u, 100000u, 1000000u};
    const uint32_t res = ea_port_timer_resolution();
    uint64_t base, prev, now, counts;
    size_t i;
    int monotonic = 1;

    printf("smoke: timer unit=%s resolution=%lu\n", ea_port_timer_unit(),
           (unsigned long)res);

    /* Monotonic and moving. */
    ea_port_timer_start();
    prev = ea_port_timer_read();
    for (i = 0; i < 2000; i++) {
        now = ea_port_timer_read();
        if (now < prev) {
            monotonic = 0;
        }
        prev = now;
    }
    CHECK(monotonic, "timer went backwards");
    CHECK(prev > 0, "timer does not advance (reads 0)");

    /* A loop of exactly 2n instructions must measure 2n plus a fixed overhead, to within one
     * tick of quantisation at each end. */
    base = measure_spin(1);
    printf("smoke: loop n=1 counts=%llu\n", (unsigned long long)base);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t expect = base + 2u * (uint64_t)(sizes[i] - 1u);
        counts = measure_spin(sizes[i]);
        printf("smoke: loop n=%lu counts=%llu (2n+overhead=%llu)\n",
               (unsigned long)sizes[i], (unsigned long long)counts, (unsigned long long)expect);
        if (strcmp(ea_port_timer_unit(), "instructions") == 0) {
            CHECK(counts + 2u * res >= expect && counts <= expect + 2u * res,
                  "loop n=%lu measured %llu, expected %llu +- %lu",
                  (unsigned long)sizes[i], (unsigned long long)counts, (unsigned long long)expect,
                  (unsigned long)(2u * res));
        } else {
            CHECK(counts >= 2u * (uint64_t)sizes[i], "loop shorter than its instruction count");
        }
    }

    /* Wrap handling: 100 ticks per SysTick period, so the same loops cross many wraps. */
    ea_timer_set_systick_reload(99);
    counts = measure_spin(1000000u);
    printf("smoke: wrap reload=99 loop n=1000000 counts=%llu\n", (unsigned long long)counts);
    if (strcmp(ea_port_timer_unit(), "instructions") == 0) {
        uint64_t expect = base + 2u * 999999u;
        /* The SysTick handler runs once per wrap (~10 instructions x 500 wraps): allow for it. */
        CHECK(counts + 2u * res >= expect && counts <= expect + 2u * res + 20000u,
              "wrapped loop measured %llu, expected ~%llu", (unsigned long long)counts,
              (unsigned long long)expect);
    }
    ea_port_timer_start();
    prev = ea_port_timer_read();
    monotonic = 1;
    for (i = 0; i < 5000; i++) {
        now = ea_port_timer_read();
        /* consecutive reads are ~100 instructions apart; a period (4000) jump is a wrap bug */
        if (now < prev || now - prev > 1000u) {
            monotonic = 0;
        }
        prev = now;
    }
    printf("smoke: wrap reads=5000 last=%llu\n", (unsigned long long)prev);
    CHECK(monotonic, "reads not monotonic/continuous across SysTick wraps");
    ea_timer_set_systick_reload(0); /* back to the default 2^24 */
}

int main(void)
{
    printf("smoke: board=%s\n", ea_port_board_name());
    test_memory();
    test_float();
    test_timer();
    printf("smoke: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}
