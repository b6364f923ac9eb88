/* Board constants for QEMU machine "mps2-an505" (Cortex-M33 in the Arm IoT Kit subsystem).
 * Source of truth: QEMU hw/arm/mps2-tz.c (mps2tz_common_init, mps2tz_an505_class_init),
 * hw/arm/armsse.c (IoT Kit memory map and its Secure aliases) and Arm Application Note AN505. */
#ifndef EDGEAMP_BOARD_H
#define EDGEAMP_BOARD_H

#define EA_BOARD_NAME "mps2-an505"
#define EA_BOARD_CORE "cortex-m33"

/* Console: CMSDK APB UART0. mps2-tz.c maps it at 0x40200000 (apb_ppcexp1); the IoT Kit mirrors
 * 0x4xxxxxxx at 0x5xxxxxxx as the Secure alias. The core boots in Secure state (no TF-M here) and
 * the PPC port is Secure after reset, so the Secure alias is the address that works. */
#define EA_BOARD_UART_BASE 0x50200000u
/* The UART's PCLK: mps2-tz.c SYSCLK_FRQ = 20 MHz ("pclk-frq"). */
#define EA_BOARD_UART_PCLK_HZ 20000000u

/* Processor clock feeding SysTick when CLKSOURCE=1: the IoT Kit's MAINCLK = SYSCLK_FRQ = 20 MHz.
 * Under -icount shift=0 one tick = 50 instructions. */
#define EA_BOARD_CPU_HZ 20000000u

/* 1: runs under QEMU -icount shift=0; SysTick counts are instruction-based, never real cycles. */
#define EA_BOARD_QEMU_ICOUNT 1

#endif
