/* Board constants for QEMU machine "mps3-an547" (Cortex-M55 in the Corstone SSE-300 subsystem).
 * Source of truth: QEMU hw/arm/mps2-tz.c (an547_ppcs, mps3tz_an547_class_init), hw/arm/armsse.c
 * (SSE-300 memory map), Arm AN547 and the SSE-300 TRM (Arm 101773). */
#ifndef EDGEAMP_BOARD_H
#define EDGEAMP_BOARD_H

#define EA_BOARD_NAME "mps3-an547"
#define EA_BOARD_CORE "cortex-m55"

/* Console: CMSDK APB UART0. mps2-tz.c maps it at 0x49303000 (apb_ppcexp2 port 3); the SSE
 * mirrors 0x4xxxxxxx at 0x5xxxxxxx as the Secure alias (armsse.c "alias 3"). The core boots in
 * Secure state (no TF-M here), so we use the Secure alias: it keeps working if the SAU is later
 * enabled with ALLNS, which would make 0x4930_3000 a Non-secure access to a Secure PPC port. */
#define EA_BOARD_UART_BASE 0x59303000u
/* The UART's PCLK: mps2-tz.c apb_periph_frq = 25 MHz for AN547. */
#define EA_BOARD_UART_PCLK_HZ 25000000u

/* Processor clock feeding SysTick when CLKSOURCE=1: SSE-300 MAINCLK = sysclk_frq = 32 MHz
 * (mps2-tz.c). The SSE does not wire a SysTick reference clock (armsse.c), so CLKSOURCE=1 is the
 * only working choice. Under -icount shift=0 one tick = 31.25 instructions. */
#define EA_BOARD_CPU_HZ 32000000u

/* 1: runs under QEMU -icount shift=0; SysTick counts are instruction-based, never real cycles. */
#define EA_BOARD_QEMU_ICOUNT 1

#endif
