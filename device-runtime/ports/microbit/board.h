/* Board constants for QEMU machine "microbit" (nRF51822, Cortex-M0, Armv6-M).
 * Source of truth for the addresses: QEMU hw/arm/nrf51_soc.c, include/hw/arm/nrf51.h and
 * hw/char/nrf51_uart.c; Nordic nRF51 Series Reference Manual v3.0, "UART". */
#ifndef EDGEAMP_BOARD_H
#define EDGEAMP_BOARD_H

#define EA_BOARD_NAME "microbit"
#define EA_BOARD_CORE "cortex-m0plus"

/* Console: the nRF51 UART0 (ports/common/uart_nrf51.c); serial_hd(0) (-nographic stdio or the
 * first -serial) is wired to it by hw/arm/microbit.c. */
#define EA_BOARD_UART_BASE 0x40002000u

/* SysTick's processor clock: nrf51_soc.c connects the 16 MHz HFCLK ("sysclk") to the core's
 * cpuclk. Under -icount shift=0 one instruction = 1 ns, so one tick = 62.5 instructions. */
#define EA_BOARD_CPU_HZ 16000000u

/* 1: this port runs under QEMU with -icount shift=0 (DESIGN.md "Timing under QEMU"). */
#define EA_BOARD_QEMU_ICOUNT 1

#endif
