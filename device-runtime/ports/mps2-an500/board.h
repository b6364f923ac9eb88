/* Board constants for QEMU machine "mps2-an500" (Cortex-M7, AN500).
 * Source of truth for the addresses: QEMU hw/arm/mps2.c (mps2_common_init) and Arm Application
 * Note an500 ("Cortex-M System Design Kit ... on V2M-MPS2"). */
#ifndef EDGEAMP_BOARD_H
#define EDGEAMP_BOARD_H

#define EA_BOARD_NAME "mps2-an500"
#define EA_BOARD_CORE "cortex-m7"

/* Console: CMSDK APB UART0. mps2.c: uartbase[] = {0x40004000, ...}; serial_hd(0) (the first
 * -serial / -nographic stdio) is wired to UART0. */
#define EA_BOARD_UART_BASE 0x40004000u
/* The UART's PCLK is the 25 MHz SYSCLK (mps2.c: "pclk-frq" = SYSCLK_FRQ). */
#define EA_BOARD_UART_PCLK_HZ 25000000u

/* Processor clock feeding SysTick when CLKSOURCE=1 (mps2.c connects "cpuclk" to the 25 MHz
 * SYSCLK). Under -icount shift=0 one instruction = 1 ns, so one SysTick tick = 40 instructions. */
#define EA_BOARD_CPU_HZ 25000000u

/* 1: this port runs under QEMU with -icount shift=0, so SysTick counts are instruction-based
 * (virtual nanoseconds), never real cycles. See DESIGN.md "Timing under QEMU". */
#define EA_BOARD_QEMU_ICOUNT 1

#endif
