/*
 * Kernel tests of the EdgeAMP device runtime. Portable C (printf only), runs on the host (under
 * the sanitizers) and as firmware on the QEMU Cortex-M machines.
 *
 *  1. Contract cases, computed by hand: packing bit order, rounding half up (also of negative
 *     values), shifts n = 0 / negative / >= 33, round-half-to-even quantization, padding and
 *     stride, average and add formulas, LUT indexing, float summation order. They check the
 *     reference kernels and the optimized ones against the contract itself.
 *  2. Randomized cases from a fixed-seed PRNG: every optimized kernel against its reference on
 *     shapes with odd channel counts, rows whose packed length ends mid-byte (with garbage in the
 *     unused bits), stride/padding combinations, clamp-edge saturation and int8/uint8 extremes;
 *     float kernels against a double-precision evaluation. Each case prints one line
 *       case <kernel>#<n> fnv1a=<hash of the output bytes> ok|FAIL
 *     which is identical on every machine, so host and QEMU outputs are diffed line by line.
 *
 * Exit status: number of failed checks (0 = all passed). Last line: "N passed, M failed".
 */
#include <stdio.h>
#include <string.h>

#include "edgeamp/edgeamp.h"

#ifdef EA_TEST_MALLOC
#include <stdlib.h>
#endif

static int g_passed, g_failed;

/* ------------------------------------------------------------------ allocation */
/* On the host every buffer is its own malloc block so AddressSanitizer sees overruns; on the
 * device a bump arena is reset per case. Outputs also get guard bytes checked after each call. */
#define MAX_ALLOCS 32
#ifdef EA_TEST_MALLOC
static void *g_allocs[MAX_ALLOCS];
static int g_nallocs;
static void *t_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p || g_nallocs == MAX_ALLOCS) {
        printf("out of memory\n");
        exit(2);
    }
    g_allocs[g_nallocs++] = p;
    return p;
}
static void t_free_all(void)
{
    while (g_nallocs > 0) {
        free(g_allocs[--g_nallocs]);
    }
}
#else
#define ARENA_WORDS (160 * 1024 / 4)
static uint32_t g_arena[ARENA_WORDS];
static size_t g_arena_used; /* in words */
static void *t_alloc(size_t n)
{
    const size_t words = (n + 3) / 4;
    void *p;
    if (g_arena_used + words > ARENA_WORDS) {
        printf("out of memory\n");
        return NULL;
    }
    p = &g_arena[g_arena_used];
    g_arena_used += words;
    return p;
}
static void t_free_all(void)
{
    g_arena_used = 0;
}
#endif

#define GUARD 8
static uint8_t *t_alloc_out(size_t n)
{
    uint8_t *p = (uint8_t *)t_alloc(n + GUARD);
    memset(p, 0xA5, n + GUARD);
    return p;
}
static int guard_ok(const uint8_t *p, size_t n)
{
    size_t i;
    for (i = n; i < n + GUARD; i++) {
        if (p[i] != 0xA5) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------ PRNG and hash */
static uint32_t g_rng = 0x2545F491u;
static uint32_t rnd(void) /* xorshift32 */
{
    uint32_t x = g_rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g_rng = x;
    return x;
}
static int32_t rnd_in(int32_t lo, int32_t hi) /* inclusive */
{
    return lo + (int32_t)(rnd() % (uint32_t)(hi - lo + 1));
}

static uint32_t fnv1a(const void *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    return h;
}

/* ------------------------------------------------------------------ checks */
static void check(int ok, const char *what)
{
    if (ok) {
        g_passed++;
    } else {
        g_failed++;
        printf("FAIL %s\n", what);
    }
}

static void check_i32(int32_t got, int32_t want, const char *what)
{
    if (got != want) {
        printf("FAIL %s: got %ld want %ld\n", what, (long)got, (long)want);
        g_failed++;
    } else {
        g_passed++;
    }
}

static void check_bytes(const void *got, const int8_t *want, int32_t n, const char *what)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        if (((const int8_t *)got)[i] != want[i]) {
            printf("FAIL %s[%ld]: got %d want %d\n", what, (long)i, ((const int8_t *)got)[i], want[i]);
            g_failed++;
            return;
        }
    }
    g_passed++;
}

/* Compare optimized and reference outputs, check guards, print the case line. */
static void report_case(const char *name, int idx, const uint8_t *opt, const uint8_t *ref, size_t n)
{
    size_t i;
    int ok = guard_ok(opt, n) && guard_ok(ref, n);
    for (i = 0; ok && i < n; i++) {
        if (opt[i] != ref[i]) {
            printf("mismatch %s#%d at %lu: opt %u ref %u\n", name, idx, (unsigned long)i, opt[i], ref[i]);
            ok = 0;
        }
    }
    printf("case %s#%d fnv1a=%08lx %s\n", name, idx, (unsigned long)fnv1a(opt, n), ok ? "ok" : "FAIL");
    check(ok, name);
}

/* ------------------------------------------------------------------ test data */
static void pack_row(const int8_t *vals, int32_t k, int bits, uint8_t *dst)
{
    int32_t i;
    for (i = 0; i < k; i++) {
        const int32_t bit = i * bits;
        dst[bit / 8] |= (uint8_t)(((uint32_t)vals[i] & ((1u << bits) - 1u)) << (bit % 8));
    }
}

/* Random weights in the contract range, packed in rows; unused bits at a row's end get garbage
 * (the kernels must ignore them). */
static uint8_t *make_weights(int32_t rows, int32_t k, int bits, int extremes)
{
    const int32_t rowb = ea_packed_row_bytes(k, bits);
    const int32_t wmax = (1 << (bits - 1)) - 1;
    uint8_t *w = (uint8_t *)t_alloc((size_t)(rows * rowb));
    int8_t *vals = (int8_t *)t_alloc((size_t)k);
    int32_t r, i;
    memset(w, 0, (size_t)(rows * rowb));
    for (r = 0; r < rows; r++) {
        uint8_t *row = w + r * rowb;
        for (i = 0; i < k; i++) {
            vals[i] = (int8_t)(extremes ? ((rnd() & 1) ? wmax : -wmax) : rnd_in(-wmax, wmax));
        }
        pack_row(vals, k, bits, row);
        if ((k * bits) % 8) {
            row[rowb - 1] |= (uint8_t)((rnd() & 0xFFu) << ((k * bits) % 8));
        }
    }
    return w;
}

static void *make_act(int32_t n, int is_unsigned, int mode)
{
    uint8_t *x = (uint8_t *)t_alloc((size_t)n);
    int32_t i;
    for (i = 0; i < n; i++) {
        uint8_t v = (uint8_t)rnd();
        if (mode == 1) { /* extremes only */
            v = is_unsigned ? ((rnd() & 1) ? 255 : 0) : ((rnd() & 1) ? 0x7F : 0x80);
        }
        x[i] = v;
    }
    return x;
}

static int ilog2(uint64_t v)
{
    int r = -1;
    while (v) {
        v >>= 1;
        r++;
    }
    return r;
}

/* Requantization parameters that map accumulators of magnitude ~acc_mag onto the 8-bit range,
 * mixing 31-bit multipliers (n >= 33, fast path), 8-bit ones (n < 33), negative multipliers,
 * n = 0 and n < 0, and narrow (ReLU6-like) and full clamp ranges. */
static void make_requant(ea_requant_t *rq, int32_t ch, uint64_t acc_mag, int out_unsigned, int32_t **m_out,
                         int8_t **n_out)
{
    int32_t *m = (int32_t *)t_alloc(sizeof(int32_t) * (size_t)ch);
    int8_t *n = (int8_t *)t_alloc((size_t)ch);
    const int style = rnd_in(0, 9);
    int32_t c;
    for (c = 0; c < ch; c++) {
        int bits, sh;
        if (style <= 4) {
            m[c] = rnd_in(1 << 29, 0x7FFFFFFF);
            bits = 31;
        } else if (style <= 7) {
            m[c] = rnd_in(64, 255);
            bits = 8;
        } else if (style == 8) {
            m[c] = 1;
            bits = 1;
        } else {
            m[c] = rnd_in(1 << 20, 1 << 22);
            bits = 22;
        }
        if (rnd_in(0, 7) == 0) {
            m[c] = -m[c];
        }
        /* |acc * m| / 2^sh ~ 100, with some jitter towards saturation */
        sh = ilog2(acc_mag + 1) + bits - 7 + rnd_in(-2, 1);
        if (sh > 62) {
            sh = 62;
        }
        if (sh < -31) {
            sh = -31;
        }
        if (style == 8 && rnd_in(0, 3) == 0) {
            sh = rnd_in(-3, 0);
        }
        n[c] = (int8_t)sh;
    }
    rq->mult = m;
    rq->shift = n;
    if (out_unsigned) {
        rq->act_min = 0;
        rq->act_max = rnd_in(0, 2) ? 255 : rnd_in(20, 200); /* ReLU or ReLU6-style */
    } else {
        rq->act_min = -128;
        rq->act_max = 127;
        if (rnd_in(0, 3) == 0) {
            rq->act_min = rnd_in(-100, -1);
            rq->act_max = rnd_in(1, 100);
        }
    }
    if (m_out) {
        *m_out = m;
    }
    if (n_out) {
        *n_out = n;
    }
}

static int32_t *make_bias(int32_t ch, uint64_t acc_mag)
{
    int32_t *b = (int32_t *)t_alloc(sizeof(int32_t) * (size_t)ch);
    const int32_t lim = (int32_t)(acc_mag > (1u << 29) ? (1u << 29) : acc_mag);
    int32_t c;
    for (c = 0; c < ch; c++) {
        b[c] = rnd_in(-lim, lim);
    }
    return b;
}

/* typical accumulator magnitude: sqrt(K) * 128 * wmax, at least 1 */
static uint64_t acc_magnitude(int32_t K, int bits)
{
    uint64_t r = 1;
    while (r * r < (uint64_t)K) {
        r++;
    }
    return r * 128u * (uint64_t)((1 << (bits - 1)) - 1);
}

/* ------------------------------------------------------------------ kernel dispatch */
typedef void (*conv_fn)(const ea_conv_shape_t *, const void *, const uint8_t *, const int32_t *,
                        const ea_requant_t *, uint32_t *, void *);

static void call_conv(int in_u, int bits, const ea_conv_shape_t *s, const void *in, const uint8_t *w,
                      const int32_t *b, const ea_requant_t *rq, uint32_t *scr, void *out)
{
    if (in_u) {
        const uint8_t *x = (const uint8_t *)in;
        if (bits == 8) ea_conv_hx1_u8_w8(s, x, w, b, rq, scr, out);
        if (bits == 4) ea_conv_hx1_u8_w4(s, x, w, b, rq, scr, out);
        if (bits == 2) ea_conv_hx1_u8_w2(s, x, w, b, rq, scr, out);
    } else {
        const int8_t *x = (const int8_t *)in;
        if (bits == 8) ea_conv_hx1_s8_w8(s, x, w, b, rq, scr, out);
        if (bits == 4) ea_conv_hx1_s8_w4(s, x, w, b, rq, scr, out);
        if (bits == 2) ea_conv_hx1_s8_w2(s, x, w, b, rq, scr, out);
    }
}

static void call_pointwise(int in_u, int bits, int32_t np, int32_t ci, int32_t co, const void *in, const uint8_t *w,
                           const int32_t *b, const ea_requant_t *rq, uint32_t *scr, void *out)
{
    if (in_u) {
        const uint8_t *x = (const uint8_t *)in;
        if (bits == 8) ea_pointwise_u8_w8(np, ci, co, x, w, b, rq, scr, out);
        if (bits == 4) ea_pointwise_u8_w4(np, ci, co, x, w, b, rq, scr, out);
        if (bits == 2) ea_pointwise_u8_w2(np, ci, co, x, w, b, rq, scr, out);
    } else {
        const int8_t *x = (const int8_t *)in;
        if (bits == 8) ea_pointwise_s8_w8(np, ci, co, x, w, b, rq, scr, out);
        if (bits == 4) ea_pointwise_s8_w4(np, ci, co, x, w, b, rq, scr, out);
        if (bits == 2) ea_pointwise_s8_w2(np, ci, co, x, w, b, rq, scr, out);
    }
}

static void call_dw(int in_u, int bits, const ea_conv_shape_t *s, const void *in, const uint8_t *w, const int32_t *b,
                    const ea_requant_t *rq, void *out)
{
    if (in_u) {
        const uint8_t *x = (const uint8_t *)in;
        if (bits == 8) ea_dw_conv_hx1_u8_w8(s, x, w, b, rq, out);
        if (bits == 4) ea_dw_conv_hx1_u8_w4(s, x, w, b, rq, out);
        if (bits == 2) ea_dw_conv_hx1_u8_w2(s, x, w, b, rq, out);
    } else {
        const int8_t *x = (const int8_t *)in;
        if (bits == 8) ea_dw_conv_hx1_s8_w8(s, x, w, b, rq, out);
        if (bits == 4) ea_dw_conv_hx1_s8_w4(s, x, w, b, rq, out);
        if (bits == 2) ea_dw_conv_hx1_s8_w2(s, x, w, b, rq, out);
    }
}

static void call_dense(int in_u, int bits, int32_t ni, int32_t no, const void *in, const uint8_t *w, const int32_t *b,
                       const ea_requant_t *rq, uint32_t *scr, void *out)
{
    if (in_u) {
        const uint8_t *x = (const uint8_t *)in;
        if (bits == 8) ea_dense_u8_w8(ni, no, x, w, b, rq, scr, out);
        if (bits == 4) ea_dense_u8_w4(ni, no, x, w, b, rq, scr, out);
        if (bits == 2) ea_dense_u8_w2(ni, no, x, w, b, rq, scr, out);
    } else {
        const int8_t *x = (const int8_t *)in;
        if (bits == 8) ea_dense_s8_w8(ni, no, x, w, b, rq, scr, out);
        if (bits == 4) ea_dense_s8_w4(ni, no, x, w, b, rq, scr, out);
        if (bits == 2) ea_dense_s8_w2(ni, no, x, w, b, rq, scr, out);
    }
}

static const char *variant(const char *op, int in_u, int bits)
{
    static char name[48];
    sprintf(name, "%s_%s_w%d", op, in_u ? "u8" : "s8", bits);
    return name;
}

static uint32_t *alloc_scratch(size_t bytes)
{
    return (uint32_t *)t_alloc(bytes);
}

/* ------------------------------------------------------------------ randomized integer cases */
static void random_conv_shape(ea_conv_shape_t *s, int idx)
{
    static const int32_t cins[] = {1, 2, 3, 5, 6, 7, 8, 9, 11, 13, 16, 24, 32};
    int32_t pad_bottom;
    s->k_h = rnd_in(1, 5);
    s->in_c = cins[rnd_in(0, (int32_t)(sizeof cins / sizeof cins[0]) - 1)];
    s->in_h = rnd_in(1, 24);
    s->in_w = (idx % 4 == 3) ? rnd_in(2, 3) : 1;
    s->stride_h = rnd_in(1, 3);
    s->stride_w = rnd_in(1, 2);
    s->pad_top = rnd_in(0, s->k_h - 1);
    pad_bottom = rnd_in(0, s->k_h - 1);
    if (s->in_h + s->pad_top + pad_bottom < s->k_h) {
        pad_bottom = s->k_h - s->in_h - s->pad_top;
    }
    s->out_h = (s->in_h + s->pad_top + pad_bottom - s->k_h) / s->stride_h + 1;
    s->out_w = (s->in_w - 1) / s->stride_w + 1;
    s->out_c = rnd_in(1, 11);
}

static void run_conv_case(const char *op, int in_u, int bits, const ea_conv_shape_t *s, int idx, int depthwise)
{
    const int32_t K = depthwise ? s->k_h : s->k_h * s->in_c;
    const int32_t rows = depthwise ? s->in_c : s->out_c;
    const int32_t out_c = depthwise ? s->in_c : s->out_c;
    const size_t in_n = (size_t)(s->in_h * s->in_w * s->in_c);
    const size_t out_n = (size_t)(s->out_h * s->out_w * out_c);
    const int extremes = idx % 5 == 4;
    const void *in = make_act((int32_t)in_n, in_u, extremes);
    const uint8_t *w = make_weights(rows, K, bits, extremes);
    const uint64_t mag = acc_magnitude(K, bits) * (in_u ? 2u : 1u);
    const int32_t *bias = (idx % 7 == 6) ? NULL : make_bias(out_c, mag);
    ea_requant_t rq;
    uint8_t *o_opt = t_alloc_out(out_n), *o_ref = t_alloc_out(out_n);
    make_requant(&rq, out_c, mag, rnd() & 1, NULL, NULL);
    if (depthwise) {
        call_dw(in_u, bits, s, in, w, bias, &rq, o_opt);
        ea_dw_conv_hx1_ref(s, in, in_u, w, bits, bias, &rq, o_ref);
    } else {
        call_conv(in_u, bits, s, in, w, bias, &rq, alloc_scratch(ea_conv_hx1_scratch_bytes(s)), o_opt);
        ea_conv_hx1_ref(s, in, in_u, w, bits, bias, &rq, o_ref);
    }
    report_case(variant(op, in_u, bits), idx, o_opt, o_ref, out_n);
    t_free_all();
}

static void run_pointwise_case(int in_u, int bits, int32_t np, int32_t ci, int32_t co, int idx)
{
    const void *in = make_act(np * ci, in_u, idx % 5 == 4);
    const uint8_t *w = make_weights(co, ci, bits, idx % 5 == 4);
    const uint64_t mag = acc_magnitude(ci, bits) * (in_u ? 2u : 1u);
    const int32_t *bias = make_bias(co, mag);
    ea_requant_t rq;
    uint8_t *o_opt = t_alloc_out((size_t)(np * co)), *o_ref = t_alloc_out((size_t)(np * co));
    make_requant(&rq, co, mag, rnd() & 1, NULL, NULL);
    call_pointwise(in_u, bits, np, ci, co, in, w, bias, &rq, alloc_scratch(ea_pointwise_scratch_bytes(ci)), o_opt);
    ea_pointwise_ref(np, ci, co, in, in_u, w, bits, bias, &rq, o_ref);
    report_case(variant("pointwise", in_u, bits), idx, o_opt, o_ref, (size_t)(np * co));
    t_free_all();
}

static void run_dense_case(int in_u, int bits, int32_t ni, int32_t no, int idx)
{
    const void *in = make_act(ni, in_u, idx % 5 == 4);
    const uint8_t *w = make_weights(no, ni, bits, idx % 5 == 4);
    const uint64_t mag = acc_magnitude(ni, bits) * (in_u ? 2u : 1u);
    const int32_t *bias = (idx % 7 == 6) ? NULL : make_bias(no, mag);
    ea_requant_t rq;
    uint8_t *o_opt = t_alloc_out((size_t)no), *o_ref = t_alloc_out((size_t)no);
    make_requant(&rq, no, mag, rnd() & 1, NULL, NULL);
    call_dense(in_u, bits, ni, no, in, w, bias, &rq, alloc_scratch(ea_dense_scratch_bytes(ni)), o_opt);
    ea_dense_ref(ni, no, in, in_u, w, bits, bias, &rq, o_ref);
    report_case(variant("dense", in_u, bits), idx, o_opt, o_ref, (size_t)no);
    t_free_all();
}

static void random_integer_cases(void)
{
    static const int bit_list[3] = {8, 4, 2};
    int in_u, bi, i;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (bi = 0; bi < 3; bi++) {
            const int bits = bit_list[bi];
            for (i = 0; i < 16; i++) {
                ea_conv_shape_t s;
                random_conv_shape(&s, i);
                run_conv_case("conv_hx1", in_u, bits, &s, i, 0);
            }
            for (i = 0; i < 8; i++) {
                ea_conv_shape_t s;
                random_conv_shape(&s, i);
                run_conv_case("dw_conv_hx1", in_u, bits, &s, i, 1);
            }
            /* (one rnd() per statement: argument evaluation order differs between compilers) */
            for (i = 0; i < 8; i++) {
                const int32_t np = rnd_in(1, 9);
                const int32_t ci = rnd_in(1, 40);
                const int32_t co = rnd_in(1, 9);
                run_pointwise_case(in_u, bits, np, ci, co, i);
            }
            for (i = 0; i < 10; i++) {
                const int32_t ni = rnd_in(1, 150);
                const int32_t no = rnd_in(1, 12);
                run_dense_case(in_u, bits, ni, no, i);
            }
        }
    }
}

/* The layer shapes of the REGR_13k zoo model (input 6 x 512), every input type and width. */
static void regr13k_cases(void)
{
    static const int32_t conv[3][4] = {{512, 6, 16, 256}, {256, 16, 32, 128}, {128, 32, 64, 64}};
    static const int bit_list[3] = {8, 4, 2};
    int in_u, bi, l, idx = 0;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (bi = 0; bi < 3; bi++) {
            for (l = 0; l < 3; l++) {
                ea_conv_shape_t s;
                s.in_h = conv[l][0];
                s.in_w = 1;
                s.in_c = conv[l][1];
                s.out_c = conv[l][2];
                s.out_h = conv[l][3];
                s.out_w = 1;
                s.k_h = 3;
                s.stride_h = 2;
                s.stride_w = 1;
                s.pad_top = 1;
                run_conv_case("regr13k_conv_hx1", in_u, bit_list[bi], &s, idx++, 0);
            }
            run_dense_case(in_u, bit_list[bi], 64, 32, idx++);
            run_dense_case(in_u, bit_list[bi], 32, 1, idx++);
        }
    }
}

/* Dense kernels on the DSP path's edge cases: fan-ins around the 16/32-element padding of the
 * widened input and the 256 boundary, row counts 1..40 (odd ones pair the last row with the one
 * before it; one row runs as a pair of itself), weight arrays starting 0..3 bytes past a word
 * boundary and allocated to the exact byte (the last rows must come from the padded copy),
 * NULL bias, biases that saturate the clamp, and one long row (K = 8191) with extreme values. */
static void dense_layout_cases(void)
{
    static const int32_t kins[] = {1, 2, 3, 5, 7, 8, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 100, 255, 256, 257, 300};
    static const int bit_list[3] = {8, 4, 2};
    int in_u, bi, i;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (bi = 0; bi < 3; bi++) {
            const int bits = bit_list[bi];
            for (i = 0; i < 13; i++) {
                const int32_t ni = i == 12 ? 8191 : kins[rnd_in(0, (int32_t)(sizeof kins / sizeof kins[0]) - 1)];
                const int32_t no = i == 12 ? 3 : (i % 4 == 0 ? rnd_in(1, 3) : rnd_in(1, 40));
                const int32_t misalign = i % 4;
                const int extremes = i % 5 == 4 || i == 12;
                const int32_t rowb = ea_packed_row_bytes(ni, bits);
                const void *in = make_act(ni, in_u, extremes);
                const uint8_t *w0 = make_weights(no, ni, bits, extremes);
                uint8_t *wbuf = (uint8_t *)t_alloc((size_t)(misalign + no * rowb));
                const uint64_t mag = acc_magnitude(ni, bits) * (in_u ? 2u : 1u);
                int32_t *bias = i % 6 == 5 ? NULL : make_bias(no, mag);
                ea_requant_t rq;
                uint8_t *o_opt = t_alloc_out((size_t)no), *o_ref = t_alloc_out((size_t)no);
                int32_t c;
                memcpy(wbuf + misalign, w0, (size_t)(no * rowb));
                if (bias && i % 6 == 3) { /* push every output against a clamp edge */
                    for (c = 0; c < no; c++) {
                        bias[c] = (rnd() & 1) ? (1 << 29) - 1 : -(1 << 29) + 1;
                    }
                }
                make_requant(&rq, no, mag, rnd() & 1, NULL, NULL);
                call_dense(in_u, bits, ni, no, in, wbuf + misalign, bias, &rq, alloc_scratch(ea_dense_scratch_bytes(ni)),
                           o_opt);
                ea_dense_ref(ni, no, in, in_u, wbuf + misalign, bits, bias, &rq, o_ref);
                report_case(variant("dense_layout", in_u, bits), i, o_opt, o_ref, (size_t)no);
                t_free_all();
            }
        }
    }
}

/* Long dense rows, deterministically: int4 sums in chunks of at most 256 elements (eight passes of
 * 32), so fan-ins around one, two and three chunks, with and without bias (the tail adds it, and a
 * multi-chunk row finishes on a separate path), one, four or five rows (the frame's chunk sums
 * must start from zero for every pair), extreme values. */
static void dense_chunk_cases(void)
{
    static const int32_t kins[] = {224, 255, 256, 257, 288, 511, 512, 513, 769};
    static const int bit_list[3] = {8, 4, 2};
    int bi, idx = 0;
    size_t ki;
    for (bi = 0; bi < 3; bi++) {
        for (ki = 0; ki < sizeof kins / sizeof kins[0]; ki++) {
            const int32_t ni = kins[ki], no = ki % 3 == 0 ? 1 : 3 + (int32_t)(ki % 3), bits = bit_list[bi];
            const int in_u = (int)(ki & 1), with_bias = (int)((ki / 2) & 1);
            const int32_t rowb = ea_packed_row_bytes(ni, bits);
            const void *in = make_act(ni, in_u, 1);
            const uint8_t *w0 = make_weights(no, ni, bits, 1);
            uint8_t *wbuf = (uint8_t *)t_alloc((size_t)(no * rowb));
            const uint64_t mag = acc_magnitude(ni, bits) * (in_u ? 2u : 1u);
            int32_t *bias = with_bias ? make_bias(no, mag) : NULL;
            ea_requant_t rq;
            uint8_t *o_opt = t_alloc_out((size_t)no), *o_ref = t_alloc_out((size_t)no);
            memcpy(wbuf, w0, (size_t)(no * rowb));
            make_requant(&rq, no, mag, rnd() & 1, NULL, NULL);
            call_dense(in_u, bits, ni, no, in, wbuf, bias, &rq, alloc_scratch(ea_dense_scratch_bytes(ni)), o_opt);
            ea_dense_ref(ni, no, in, in_u, wbuf, bits, bias, &rq, o_ref);
            report_case(variant("dense_chunks", in_u, bits), idx++, o_opt, o_ref, (size_t)no);
            t_free_all();
        }
    }
}

/* Convolutions on the widened-weight DSP path (src/kernels/ea_cw.h: in_w == 1, stride_h * in_c a
 * multiple of 4, K <= 32, small weight matrix): fan-ins 1..32 (1..8 groups, partial last groups),
 * odd and even out_c (1..17), out_h 1..70 (single pixel, odd chunks, several chunks of 32 with an
 * overlapping last one), top and bottom padding, input and weight arrays starting 0..3 bytes past
 * a word boundary, and every requantization style (the ones without an SMMLA form, and clamps
 * narrower than uint8/int8, fall back to the general path). */
static void cw_conv_cases(void)
{
    /* in_c, k_h, stride_h */
    static const int32_t shapes[][3] = {{6, 3, 2}, {4, 1, 1}, {8, 4, 1}, {2, 5, 2}, {1, 1, 4}, {16, 2, 1},
                                        {12, 2, 3}, {4, 7, 3}, {8, 3, 2}, {3, 5, 4}, {4, 8, 1}, {2, 3, 2}};
    static const int32_t heights[] = {1, 2, 3, 5, 31, 32, 33, 63, 64, 70};
    static const int bit_list[3] = {8, 4, 2};
    int in_u, bi, i;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (bi = 0; bi < 3; bi++) {
            const int bits = bit_list[bi];
            for (i = 0; i < 12; i++) {
                ea_conv_shape_t sh;
                const int32_t misalign = (i + bi) % 4;
                int32_t pad_bottom, K, rowb;
                size_t in_n, out_n;
                const uint8_t *x0, *w0;
                uint8_t *xbuf, *wbuf, *o_opt, *o_ref;
                const int32_t *bias;
                uint64_t mag;
                ea_requant_t rq;
                const int extremes = i % 5 == 4;
                sh.in_c = shapes[i][0];
                sh.k_h = shapes[i][1];
                sh.stride_h = shapes[i][2];
                sh.in_w = 1;
                sh.out_w = 1;
                sh.stride_w = 1;
                sh.out_c = i == 0 ? 16 : rnd_in(1, 17);
                sh.pad_top = rnd_in(0, sh.k_h - 1);
                pad_bottom = rnd_in(0, sh.k_h - 1);
                sh.out_h = heights[rnd_in(0, (int32_t)(sizeof heights / sizeof heights[0]) - 1)];
                sh.in_h = (sh.out_h - 1) * sh.stride_h + sh.k_h - sh.pad_top - pad_bottom;
                if (sh.in_h < 1) {
                    sh.in_h = 1;
                    sh.out_h = (sh.in_h + sh.pad_top + pad_bottom - sh.k_h) / sh.stride_h + 1;
                }
                K = sh.k_h * sh.in_c;
                rowb = ea_packed_row_bytes(K, bits);
                in_n = (size_t)(sh.in_h * sh.in_c);
                out_n = (size_t)(sh.out_h * sh.out_c);
                x0 = (const uint8_t *)make_act((int32_t)in_n, in_u, extremes);
                w0 = make_weights(sh.out_c, K, bits, extremes);
                xbuf = (uint8_t *)t_alloc((size_t)misalign + in_n);
                wbuf = (uint8_t *)t_alloc((size_t)(misalign + sh.out_c * rowb));
                memcpy(xbuf + misalign, x0, in_n);
                memcpy(wbuf + misalign, w0, (size_t)(sh.out_c * rowb));
                mag = acc_magnitude(K, bits) * (in_u ? 2u : 1u);
                bias = (i % 7 == 6) ? NULL : make_bias(sh.out_c, mag);
                o_opt = t_alloc_out(out_n);
                o_ref = t_alloc_out(out_n);
                make_requant(&rq, sh.out_c, mag, rnd() & 1, NULL, NULL);
                if (i % 3 != 2) { /* mostly the full uint8 / int8 range, which the path takes */
                    rq.act_min = rq.act_min == 0 ? 0 : -128;
                    rq.act_max = rq.act_min == 0 ? 255 : 127;
                }
                call_conv(in_u, bits, &sh, xbuf + misalign, wbuf + misalign, bias, &rq,
                          alloc_scratch(ea_conv_hx1_scratch_bytes(&sh)), o_opt);
                ea_conv_hx1_ref(&sh, xbuf + misalign, in_u, wbuf + misalign, bits, bias, &rq, o_ref);
                report_case(variant("cw_conv_hx1", in_u, bits), i, o_opt, o_ref, out_n);
                t_free_all();
            }
        }
    }
}

/* Convolutions and pointwise layers whose channels mix requantizations the assembly can do
 * (n >= 33, or n = 32 with a multiplier that still fits when doubled) with ones it cannot (n = 31
 * with a 31-bit multiplier: a first layer's scale >= 0.25), as a quantizer with 31-bit
 * multipliers writes them: only those channels may take the slow way, and every output must
 * still be exact. Shapes: REGR_13k's first convolution (which the widened-weight path would take
 * if every channel had the fast form), a wider one with a partial last block of pixels, a
 * pointwise layer, and layers whose every channel has n = 31 (the doubled accumulators make them
 * fast), also with a bias too large to double and with some n = 30 (slow even doubled). */
static void mixed_requant_cases(void)
{
    static const int bit_list[3] = {8, 4, 2};
    int in_u, bi, v, idx = 0;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (bi = 0; bi < 3; bi++) {
            for (v = 0; v < 6; v++) {
                const int bits = bit_list[bi];
                ea_conv_shape_t s;
                int32_t K, c, *m, out_n, in_n;
                int8_t *n;
                const void *in;
                const uint8_t *w;
                int32_t *bias;
                uint64_t mag;
                ea_requant_t rq;
                uint8_t *o_opt, *o_ref;
                s.in_w = 1;
                s.out_w = 1;
                s.stride_w = 1;
                if (v == 0) { /* REGR_13k conv1 */
                    s.in_h = 512, s.in_c = 6, s.out_c = 16, s.k_h = 3, s.stride_h = 2, s.pad_top = 1, s.out_h = 256;
                } else if (v == 1) { /* 7 output pixels: one full block and a partial one */
                    s.in_h = 15, s.in_c = 5, s.out_c = 13, s.k_h = 3, s.stride_h = 2, s.pad_top = 0, s.out_h = 7;
                } else if (v == 2) { /* pointwise: 10 pixels, 9 -> 11 channels */
                    s.in_h = 10, s.in_c = 9, s.out_c = 11, s.k_h = 1, s.stride_h = 1, s.pad_top = 0, s.out_h = 10;
                } else { /* v = 3: every channel n = 31 (a 2-bit layer's large scales); v = 4: also one bias
                          * >= 2^29, which rules the doubled accumulators out; v = 5: n = 30 as well, which
                          * stays slow with them; 6 pixels (a partial block) */
                    s.in_h = 12, s.in_c = 16, s.out_c = 19, s.k_h = 3, s.stride_h = 2, s.pad_top = 1, s.out_h = 6;
                }
                K = s.k_h * s.in_c;
                in_n = s.in_h * s.in_c;
                out_n = s.out_h * s.out_c;
                in = make_act(in_n, in_u, 0);
                w = make_weights(s.out_c, K, bits, 0);
                mag = acc_magnitude(K, bits) * (in_u ? 2u : 1u);
                bias = make_bias(s.out_c, mag);
                if (v == 4) {
                    bias[5] = (1 << 30) - 1 - rnd_in(0, 10); /* the most the kernels accept: doubled, it overflows */
                }
                make_requant(&rq, s.out_c, mag, in_u, &m, &n);
                for (c = 0; c < s.out_c; c++) { /* fast, fast (n = 32), slow, ... and the last one slow */
                    const int slow = v >= 3 || c % 3 == 2 || c == s.out_c - 1;
                    const int n_fast = ilog2(mag) + 23 > 33 ? ilog2(mag) + 23 : 33;
                    m[c] = rnd_in(1 << 29, (1 << 30) - 1); /* 31-bit, normalized as the quantizer makes them */
                    n[c] = (int8_t)(slow ? (v == 5 && c % 4 == 1 ? 30 : 31) : (c % 3 == 1 ? 32 : n_fast));
                }
                rq.act_min = in_u ? 0 : -128;
                rq.act_max = in_u ? 255 : 127;
                o_opt = t_alloc_out((size_t)out_n);
                o_ref = t_alloc_out((size_t)out_n);
                if (v == 2) {
                    call_pointwise(in_u, bits, s.out_h, s.in_c, s.out_c, in, w, bias, &rq,
                                   alloc_scratch(ea_pointwise_scratch_bytes(s.in_c)), o_opt);
                } else {
                    call_conv(in_u, bits, &s, in, w, bias, &rq, alloc_scratch(ea_conv_hx1_scratch_bytes(&s)), o_opt);
                }
                ea_conv_hx1_ref(&s, in, in_u, w, bits, bias, &rq, o_ref);
                report_case(variant("mixed_rq_conv", in_u, bits), idx++, o_opt, o_ref, (size_t)out_n);
                t_free_all();
            }
        }
    }
}

/* Max pooling on the channel counts of real layers (four channels per word on the DSP path, a
 * byte tail when C is not a multiple of four) with every kind of clamp: none, a raised floor,
 * a lowered ceiling, both; windows cut by the padding at both ends; in_w > 1 with stride_w. */
static void maxpool_cases(void)
{
    static const int32_t cs[] = {4, 5, 8, 12, 13, 16, 31, 64};
    int i, in_u;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (i = 0; i < 16; i++) {
            ea_pool_shape_t p;
            int32_t pad_bottom, lo, hi;
            size_t out_n;
            const void *in;
            uint8_t *o1, *o2;
            p.c = cs[i % 8];
            p.k_h = rnd_in(1, 6);
            p.in_h = rnd_in(1, 40);
            p.in_w = i % 5 == 4 ? rnd_in(2, 3) : 1;
            p.stride_h = rnd_in(1, 3);
            p.stride_w = rnd_in(1, 2);
            p.pad_top = rnd_in(0, p.k_h - 1);
            pad_bottom = rnd_in(0, p.k_h - 1);
            if (p.in_h + p.pad_top + pad_bottom < p.k_h) {
                pad_bottom = p.k_h - p.in_h - p.pad_top;
            }
            p.out_h = (p.in_h + p.pad_top + pad_bottom - p.k_h) / p.stride_h + 1;
            p.out_w = (p.in_w - 1) / p.stride_w + 1;
            lo = in_u ? 0 : -128;
            hi = in_u ? 255 : 127;
            if (i % 4 == 1 || i % 4 == 3) {
                lo = in_u ? rnd_in(1, 60) : rnd_in(-100, 10);
            }
            if (i % 4 >= 2) {
                hi = in_u ? rnd_in(100, 254) : rnd_in(20, 126);
            }
            out_n = (size_t)(p.out_h * p.out_w * p.c);
            in = make_act(p.in_h * p.in_w * p.c, in_u, i % 6 == 5);
            o1 = t_alloc_out(out_n);
            o2 = t_alloc_out(out_n);
            if (in_u) ea_maxpool_hx1_u8(&p, (const uint8_t *)in, lo, hi, o1);
            else ea_maxpool_hx1_s8(&p, (const int8_t *)in, lo, hi, o1);
            ea_maxpool_hx1_ref(&p, in, in_u, lo, hi, o2);
            report_case(in_u ? "maxpool_c_hx1_u8" : "maxpool_c_hx1_s8", i, o1, o2, out_n);
            t_free_all();
        }
    }
}

/* One global average pool case: the kernel of the input type against the reference. */
static void global_avgpool_case(const char *name, int idx, int32_t np, int32_t C, const void *in, int in_u, int32_t m,
                                int32_t n, int32_t lo, int32_t hi)
{
    uint8_t *o1 = t_alloc_out((size_t)C), *o2 = t_alloc_out((size_t)C);
    if (in_u) ea_global_avgpool_u8(np, C, (const uint8_t *)in, m, n, lo, hi, o1);
    else ea_global_avgpool_s8(np, C, (const int8_t *)in, m, n, lo, hi, o1);
    ea_global_avgpool_ref(np, C, in, in_u, m, n, lo, hi, o2);
    report_case(name, idx, o1, o2, (size_t)C);
}

static void random_pool_add_cases(void)
{
    int i, in_u;
    for (in_u = 0; in_u <= 1; in_u++) {
        for (i = 0; i < 8; i++) {
            ea_pool_shape_t p;
            ea_conv_shape_t s;
            const char *nm;
            size_t out_n;
            const void *in;
            uint8_t *o1, *o2;
            int32_t lo, hi, m, n;
            random_conv_shape(&s, i);
            p.in_h = s.in_h;
            p.in_w = s.in_w;
            p.c = s.in_c;
            p.out_h = s.out_h;
            p.out_w = s.out_w;
            p.k_h = s.k_h;
            p.stride_h = s.stride_h;
            p.stride_w = s.stride_w;
            p.pad_top = s.pad_top;
            out_n = (size_t)(p.out_h * p.out_w * p.c);
            in = make_act(p.in_h * p.in_w * p.c, in_u, i % 5 == 4);
            lo = in_u ? 0 : -128;
            hi = in_u ? 255 : 127;
            if (i % 3 == 2) { /* folded ReLU6-like clamp */
                lo = in_u ? 3 : 0;
                hi = 90;
            }
            o1 = t_alloc_out(out_n);
            o2 = t_alloc_out(out_n);
            nm = in_u ? "maxpool_hx1_u8" : "maxpool_hx1_s8";
            if (in_u) ea_maxpool_hx1_u8(&p, (const uint8_t *)in, lo, hi, o1);
            else ea_maxpool_hx1_s8(&p, (const int8_t *)in, lo, hi, o1);
            ea_maxpool_hx1_ref(&p, in, in_u, lo, hi, o2);
            report_case(nm, i, o1, o2, out_n);

            /* average: m / 2^n ~ 1 / k_h with a 16-bit multiplier, sometimes a plain power of two */
            n = 16 + rnd_in(0, 12);
            m = (int32_t)(((int64_t)1 << n) / p.k_h) + rnd_in(-3, 3);
            if (i % 4 == 1) {
                m = 1;
                n = rnd_in(0, 3);
            }
            o1 = t_alloc_out(out_n);
            o2 = t_alloc_out(out_n);
            nm = in_u ? "avgpool_hx1_u8" : "avgpool_hx1_s8";
            if (in_u) ea_avgpool_hx1_u8(&p, (const uint8_t *)in, m, n, lo, hi, o1);
            else ea_avgpool_hx1_s8(&p, (const int8_t *)in, m, n, lo, hi, o1);
            ea_avgpool_hx1_ref(&p, in, in_u, m, n, lo, hi, o2);
            report_case(nm, i, o1, o2, out_n);

            /* global average over all pixels */
            {
                const int32_t np = p.in_h * p.in_w;
                n = 20 + rnd_in(0, 10);
                m = (int32_t)(((int64_t)1 << n) / np);
                global_avgpool_case(in_u ? "global_avgpool_u8" : "global_avgpool_s8", i, np, p.c, in, in_u, m, n, lo, hi);

                /* as generated code has it: a 31-bit multiplier with 1/np folded into n, so n lands
                 * on either side of 33 (the pools requantize n < 33 on the fast path when the sums
                 * are small enough: ea_pool_rq_shift) */
                m = 0x40000000 + rnd_in(0, 0x3FFFFFFF);
                n = 31 + rnd_in(-2, 1);
                {
                    int32_t lg = 0;
                    while ((1 << lg) < np && lg < 8) {
                        lg++;
                    }
                    n += lg;
                }
                global_avgpool_case(in_u ? "global_avgpool_u8_m31" : "global_avgpool_s8_m31", i, np, p.c, in, in_u, m, n,
                                    lo, hi);
                o1 = t_alloc_out(out_n);
                o2 = t_alloc_out(out_n);
                nm = in_u ? "avgpool_hx1_u8_m31" : "avgpool_hx1_s8_m31";
                n = 31 + (p.k_h > 2) + (p.k_h > 4) + rnd_in(-2, 1);
                if (in_u) ea_avgpool_hx1_u8(&p, (const uint8_t *)in, m, n, lo, hi, o1);
                else ea_avgpool_hx1_s8(&p, (const int8_t *)in, m, n, lo, hi, o1);
                ea_avgpool_hx1_ref(&p, in, in_u, m, n, lo, hi, o2);
                report_case(nm, i, o1, o2, out_n);
            }
            t_free_all();
        }
    }
    /* residual add: a (s8 or u8) + b at different scales */
    for (i = 0; i < 18; i++) {
        const int kind = i % 3; /* 0: s8+s8, 1: u8+u8, 2: s8+u8 */
        const int a_u = kind == 1, b_u = kind >= 1;
        const int32_t len = rnd_in(1, 77);
        const void *a = make_act(len, a_u, i % 5 == 4), *b = make_act(len, b_u, i % 5 == 4);
        const int32_t n = rnd_in(0, 29);
        const int32_t div_a = rnd_in(1, 4);
        const int32_t m_a = (int32_t)(((int64_t)1 << n) / div_a) + rnd_in(-5, 5);
        const int32_t div_b = rnd_in(1, 4);
        const int32_t m_b = (int32_t)(((int64_t)1 << n) / div_b) - rnd_in(-5, 5);
        const int out_u = rnd() & 1;
        const int32_t lo = out_u ? 0 : -128, hi = out_u ? 255 : 127;
        uint8_t *o1 = t_alloc_out((size_t)len), *o2 = t_alloc_out((size_t)len);
        static const char *names[3] = {"add_s8_s8", "add_u8_u8", "add_s8_u8"};
        if (kind == 0) ea_add_s8_s8((const int8_t *)a, (const int8_t *)b, len, m_a, m_b, n, lo, hi, o1);
        if (kind == 1) ea_add_u8_u8((const uint8_t *)a, (const uint8_t *)b, len, m_a, m_b, n, lo, hi, o1);
        if (kind == 2) ea_add_s8_u8((const int8_t *)a, (const uint8_t *)b, len, m_a, m_b, n, lo, hi, o1);
        ea_add_ref(a, a_u, b, b_u, len, m_a, m_b, n, lo, hi, o2);
        report_case(names[kind], i, o1, o2, (size_t)len);
        t_free_all();
    }
    /* requant_s32 against the scalar contract function */
    for (i = 0; i < 6; i++) {
        const int32_t np = rnd_in(1, 7), ch = rnd_in(1, 9);
        int32_t *acc = (int32_t *)t_alloc(sizeof(int32_t) * (size_t)(np * ch));
        uint8_t *o1 = t_alloc_out((size_t)(np * ch)), *o2 = t_alloc_out((size_t)(np * ch));
        ea_requant_t rq;
        int32_t j;
        make_requant(&rq, ch, 1u << 20, i & 1, NULL, NULL);
        for (j = 0; j < np * ch; j++) {
            acc[j] = rnd_in(-(1 << 21), 1 << 21);
            o2[j] = (uint8_t)ea_requantize(acc[j], rq.mult[j % ch], rq.shift[j % ch], rq.act_min, rq.act_max);
        }
        ea_requant_s32(acc, np, ch, &rq, o1);
        report_case("requant_s32", i, o1, o2, (size_t)(np * ch));
        t_free_all();
    }
}

/* ------------------------------------------------------------------ float cases */
static float rnd_float(void)
{
    /* uniform in about [-2, 2), exactly representable steps of 2^-20 */
    return (float)((int32_t)(rnd() >> 10) - (1 << 21)) * (1.0f / 1048576.0f);
}

static float *make_floats(int32_t n)
{
    float *p = (float *)t_alloc(sizeof(float) * (size_t)n);
    int32_t i;
    for (i = 0; i < n; i++) {
        p[i] = rnd_float();
    }
    return p;
}

static double dabs(double v)
{
    return v < 0 ? -v : v;
}

/* float result vs a double-precision evaluation: |y - exact| <= (terms + 2) * 2^-23 * sum|terms| */
static int close_to(float y, double exact, double abs_sum, int32_t terms)
{
    const double tol = (double)(terms + 2) * (1.0 / 8388608.0) * (abs_sum + 1e-30);
    return dabs((double)y - exact) <= tol;
}

static void report_float_case(const char *name, int idx, const float *y, size_t n, int ok)
{
    printf("case %s#%d fnv1a=%08lx %s\n", name, idx, (unsigned long)fnv1a(y, n * sizeof(float)), ok ? "ok" : "FAIL");
    check(ok, name);
}

static void random_float_cases(void)
{
    int idx;
    for (idx = 0; idx < 10; idx++) {
        ea_conv_shape_t s;
        float *in, *w, *bias, *out, *dw_out, *dw_w;
        int32_t oh, ow, c, i, ci, ok = 1, ok_dw = 1;
        const float lo = (idx % 3 == 0) ? 0.0f : -1e30f, hi = (idx % 3 == 0) ? 6.0f : 1e30f;
        random_conv_shape(&s, idx);
        in = make_floats(s.in_h * s.in_w * s.in_c);
        w = make_floats(s.out_c * s.k_h * s.in_c);
        dw_w = make_floats(s.in_c * s.k_h);
        bias = make_floats(s.out_c > s.in_c ? s.out_c : s.in_c);
        out = (float *)t_alloc(sizeof(float) * (size_t)(s.out_h * s.out_w * s.out_c));
        dw_out = (float *)t_alloc(sizeof(float) * (size_t)(s.out_h * s.out_w * s.in_c));
        ea_conv_hx1_f32(&s, in, w, bias, lo, hi, out);
        ea_dw_conv_hx1_f32(&s, in, dw_w, bias, lo, hi, dw_out);
        for (oh = 0; oh < s.out_h; oh++) {
            for (ow = 0; ow < s.out_w; ow++) {
                for (c = 0; c < s.out_c; c++) {
                    double e = bias[c], a = dabs(bias[c]);
                    for (i = 0; i < s.k_h; i++) {
                        const int32_t ih = oh * s.stride_h - s.pad_top + i;
                        if (ih < 0 || ih >= s.in_h) continue;
                        for (ci = 0; ci < s.in_c; ci++) {
                            const double t = (double)in[(ih * s.in_w + ow * s.stride_w) * s.in_c + ci] *
                                             w[(c * s.k_h + i) * s.in_c + ci];
                            e += t;
                            a += dabs(t);
                        }
                    }
                    e = e < lo ? lo : (e > hi ? hi : e);
                    ok &= close_to(out[(oh * s.out_w + ow) * s.out_c + c], e, a, s.k_h * s.in_c);
                }
                for (c = 0; c < s.in_c; c++) {
                    double e = bias[c], a = dabs(bias[c]);
                    for (i = 0; i < s.k_h; i++) {
                        const int32_t ih = oh * s.stride_h - s.pad_top + i;
                        if (ih < 0 || ih >= s.in_h) continue;
                        e += (double)in[(ih * s.in_w + ow * s.stride_w) * s.in_c + c] * dw_w[c * s.k_h + i];
                        a += dabs((double)in[(ih * s.in_w + ow * s.stride_w) * s.in_c + c] * dw_w[c * s.k_h + i]);
                    }
                    e = e < lo ? lo : (e > hi ? hi : e);
                    ok_dw &= close_to(dw_out[(oh * s.out_w + ow) * s.in_c + c], e, a, s.k_h);
                }
            }
        }
        report_float_case("conv_hx1_f32", idx, out, (size_t)(s.out_h * s.out_w * s.out_c), ok);
        report_float_case("dw_conv_hx1_f32", idx, dw_out, (size_t)(s.out_h * s.out_w * s.in_c), ok_dw);

        /* pools over the same input */
        {
            ea_pool_shape_t p;
            float *mx, *av, *ga;
            int okm = 1, oka = 1, okg = 1;
            p.in_h = s.in_h;
            p.in_w = s.in_w;
            p.c = s.in_c;
            p.out_h = s.out_h;
            p.out_w = s.out_w;
            p.k_h = s.k_h;
            p.stride_h = s.stride_h;
            p.stride_w = s.stride_w;
            p.pad_top = s.pad_top;
            mx = (float *)t_alloc(sizeof(float) * (size_t)(p.out_h * p.out_w * p.c));
            av = (float *)t_alloc(sizeof(float) * (size_t)(p.out_h * p.out_w * p.c));
            ga = (float *)t_alloc(sizeof(float) * (size_t)p.c);
            ea_maxpool_hx1_f32(&p, in, mx);
            ea_avgpool_hx1_f32(&p, in, av);
            ea_global_avgpool_f32(p.in_h * p.in_w, p.c, in, ga);
            for (oh = 0; oh < p.out_h; oh++) {
                for (ow = 0; ow < p.out_w; ow++) {
                    for (c = 0; c < p.c; c++) {
                        double best = 0, sum = 0, a = 0;
                        int any = 0;
                        for (i = 0; i < p.k_h; i++) {
                            const int32_t ih = oh * p.stride_h - p.pad_top + i;
                            double x;
                            if (ih < 0 || ih >= p.in_h) continue;
                            x = in[(ih * p.in_w + ow * p.stride_w) * p.c + c];
                            if (!any || x > best) best = x;
                            any = 1;
                            sum += x;
                            a += dabs(x);
                        }
                        okm &= (double)mx[(oh * p.out_w + ow) * p.c + c] == best;
                        oka &= close_to(av[(oh * p.out_w + ow) * p.c + c], sum / p.k_h, a, p.k_h + 1);
                    }
                }
            }
            for (c = 0; c < p.c; c++) {
                double sum = 0, a = 0;
                for (i = 0; i < p.in_h * p.in_w; i++) {
                    sum += in[i * p.c + c];
                    a += dabs(in[i * p.c + c]);
                }
                okg &= close_to(ga[c], sum / (p.in_h * p.in_w), a, p.in_h * p.in_w + 1);
            }
            report_float_case("maxpool_hx1_f32", idx, mx, (size_t)(p.out_h * p.out_w * p.c), okm);
            report_float_case("avgpool_hx1_f32", idx, av, (size_t)(p.out_h * p.out_w * p.c), oka);
            report_float_case("global_avgpool_f32", idx, ga, (size_t)p.c, okg);
        }
        t_free_all();
    }
    for (idx = 0; idx < 8; idx++) {
        const int32_t ni = rnd_in(1, 100);
        const int32_t no = rnd_in(1, 10);
        float *in = make_floats(ni), *w = make_floats(ni * no), *b = make_floats(no);
        float *out = (float *)t_alloc(sizeof(float) * (size_t)no), *sum = (float *)t_alloc(sizeof(float) * (size_t)ni);
        int32_t o, i, ok = 1, ok_add = 1;
        ea_dense_f32(ni, no, in, w, idx & 1 ? b : NULL, -1e30f, 1e30f, out);
        for (o = 0; o < no; o++) {
            double e = idx & 1 ? b[o] : 0.0, a = dabs(e);
            for (i = 0; i < ni; i++) {
                e += (double)in[i] * w[o * ni + i];
                a += dabs((double)in[i] * w[o * ni + i]);
            }
            ok &= close_to(out[o], e, a, ni);
        }
        report_float_case("dense_f32", idx, out, (size_t)no, ok);
        ea_add_f32(in, w, ni, -1.0f, 1.5f, sum);
        for (i = 0; i < ni; i++) {
            double e = (double)in[i] + w[i];
            e = e < -1.0 ? -1.0 : (e > 1.5 ? 1.5 : e);
            ok_add &= close_to(sum[i], e, dabs(in[i]) + dabs(w[i]), 1);
        }
        report_float_case("add_f32", idx, sum, (size_t)ni, ok_add);
        t_free_all();
    }
    /* quantize / dequantize round trips: dequantize is exact to one rounding, quantize of a
     * dequantized value returns it (scale a power of two keeps everything exact). */
    for (idx = 0; idx < 4; idx++) {
        const int32_t n = 256;
        uint8_t *q = (uint8_t *)t_alloc((size_t)n), *q2 = t_alloc_out((size_t)n);
        float *f = (float *)t_alloc(sizeof(float) * (size_t)n);
        const int u = idx & 1;
        const float scale = idx < 2 ? 0.0625f : 0.0078125f;
        int32_t i, ok = 1;
        for (i = 0; i < n; i++) {
            q[i] = (uint8_t)i;
        }
        if (u) ea_dequantize_u8_f32(q, n, scale, f);
        else ea_dequantize_s8_f32((const int8_t *)q, n, scale, f);
        for (i = 0; i < n; i++) {
            const double want = (u ? (double)q[i] : (double)(int8_t)q[i]) * scale;
            ok &= (double)f[i] == want;
        }
        ea_quantize_f32(f, n, 1.0f / scale, u ? 0 : -128, u ? 255 : 127, q2);
        ok &= memcmp(q, q2, (size_t)n) == 0 && guard_ok(q2, (size_t)n);
        report_float_case(u ? "dequantize_u8_f32" : "dequantize_s8_f32", idx, f, (size_t)n, ok);
        t_free_all();
    }
    for (idx = 0; idx < 4; idx++) {
        const int32_t n = 64;
        float *f = make_floats(n);
        uint8_t *q = t_alloc_out((size_t)n);
        const float inv = idx < 2 ? 64.0f : 100.0f;
        int32_t i, ok = 1;
        ea_quantize_f32(f, n, inv, idx & 1 ? 0 : -128, idx & 1 ? 255 : 127, q);
        for (i = 0; i < n; i++) {
            /* exact check of round-half-even via doubles: v is the float product */
            const float v = f[i] * inv;
            double r = (double)(int32_t)(v < 0 ? v - 0.5f : v + 0.5f); /* half away from zero */
            if ((double)v - (double)(int32_t)v == 0.5 || (double)(int32_t)v - (double)v == 0.5) {
                const int32_t t = (int32_t)v; /* truncated */
                r = (t % 2 == 0) ? t : (v < 0 ? t - 1 : t + 1);
            }
            r = r < (idx & 1 ? 0 : -128) ? (idx & 1 ? 0 : -128) : (r > (idx & 1 ? 255 : 127) ? (idx & 1 ? 255 : 127) : r);
            ok &= (idx & 1 ? (double)q[i] : (double)(int8_t)q[i]) == r;
        }
        ok &= guard_ok(q, (size_t)n);
        printf("case quantize_f32#%d fnv1a=%08lx %s\n", idx, (unsigned long)fnv1a(q, (size_t)n), ok ? "ok" : "FAIL");
        check(ok, "quantize_f32");
        t_free_all();
    }
}

/* ------------------------------------------------------------------ hand-computed contract cases */
static void contract_cases(void)
{
    /* shifts of negative values are arithmetic (the requantization relies on it) */
    {
        volatile int32_t m3 = -3;
        volatile int64_t m3l = -3;
        check_i32(m3 >> 1, -2, "int32 >> is arithmetic");
        check_i32((int32_t)(m3l >> 1), -2, "int64 >> is arithmetic");
    }
    /* requantization: round half up (toward +inf), r = 0 for n = 0, left shift for n < 0 */
    check_i32(ea_requantize(5, 1, 1, -128, 127), 3, "rq 2.5 -> 3");
    check_i32(ea_requantize(-5, 1, 1, -128, 127), -2, "rq -2.5 -> -2");
    check_i32(ea_requantize(3, 1, 1, -128, 127), 2, "rq 1.5 -> 2");
    check_i32(ea_requantize(-3, 1, 1, -128, 127), -1, "rq -1.5 -> -1");
    check_i32(ea_requantize(-6, 1, 2, -128, 127), -1, "rq -1.5 (n=2) -> -1");
    check_i32(ea_requantize(-7, 1, 2, -128, 127), -2, "rq -1.75 -> -2");
    check_i32(ea_requantize(7, 1, 2, -128, 127), 2, "rq 1.75 -> 2");
    check_i32(ea_requantize(9, 3, 0, -128, 127), 27, "rq n=0 has r=0");
    check_i32(ea_requantize(-9, 3, 0, -128, 127), -27, "rq n=0 negative");
    check_i32(ea_requantize(3, 5, -2, -128, 127), 60, "rq n=-2 multiplies by 4");
    check_i32(ea_requantize(-3, 5, -3, -128, 127), -120, "rq n=-3 negative");
    check_i32(ea_requantize(0x7FFFFFFF, 0x7FFFFFFF, -31, -128, 127), 127, "rq n=-31 saturates high");
    check_i32(ea_requantize(-0x7FFFFFFF, 0x7FFFFFFF, -31, -128, 127), -128, "rq n=-31 saturates low");
    check_i32(ea_requantize(-7, -3, 1, -128, 127), 11, "rq negative multiplier 10.5 -> 11");
    check_i32(ea_requantize(1000, 1, 0, 0, 255), 255, "rq clamp uint8 high");
    check_i32(ea_requantize(-1000, 1, 0, 0, 255), 0, "rq clamp uint8 low (ReLU)");
    check_i32(ea_requantize(1000, 1, 0, 0, 6), 6, "rq ReLU6 clamp");
    check_i32(ea_requantize(0x7FFFFFFF, 0x7FFFFFFF, 62, -128, 127), 1, "rq n=62: (2^31-1)^2 / 2^62 -> 1");

    /* The same through a kernel (dense 1 -> 1, weight 1), which uses the fast path for n >= 33:
     * x * 2^30 / 2^33 = x / 8 and x * 2^30 / 2^34 = x / 16. */
    {
        static const int8_t xs[] = {12, -12, -20, 20, 10, -13, 127, -128};
        static const int8_t want33[] = {2, -1, -2, 3, 1, -2, 16, -16};
        static const int8_t want34[] = {1, -1, -1, 1, 1, -1, 8, -8};
        static const uint8_t w1[1] = {1};
        const int32_t m = 1 << 30;
        int8_t n33 = 33, n34 = 34, got33[8], got34[8], ref33[8];
        uint32_t scratch[64];
        ea_requant_t rq;
        int i;
        rq.mult = &m;
        rq.act_min = -128;
        rq.act_max = 127;
        for (i = 0; i < 8; i++) {
            rq.shift = &n33;
            ea_dense_s8_w8(1, 1, &xs[i], w1, NULL, &rq, scratch, &got33[i]);
            ea_dense_ref(1, 1, &xs[i], 0, w1, 8, NULL, &rq, &ref33[i]);
            rq.shift = &n34;
            ea_dense_s8_w8(1, 1, &xs[i], w1, NULL, &rq, scratch, &got34[i]);
        }
        check(ea_dense_scratch_bytes(1) <= sizeof scratch, "dense scratch fits");
        check_bytes(got33, want33, 8, "dense fast requant n=33");
        check_bytes(ref33, want33, 8, "dense_ref requant n=33");
        check_bytes(got34, want34, 8, "dense fast requant n=34");
    }

    /* packing bit order: element k at bit offset k*b, low bits first; rows start on byte boundaries */
    {
        /* int4: row0 = {1, 2, 7, -1} = 0x21 0xF7; dot with {1,2,3,4} = 1+4+21-4 = 22 */
        static const uint8_t w4[2] = {0x21, 0xF7};
        /* int2: byte 0xE4 = 11 10 01 00 -> {0, 1, -2, -1}; dot with {5,7,11,13} = 0+7-22-13 = -28 */
        static const uint8_t w2[1] = {0xE4};
        /* int4, 3 elements per row: 1.5 bytes -> 2 bytes per row, high nibble of byte 1 unused (0xA)
         * row0 = {1, 2, 3} = 0x21 0xA3, row1 = {-1, 1, 2} = 0x1F 0x02; with x = {1,2,3}: 14, 7 */
        static const uint8_t w4r[4] = {0x21, 0xA3, 0x1F, 0x02};
        /* int2, 5 elements per row: 10 bits -> 2 bytes; row0 = {1,-1,0,1,-1} = 0b01001101 (0x4D), 0b11 (garbage 0xF0)
         * row1 = {-1,-1,-1,-1,1} = 0xFF 0x01; with x = {1,2,3,4,5}: 1-2+4-5 = -2 and -10+5 = -5 */
        static const uint8_t w2r[4] = {0x4D, 0xF3, 0xFF, 0x01};
        static const int8_t x4[4] = {1, 2, 3, 4}, x2[4] = {5, 7, 11, 13}, x3[5] = {1, 2, 3, 4, 5};
        static const int8_t want_a[1] = {22}, want_b[1] = {-28}, want_c[2] = {14, 7}, want_d[2] = {-2, -5};
        const int32_t m[2] = {1, 1};
        const int8_t n[2] = {0, 0};
        int8_t got[2], ref[2];
        uint32_t scratch[64];
        ea_requant_t rq;
        rq.mult = m;
        rq.shift = n;
        rq.act_min = -128;
        rq.act_max = 127;
        ea_dense_s8_w4(4, 1, x4, w4, NULL, &rq, scratch, got);
        ea_dense_ref(4, 1, x4, 0, w4, 4, NULL, &rq, ref);
        check(ea_dense_scratch_bytes(5) <= sizeof scratch, "dense scratch fits");
        check_bytes(got, want_a, 1, "int4 packing order (kernel)");
        check_bytes(ref, want_a, 1, "int4 packing order (ref)");
        ea_dense_s8_w2(4, 1, x2, w2, NULL, &rq, scratch, got);
        ea_dense_ref(4, 1, x2, 0, w2, 2, NULL, &rq, ref);
        check_bytes(got, want_b, 1, "int2 packing order (kernel)");
        check_bytes(ref, want_b, 1, "int2 packing order (ref)");
        ea_dense_s8_w4(3, 2, x4, w4r, NULL, &rq, scratch, got);
        ea_dense_ref(3, 2, x4, 0, w4r, 4, NULL, &rq, ref);
        check_bytes(got, want_c, 2, "int4 rows end mid-byte (kernel)");
        check_bytes(ref, want_c, 2, "int4 rows end mid-byte (ref)");
        ea_dense_s8_w2(5, 2, x3, w2r, NULL, &rq, scratch, got);
        ea_dense_ref(5, 2, x3, 0, w2r, 2, NULL, &rq, ref);
        check_bytes(got, want_d, 2, "int2 rows end mid-byte (kernel)");
        check_bytes(ref, want_d, 2, "int2 rows end mid-byte (ref)");
        check_i32(ea_packed_row_bytes(3, 4), 2, "row bytes 3 x int4");
        check_i32(ea_packed_row_bytes(5, 2), 2, "row bytes 5 x int2");
        check_i32(ea_packed_row_bytes(96, 4), 48, "row bytes 96 x int4");
    }

    /* 1-D conv, stride 2, pad 1: x = {1,2,3,4}, w = {1,1,1}, out_h = 3 (bottom padding 2):
     * rows {-1,0,1} -> 3, {1,2,3} -> 9, {3,4,5} -> 4 */
    {
        static const int8_t x[4] = {1, 2, 3, 4};
        static const uint8_t w[3] = {1, 1, 1};
        static const int8_t want[3] = {3, 9, 4};
        static const int8_t want_dw[3] = {3, 9, 4};
        const int32_t m = 1;
        const int8_t n = 0;
        int8_t got[3], ref[3];
        uint32_t scratch[64];
        ea_conv_shape_t s;
        ea_requant_t rq;
        s.in_h = 4;
        s.in_w = 1;
        s.in_c = 1;
        s.out_h = 3;
        s.out_w = 1;
        s.out_c = 1;
        s.k_h = 3;
        s.stride_h = 2;
        s.stride_w = 1;
        s.pad_top = 1;
        rq.mult = &m;
        rq.shift = &n;
        rq.act_min = -128;
        rq.act_max = 127;
        check(ea_conv_hx1_scratch_bytes(&s) <= sizeof scratch, "conv scratch fits");
        ea_conv_hx1_s8_w8(&s, x, w, NULL, &rq, scratch, got);
        ea_conv_hx1_ref(&s, x, 0, w, 8, NULL, &rq, ref);
        check_bytes(got, want, 3, "conv stride 2 pad 1 (kernel)");
        check_bytes(ref, want, 3, "conv stride 2 pad 1 (ref)");
        ea_dw_conv_hx1_s8_w8(&s, x, w, NULL, &rq, got);
        check_bytes(got, want_dw, 3, "depthwise stride 2 pad 1");
    }

    /* average pooling: sum {3,4} * 1 >> 1 = 3.5 -> 4; {-3,-4} -> -3.5 -> -3; padded tap counts zero */
    {
        static const int8_t x[4] = {3, 4, -3, -4};
        int8_t got[3];
        ea_pool_shape_t p;
        p.in_h = 4;
        p.in_w = 1;
        p.c = 1;
        p.k_h = 2;
        p.stride_h = 1;
        p.stride_w = 1;
        p.pad_top = 0;
        p.out_h = 3;
        p.out_w = 1;
        /* windows {3,4} = 3.5 -> 4, {4,-3} = 0.5 -> 1, {-3,-4} = -3.5 -> -3 */
        {
            static const int8_t want[3] = {4, 1, -3};
            ea_avgpool_hx1_s8(&p, x, 1, 1, -128, 127, got);
            check_bytes(got, want, 3, "avgpool round half up");
        }
        p.pad_top = 1;
        p.out_h = 2;
        p.stride_h = 2;
        /* windows {pad,3} = 1.5 -> 2, {4,-3} = 0.5 -> 1 */
        {
            static const int8_t want[2] = {2, 1};
            ea_avgpool_hx1_s8(&p, x, 1, 1, -128, 127, got);
            check_bytes(got, want, 2, "avgpool padding counts as zero");
            ea_maxpool_hx1_s8(&p, x, -128, 127, got);
            {
                static const int8_t wmax[2] = {3, 4};
                check_bytes(got, wmax, 2, "maxpool skips padding");
            }
        }
        {
            static const int8_t want[1] = {0};
            ea_global_avgpool_s8(4, 1, x, 1, 2, -128, 127, got); /* 0 / 4 */
            check_bytes(got, want, 1, "global avgpool");
        }
    }

    /* residual add, m_a = 3, m_b = 4, n = 2: 3*3 + (-2)*4 = 1 -> 0.25 -> 0; 10*3 + 1*4 = 34 -> 8.5 -> 9 */
    {
        static const int8_t a[3] = {3, 10, -1};
        static const uint8_t bu[3] = {0, 1, 200};
        static const int8_t b[3] = {-2, 1, 100};
        int8_t got[3];
        /* third element: -1*3 + 100*4 = 397 -> 99.25 -> 99 */
        static const int8_t want2[3] = {0, 9, 99};
        ea_add_s8_s8(a, b, 3, 3, 4, 2, -128, 127, got);
        check_bytes(got, want2, 3, "add s8+s8");
        /* 3*3+0 = 9 -> 2.25 -> 2; 34 -> 9; -3 + 800 = 797 -> 199.25 -> 199, clamp 255 -> stored byte */
        ea_add_s8_u8(a, bu, 3, 3, 4, 2, 0, 255, got);
        {
            static const int8_t w3[3] = {2, 9, (int8_t)199};
            check_bytes(got, w3, 3, "add s8+u8 to uint8");
        }
    }

    /* LUT: int8 x indexes table[(uint8_t)x] */
    {
        uint8_t table[256];
        static const int8_t x[4] = {0, 1, -1, -128};
        static const int8_t want[4] = {(int8_t)255, (int8_t)254, 0, 127};
        int8_t got[4];
        int i;
        for (i = 0; i < 256; i++) {
            table[i] = (uint8_t)(255 - i);
        }
        ea_lut_8(x, 4, table, got);
        check_bytes(got, want, 4, "lut indexing");
    }
    /* clamp kernels: ReLU on int8 gives uint8 bytes; ReLU6 */
    {
        static const int8_t x[4] = {-5, 0, 7, 127};
        static const int8_t want[4] = {0, 0, 6, 6};
        int8_t got[4];
        ea_clamp_s8(x, 4, 0, 6, got);
        check_bytes(got, want, 4, "clamp s8 relu6");
    }

    /* round half to even quantization */
    {
        float v[14];
        static const int8_t want[14] = {0, 2, 2, 0, -2, -2, 126, 127, 127, -128, 0, 0, 3, 2};
        int8_t got[14];
        uint8_t gotu[3];
        static const float vu[3] = {-3.0f, 255.5f, 254.5f};
        static const int8_t wantu[3] = {0, (int8_t)255, (int8_t)254};
        volatile float zero = 0.0f;
        v[0] = 0.5f;
        v[1] = 1.5f;
        v[2] = 2.5f;
        v[3] = -0.5f;
        v[4] = -1.5f;
        v[5] = -2.5f;
        v[6] = 126.5f;
        v[7] = 127.5f;
        v[8] = 200.0f;
        v[9] = -300.0f;
        v[10] = zero / zero; /* NaN -> 0 */
        v[11] = 0.49999997f;
        v[12] = 3.4999998f;
        v[13] = 1.75f;
        ea_quantize_f32(v, 13, 1.0f, -128, 127, got);
        ea_quantize_f32(&v[13], 1, 1.0f, -128, 127, &got[13]);
        check_bytes(got, want, 14, "quantize round half to even");
        ea_quantize_f32(vu, 3, 1.0f, 0, 255, gotu);
        check_bytes(gotu, wantu, 3, "quantize uint8");
        {
            /* x * inv_scale is rounded to float first: 0.75 * 2 = 1.5 -> 2, 1.25 * 2 = 2.5 -> 2 */
            static const float vs[2] = {0.75f, 1.25f};
            static const int8_t ws[2] = {2, 2};
            ea_quantize_f32(vs, 2, 2.0f, -128, 127, got);
            check_bytes(got, ws, 2, "quantize scales first");
        }
        check(ea_round_half_even_f32(8388607.5f) == 8388608.0f, "rne near 2^23");
        check(ea_round_half_even_f32(-4.5f) == -4.0f, "rne -4.5");
        check(ea_round_half_even_f32(1e10f) == 1e10f, "rne large");
    }

    /* float summation order: bias first, then taps ascending. acc = 1 + 1e8 = 1e8 (rounded), then
     * - 1e8 = 0; any other order would give 1. */
    {
        static const float x[2] = {1.0f, 1.0f};
        static const float w[2] = {1e8f, -1e8f};
        static const float b[1] = {1.0f};
        float y[1];
        ea_conv_shape_t s;
        ea_dense_f32(2, 1, x, w, b, -1e30f, 1e30f, y);
        check(y[0] == 0.0f, "dense_f32 order: bias, then i ascending");
        s.in_h = 2;
        s.in_w = 1;
        s.in_c = 1;
        s.out_h = 1;
        s.out_w = 1;
        s.out_c = 1;
        s.k_h = 2;
        s.stride_h = 1;
        s.stride_w = 1;
        s.pad_top = 0;
        ea_conv_hx1_f32(&s, x, w, b, -1e30f, 1e30f, y);
        check(y[0] == 0.0f, "conv_hx1_f32 order: bias, then kh ascending");
        ea_dw_conv_hx1_f32(&s, x, w, b, -1e30f, 1e30f, y);
        check(y[0] == 0.0f, "dw_conv_hx1_f32 order");
    }
}

int main(void)
{
    printf("edgeamp kernel tests\n");
    contract_cases();
    printf("contract checks: %d passed, %d failed\n", g_passed, g_failed);
    random_integer_cases();
    regr13k_cases();
    random_pool_add_cases();
    random_float_cases();
    dense_layout_cases();
    dense_chunk_cases();
    cw_conv_cases();
    mixed_requant_cases();
    maxpool_cases();
    printf("%d passed, %d failed\n", g_passed, g_failed);
    return g_failed != 0;
}
