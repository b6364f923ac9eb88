/* Latency timer: DWT cycle counter where it works, else SysTick.
 *
 * QEMU does not implement the DWT (DWT_CTRL and DWT_CYCCNT read 0), so under QEMU the probe
 * fails and SysTick is used. With -icount shift=0 every instruction advances virtual time by 1 ns
 * and SysTick (CLKSOURCE=1, the board's processor clock: 25 MHz on mps2, 32 MHz on AN547) ticks
 * every 40 (31.25) instructions, deterministically. Counts are therefore converted to and reported
 * as *instructions* (virtual ns), never as real cycles (DESIGN.md "Timing under QEMU").
 *
 * SysTick is a 24-bit down-counter; the SysTick exception counts wraps so reads are 64-bit.
 */
#include "board.h"
#include "cortexm_regs.h"
#include "edgeamp/port.h"
#include "port_internal.h"

enum timer_source { SRC_NONE, SRC_DWT, SRC_SYSTICK };

static enum timer_source s_source = SRC_NONE;
static uint32_t s_reload = SYST_RVR_MAX;
static volatile uint32_t s_wraps;    /* SysTick zero-crossings since start (SysTick_Handler) */
static uint32_t s_dwt_last, s_dwt_high; /* software extension of the 32-bit CYCCNT */
/* counts = ticks * s_num / s_den: 40/1 at 25 MHz, 125/4 at 32 MHz (ns per tick under icount). */
static uint32_t s_num = 1, s_den = 1;

static int dwt_cycle_counter_works(void)
{
#if EA_ARMV6M
    return 0; /* Armv6-M's DWT has no cycle counter */
#else
    volatile uint32_t spin;
    SCB_DEMCR |= DEMCR_TRCENA;
    DWT_LAR = DWT_LAR_UNLOCK; /* Cortex-M7 locks DWT writes from software until unlocked */
    if (DWT_CTRL & DWT_CTRL_NOCYCCNT) {
        return 0;
    }
    DWT_CYCCNT = 0;
    DWT_CTRL |= DWT_CTRL_CYCCNTENA;
    for (spin = 0; spin < 32; spin++) {
    }
    return DWT_CYCCNT != 0; /* QEMU: RAZ/WI, stays 0 */
#endif
}

static uint32_t gcd_u32(uint32_t a, uint32_t b)
{
    while (b != 0) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void ea_timer_init(void)
{
    if (s_source != SRC_NONE) {
        return;
    }
    if (dwt_cycle_counter_works()) {
        s_source = SRC_DWT;
        s_num = s_den = 1;
        return;
    }
    s_source = SRC_SYSTICK;
#if EA_BOARD_QEMU_ICOUNT
    {
        uint32_t g = gcd_u32(1000000000u, EA_BOARD_CPU_HZ);
        s_num = 1000000000u / g; /* virtual ns (= instructions) per tick */
        s_den = EA_BOARD_CPU_HZ / g;
    }
#else
    (void)gcd_u32;
    s_num = s_den = 1; /* SysTick on the processor clock: ticks are core cycles */
#endif
}

void ea_timer_set_systick_reload(uint32_t reload)
{
    s_reload = (reload == 0 || reload > SYST_RVR_MAX) ? SYST_RVR_MAX : reload;
}

void SysTick_Handler(void)
{
    s_wraps++;
}

void ea_port_timer_start(void)
{
    ea_timer_init();
    if (s_source == SRC_DWT) {
        DWT_CYCCNT = 0;
        s_dwt_last = 0;
        s_dwt_high = 0;
        return;
    }
    SYST_CSR = 0;
    SYST_RVR = s_reload;
    SYST_CVR = 0;               /* clears the counter and COUNTFLAG */
    SCB_ICSR = ICSR_PENDSTCLR;  /* drop a wrap left pending by the previous run */
    s_wraps = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    /* The counter starts at 0 and loads RVR on the first tick. Waiting for that reload pins the
     * phase of the tick grid to this instruction, which makes under-icount measurements exactly
     * reproducible (otherwise the phase depends on how long we polled the UART before). */
    while (SYST_CVR == 0) {
    }
}

static uint64_t systick_ticks(void)
{
    uint32_t primask, pend_before, pend_after, val, wraps;
    uint64_t period = (uint64_t)s_reload + 1u;

    primask = ea_irq_save();
    /* With interrupts masked a wrap shows up as a pending SysTick instead of s_wraps++.
     * Sample VAL between two reads of the pending bit; if they agree, VAL and the wrap count are
     * consistent. (Pending only goes 0 -> 1 here; two wraps in this window are impossible.) */
    do {
        pend_before = SCB_ICSR & ICSR_PENDSTSET;
        val = SYST_CVR;
        pend_after = SCB_ICSR & ICSR_PENDSTSET;
    } while (pend_before != pend_after);
    wraps = s_wraps + (pend_before ? 1u : 0u);
    ea_irq_restore(primask);

    if (val == 0) {
        /* On the tick where the counter sits at 0 the wrap has already been signalled but the
         * reload has not happened yet: that tick is the last one of period number `wraps`. */
        return wraps ? (uint64_t)wraps * period - 1u : 0u;
    }
    return (uint64_t)wraps * period + (s_reload - val);
}

static uint64_t dwt_cycles(void)
{
    /* Extends the 32-bit counter; correct as long as reads are less than 2^32 cycles apart. */
    uint32_t now = DWT_CYCCNT;
    if (now < s_dwt_last) {
        s_dwt_high++;
    }
    s_dwt_last = now;
    return ((uint64_t)s_dwt_high << 32) | now;
}

uint64_t ea_port_timer_read(void)
{
    switch (s_source) {
    case SRC_DWT:
        return dwt_cycles();
    case SRC_SYSTICK:
        return systick_ticks() * s_num / s_den;
    default:
        return 0;
    }
}

uint64_t ea_port_timer_us(uint64_t counts)
{
#if EA_BOARD_QEMU_ICOUNT
    if (s_source == SRC_SYSTICK) {
        return counts / 1000u; /* counts are virtual ns under -icount shift=0 */
    }
#endif
    return counts * 1000000u / EA_BOARD_CPU_HZ;
}

const char *ea_port_timer_unit(void)
{
#if EA_BOARD_QEMU_ICOUNT
    if (s_source == SRC_SYSTICK) {
        return "instructions";
    }
#endif
    return "cycles";
}

uint32_t ea_port_timer_resolution(void)
{
    return (s_num + s_den - 1u) / s_den;
}
