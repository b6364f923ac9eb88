/* EdgeAMP firmware harness: a UART command interpreter that loads an input, runs the model
 * (include/edgeamp/model_api.h) and reports latency and outputs. DESIGN.md "Firmware harness
 * protocol" is the contract; this is the subset of the MLPerf Tiny / EEMBC host protocol
 * (EEMBC monitor "ee_main" / MLPerf Tiny api/internally_implemented.cpp) that it names.
 *
 * Wire format (host -> DUT): ASCII commands terminated by '%', words separated by spaces.
 * '\r' and '\n' are ignored, so a person can type commands in a terminal.
 * Wire format (DUT -> host): one message per line, "\r\n" line ends (as EEMBC's EE_MSG_* do),
 * "m-..." for messages, "e-[...]" for errors; every command's reply ends with "m-ready".
 *
 *   boot                 m-init-done, m-ready                           (EEMBC: same)
 *   name%                m-name-dut-<model>                             (EEMBC: m-name-dut-[vendor])
 *   profile%             m-profile-[...], m-model-[<model>], plus our m-board-[...], m-timer-[unit]
 *   db load N%           m-[Expecting N bytes]                          (EEMBC: same)
 *   db <hex>%            appends bytes; m-load-done when N are in      (EEMBC: same)
 *   infer N W%           m-warmup-start-W, m-warmup-done, m-infer-start-N, then per timed run
 *                        m-lap-cycles-<c> and m-lap-us-<u>, then (models built with per-layer
 *                        profiling only) one m-layer-<i>-[<name>,<kind>,<shape>,<bits>]-<c> per layer
 *                        for the last timed run, then m-results-[...], m-infer-done
 *   results%             m-results-[...] of the last inference           (EEMBC: same command)
 *   errors               e-[Unknown command: <cmd>], e-[...]
 *
 * Where we differ from EEMBC's runner, on purpose (DESIGN.md is binding):
 *  - m-lap-cycles-/m-lap-us- are per-run durations, not EEMBC's two timestamps around the whole
 *    batch; EEMBC's runner, which subtracts its first two m-lap-us values, would misread them.
 *  - m-results comes before m-infer-done (EEMBC prints m-infer-done first).
 *  - m-results-[...] holds the raw int8/uint8 output integers, not dequantized floats.
 *  - Under QEMU the "cycles" are instruction counts (SysTick with -icount shift=0) and the "us"
 *    are virtual microseconds = instructions / 1000; `profile%` says which (m-timer-[...]).
 *  - Stricter input checks: hex beyond the announced size, infer before a complete load, or a
 *    load size different from the model input are errors (EEMBC ignores or accepts them).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "edgeamp/model_api.h"
#include "edgeamp/port.h"

#ifndef EA_HARNESS_INPUT_MAX
#define EA_HARNESS_INPUT_MAX 65536u /* db buffer; a model with a larger input fails at boot */
#endif
#ifndef EA_HARNESS_OUTPUT_MAX
#define EA_HARNESS_OUTPUT_MAX 4096u
#endif
#ifndef EA_HARNESS_CMD_MAX
#define EA_HARNESS_CMD_MAX 1024u /* one command incl. "db <hex>": up to 509 bytes per chunk */
#endif

#define EA_HARNESS_VERSION "EdgeAMP harness 1.0"

static int8_t s_input[EA_HARNESS_INPUT_MAX];
static int8_t s_output[EA_HARNESS_OUTPUT_MAX];
static size_t s_load_size;  /* announced by db load, 0 = nothing announced */
static size_t s_load_pos;   /* bytes received so far */
static int s_have_results;
static int s_model_ok;

/* ---- output helpers (no printf: small, and independent of newlib's stdio state) ---- */

static void put(const char *s)
{
    ea_port_puts(s);
}

static void put_line(const char *s)
{
    ea_port_puts(s);
    ea_port_puts("\r\n");
}

static void put_u64(uint64_t v)
{
    char buf[21];
    int i = (int)sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    ea_port_puts(&buf[i]);
}

static void put_i32(int32_t v)
{
    if (v < 0) {
        ea_port_putc('-');
        put_u64((uint64_t)(-(int64_t)v));
    } else {
        put_u64((uint64_t)v);
    }
}

static void put_error(const char *msg, const char *arg)
{
    put("e-[");
    put(msg);
    if (arg) {
        put(arg);
    }
    put_line("]");
}

/* ---- parsing helpers ---- */

/* Decimal without sign; rejects empty strings, other characters and values above max. */
static int parse_size(const char *s, size_t max, size_t *out)
{
    size_t v = 0;
    if (s == NULL || *s == '\0') {
        return -1;
    }
    for (; *s; s++) {
        size_t d;
        if (*s < '0' || *s > '9') {
            return -1;
        }
        d = (size_t)(*s - '0');
        if (v > (max - d) / 10u) {
            return -1;
        }
        v = v * 10u + d;
    }
    *out = v;
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Splits cmd in place at spaces; returns the number of words (at most max). */
static int split_words(char *cmd, char **words, int max)
{
    int n = 0;
    char *p = cmd;
    while (*p && n < max) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        words[n++] = p;
        while (*p && *p != ' ') {
            p++;
        }
    }
    return n;
}

/* ---- commands ---- */

static void print_results(void)
{
    size_t i, n = ea_model_output_bytes();
    const int is_unsigned = ea_model_output_is_unsigned();
    put("m-results-[");
    for (i = 0; i < n; i++) {
        if (i) {
            ea_port_putc(',');
        }
        if (is_unsigned) {
            put_i32((int32_t)(uint8_t)s_output[i]);
        } else {
            put_i32((int32_t)s_output[i]);
        }
    }
    put_line("]");
}

static void cmd_name(void)
{
    put("m-name-dut-");
    put_line(ea_model_name());
}

static void cmd_profile(void)
{
    put_line("m-profile-[" EA_HARNESS_VERSION "]");
    put("m-model-[");
    put(ea_model_name());
    put_line("]");
    put("m-board-[");
    put(ea_port_board_name());
    put_line("]");
    put("m-timer-[");
    put(ea_port_timer_unit());
    put_line("]");
}

static void cmd_db(char **w, int n)
{
    if (n < 2) {
        put_error("db: missing subcommand (db load N, or db <hex>)", NULL);
        return;
    }
    if (strcmp(w[1], "load") == 0) {
        size_t size;
        if (n < 3 || parse_size(w[2], (size_t)-1, &size) != 0 || size == 0) {
            put_error("db load: need a byte count > 0, got: ", n < 3 ? "(none)" : w[2]);
            return;
        }
        if (size > EA_HARNESS_INPUT_MAX) {
            put("e-[db load: input buffer overflow, ");
            put(w[2]);
            put(" bytes > capacity ");
            put_u64(EA_HARNESS_INPUT_MAX);
            put_line("]");
            return;
        }
        s_load_size = size;
        s_load_pos = 0;
        put("m-[Expecting ");
        put_u64(size);
        put_line(" bytes]");
        return;
    }
    {
        const char *hex = w[1];
        size_t digits = strlen(hex), i;
        if (s_load_size == 0) {
            put_error("db: no db load N announced before data", NULL);
            return;
        }
        if (n > 2) {
            put_error("db: hex data must be one word", NULL);
            return;
        }
        if (digits % 2u != 0) {
            put_error("db: odd number of hex digits: ", hex);
            return;
        }
        for (i = 0; i < digits; i++) { /* validate everything before storing anything */
            if (hex_value(hex[i]) < 0) {
                char bad[2];
                bad[0] = hex[i];
                bad[1] = '\0';
                put_error("db: invalid hex digit: ", bad);
                return;
            }
        }
        if (digits / 2u > s_load_size - s_load_pos) {
            put_error("db: input buffer overflow, more bytes than announced by db load", NULL);
            return;
        }
        for (i = 0; i < digits; i += 2) {
            s_input[s_load_pos++] = (int8_t)(uint8_t)((hex_value(hex[i]) << 4) | hex_value(hex[i + 1]));
        }
        if (s_load_pos == s_load_size) {
            put_line("m-load-done");
        }
    }
}

static void cmd_infer(char **w, int n)
{
    size_t runs = 1, warmup = 10; /* EEMBC's defaults when omitted */
    size_t i;
    if (n >= 2 && (parse_size(w[1], 1000000u, &runs) != 0 || runs == 0)) {
        put_error("infer: N must be an integer in 1..1000000, got: ", w[1]);
        return;
    }
    if (n >= 3 && parse_size(w[2], 1000000u, &warmup) != 0) {
        put_error("infer: W must be an integer in 0..1000000, got: ", w[2]);
        return;
    }
    if (!s_model_ok) {
        put_error("infer: model initialisation failed", NULL);
        return;
    }
    if (s_load_size == 0 || s_load_pos != s_load_size) {
        put_error("infer: no complete input loaded (db load N, then db <hex>)", NULL);
        return;
    }
    if (s_load_size != ea_model_input_bytes()) {
        put_error("infer: loaded input size differs from the model input size", NULL);
        return;
    }

    put("m-warmup-start-");
    put_u64(warmup);
    put("\r\n");
    for (i = 0; i < warmup; i++) {
        int rc = ea_model_infer(s_input, s_output);
        if (rc != 0) {
            put("e-[infer: model returned ");
            put_i32(rc);
            put_line("]");
            return;
        }
    }
    put_line("m-warmup-done");
    put("m-infer-start-");
    put_u64(runs);
    put("\r\n");
    for (i = 0; i < runs; i++) {
        uint64_t t0, t1, counts;
        int rc;
        ea_port_timer_start(); /* per run: deterministic SysTick phase under QEMU */
        t0 = ea_port_timer_read();
        rc = ea_model_infer(s_input, s_output);
        t1 = ea_port_timer_read();
        if (rc != 0) {
            s_have_results = 0;
            put("e-[infer: model returned ");
            put_i32(rc);
            put_line("]");
            return;
        }
        counts = t1 - t0;
        put("m-lap-cycles-");
        put_u64(counts);
        put("\r\n");
        put("m-lap-us-");
        put_u64(ea_port_timer_us(counts));
        put("\r\n");
    }
    if (ea_model_report_layers) {
        ea_model_report_layers(put_line); /* per-layer counts of the last timed run */
    }
    s_have_results = 1;
    print_results();
    put_line("m-infer-done");
}

static void dispatch(char *cmd)
{
    char *w[8];
    int n = split_words(cmd, w, 8);
    if (n == 0) {
        /* empty command: just the ready prompt */
    } else if (strcmp(w[0], "name") == 0) {
        cmd_name();
    } else if (strcmp(w[0], "profile") == 0) {
        cmd_profile();
    } else if (strcmp(w[0], "db") == 0) {
        cmd_db(w, n);
    } else if (strcmp(w[0], "infer") == 0) {
        cmd_infer(w, n);
    } else if (strcmp(w[0], "results") == 0) {
        if (s_have_results) {
            print_results();
        } else {
            put_error("results: no inference has run yet", NULL);
        }
    } else {
        put_error("Unknown command: ", w[0]);
    }
    put_line("m-ready");
}

int main(void)
{
    static char cmd[EA_HARNESS_CMD_MAX + 1];
    size_t len = 0;
    int too_long = 0;

    s_model_ok = ea_model_init() == 0 && ea_model_input_bytes() <= EA_HARNESS_INPUT_MAX &&
                 ea_model_output_bytes() <= EA_HARNESS_OUTPUT_MAX;
    if (!s_model_ok) {
        put_error("model init failed or tensors exceed the harness buffers", NULL);
    }
    put_line("m-init-done");
    put_line("m-ready");

    for (;;) {
        int c = ea_port_getc();
        if (c == '%') {
            cmd[len] = '\0';
            if (too_long) {
                put("e-[command too long, max characters ");
                put_u64(EA_HARNESS_CMD_MAX);
                put_line("]");
                put_line("m-ready");
            } else {
                dispatch(cmd);
            }
            len = 0;
            too_long = 0;
        } else if (c == '\r' || c == '\n') {
            /* ignored: lets a person type commands in a terminal */
        } else if (len < EA_HARNESS_CMD_MAX) {
            cmd[len++] = (char)c;
        } else {
            too_long = 1; /* keep consuming until the terminating '%' */
        }
    }
}
