/* Functions shared between the files of ports/common (not part of the public port API). */
#ifndef EDGEAMP_PORT_INTERNAL_H
#define EDGEAMP_PORT_INTERNAL_H

#include <stdint.h>

void ea_uart_init(void);
void ea_timer_init(void);

/* Test hook (ports/tests only): SysTick reload value, default SYST_RVR_MAX (2^24 ticks per wrap).
 * A small value makes the 64-bit wrap counting observable in a short test. Takes effect at the
 * next ea_port_timer_start(). */
void ea_timer_set_systick_reload(uint32_t reload);

/* Semihosting call (BKPT 0xAB on M-profile; Arm "Semihosting for AArch32 and AArch64" v2.0). */
int ea_semihost_call(int op, void *arg);

#endif
