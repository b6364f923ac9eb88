/* Deliberately faulting firmware: scripts/test-qemu.sh checks that the fault handler reports the
 * fault on the console and exits QEMU with EA_EXIT_FAULT_BASE + 6 (UsageFault).
 *   FAULT_DIV0: integer division by zero (CCR.DIV_0_TRP is set by the startup code)
 *   FAULT_NOCP: floating point with the FPU access turned off again, i.e. what every FPU board
 *               would do if the startup code did not enable CP10/CP11 in CPACR.
 *   FAULT_UNALIGNED (Armv6-M, which has neither a divide instruction nor an FPU): a word load
 *               from an odd address, which Armv6-M always faults; the report is a HardFault
 *               (exit EA_EXIT_FAULT_BASE + 3), the only fault exception Armv6-M has. */
#include <stdint.h>
#include <stdio.h>

#include "edgeamp/port.h"

#define CPACR (*(volatile unsigned long *)0xE000ED88u)

int main(void)
{
#if defined(FAULT_DIV0)
    volatile int zero = 0;
    volatile int r;
    printf("fault-test: dividing by zero\n");
    r = 10 / zero;
    printf("fault-test: no fault, got %d\n", r);
#elif defined(FAULT_UNALIGNED)
    static uint32_t words[2] = {0x11223344u, 0x55667788u};
    volatile uintptr_t addr = (uintptr_t)words + 1;
    printf("fault-test: word load from an odd address\n");
    printf("fault-test: no fault, got 0x%08lx\n", (unsigned long)*(volatile uint32_t *)addr);
#elif defined(FAULT_NOCP)
    volatile float a = 1.5f;
    printf("fault-test: float with CPACR CP10/CP11 cleared\n");
    CPACR &= ~(0xFul << 20);
    __asm__ volatile("dsb\n\tisb" : : : "memory");
    a = a * a;
    printf("fault-test: no fault\n");
#endif
    return 0;
}
