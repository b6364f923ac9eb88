/* EdgeAMP board port API: what firmware (harness, kernel tests, generated model code) may use
 * from the board. One implementation per QEMU machine under device-runtime/ports/; the shared
 * parts are in ports/common/.
 *
 * Start-up: the port's Reset_Handler copies .data, zeroes .bss, enables the FPU (if the build
 * uses one), calls ea_port_init() and then main(); main's return value goes to ea_port_exit().
 * So printf/puts work from the first line of main (newlib is retargeted to the console UART).
 */
#ifndef EDGEAMP_PORT_H
#define EDGEAMP_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes used by the port itself (firmware chooses its own for other failures). */
#define EA_EXIT_OK 0
/* A fault handler ran: exit code = EA_EXIT_FAULT_BASE + exception number (HardFault 3 -> 131,
 * MemManage 4, BusFault 5, UsageFault 6 (e.g. FPU used but not enabled), SecureFault 7). */
#define EA_EXIT_FAULT_BASE 128

/* Console UART up, stdio unbuffered, timer selected. Idempotent; called by startup before main. */
void ea_port_init(void);

/* Name of the board/QEMU machine, e.g. "mps2-an386". */
const char *ea_port_board_name(void);

/* Console (polled, 8N1). ea_port_getc blocks until a byte arrives; ea_port_try_getc returns -1
 * when no byte is waiting. */
void ea_port_putc(char c);
void ea_port_write(const char *buf, size_t len);
void ea_port_puts(const char *s); /* writes s as is, no newline added */
int ea_port_getc(void);
int ea_port_try_getc(void);

/* Timer for latency measurement.
 *   ea_port_timer_start() (re)starts the counter from 0 in a deterministic phase;
 *   ea_port_timer_read() returns counts since the last start, 64-bit, monotonic.
 * The unit is ea_port_timer_unit():
 *   "cycles"       the core's DWT cycle counter (real hardware that has one);
 *   "instructions" SysTick under QEMU -icount shift=0 (QEMU's DWT reads 0): one instruction is
 *                  one virtual ns, so counts are instruction-based and must never be reported as
 *                  real cycles. Resolution: ea_port_timer_resolution() counts (40 on mps2 at
 *                  25 MHz, 31.25 rounded on AN547 at 32 MHz).
 * ea_port_timer_us() converts counts to microseconds (virtual microseconds under QEMU). */
void ea_port_timer_start(void);
uint64_t ea_port_timer_read(void);
uint64_t ea_port_timer_us(uint64_t counts);
const char *ea_port_timer_unit(void);
uint32_t ea_port_timer_resolution(void);

/* Ends the program: under QEMU via semihosting SYS_EXIT_EXTENDED, so qemu-system-arm exits with
 * `code` (needs -semihosting-config enable=on). Without a debugger/semihosting it parks the core. */
void ea_port_exit(int code) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* EDGEAMP_PORT_H */
