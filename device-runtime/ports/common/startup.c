/* Reset and exception entry for every port: vector table, Reset_Handler (copy .data, zero .bss,
 * enable the FPU, run main), and fault handlers that print the fault state on the console and
 * exit QEMU with EA_EXIT_FAULT_BASE + exception number, so a crashing test cannot pass silently.
 * Armv7-M ARM B1.5 (exception model), Armv8-M ARM for the M55. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "cortexm_regs.h"
#include "edgeamp/port.h"
#include "port_internal.h"

typedef void (*ea_vector_t)(void);

extern uint32_t __stack_top[];
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern ea_vector_t __preinit_array_start[], __preinit_array_end[];
extern ea_vector_t __init_array_start[], __init_array_end[];
extern volatile int ea_port_exiting;

int main(void);
void Reset_Handler(void);
void ea_fault_entry(void);
void ea_fault_report(const uint32_t *frame, uint32_t exc_return);

/* All exceptions except reset and SysTick land in ea_fault_entry; firmware may override any of
 * these weak names with a real handler. */
void NMI_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void HardFault_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void MemManage_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void BusFault_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void UsageFault_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void SecureFault_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void SVC_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void DebugMon_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void PendSV_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void SysTick_Handler(void) __attribute__((weak, alias("ea_fault_entry")));
void Default_Handler(void) __attribute__((weak, alias("ea_fault_entry")));

#define IRQ4 Default_Handler, Default_Handler, Default_Handler, Default_Handler
#define IRQ16 IRQ4, IRQ4, IRQ4, IRQ4

/* 16 system vectors + 32 external interrupts (the ports enable none; an unexpected one reports
 * itself). 48 words at address 0 (the linker puts .vectors first in FLASH, and QEMU's initial
 * VTOR is 0 on all four machines). */
__attribute__((section(".vectors"), used)) const ea_vector_t ea_vector_table[16 + 32] = {
    (ea_vector_t)(uintptr_t)__stack_top, /* 0: initial MSP */
    Reset_Handler,                       /* 1 */
    NMI_Handler,                         /* 2 */
    HardFault_Handler,                   /* 3 */
    MemManage_Handler,                   /* 4 */
    BusFault_Handler,                    /* 5 */
    UsageFault_Handler,                  /* 6 */
    SecureFault_Handler,                 /* 7: Armv8-M only, reserved on v7-M */
    0, 0, 0,                             /* 8-10 reserved */
    SVC_Handler,                         /* 11 */
    DebugMon_Handler,                    /* 12 */
    0,                                   /* 13 reserved */
    PendSV_Handler,                      /* 14 */
    SysTick_Handler,                     /* 15 */
    IRQ16, IRQ16,                        /* 16-47: external IRQ 0-31 */
};

void Reset_Handler(void)
{
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
    /* Compiled for an FPU (and on the M55, MVE): grant CP10/CP11 access before the first floating
     * point or vector instruction, otherwise it raises a UsageFault (NOCP). */
    SCB_CPACR |= CPACR_CP10_CP11_FULL;
    ea_dsb_isb();
#endif
#if !EA_ARMV6M
    SCB_VTOR = (uint32_t)(uintptr_t)ea_vector_table; /* Armv6-M: optional (M0 has none); 0 anyway */
#endif

    /* C runtime: initialised data from its load image in FLASH, zeroed bss. */
    memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
    memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));

    /* Report MemManage/BusFault/UsageFault as themselves rather than escalated HardFaults, and
     * trap integer division by zero like a sanitized host build would. */
#if !EA_ARMV6M /* Armv6-M: every fault is a HardFault, and there is no divide instruction */
    SCB_SHCSR |= SHCSR_MEMFAULTENA | SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;
    SCB_CCR |= CCR_DIV_0_TRP;
    ea_dsb_isb();
#endif

    ea_port_init();
    {
        ea_vector_t *ctor;
        for (ctor = __preinit_array_start; ctor < __preinit_array_end; ctor++) {
            (*ctor)();
        }
        for (ctor = __init_array_start; ctor < __init_array_end; ctor++) {
            (*ctor)();
        }
    }
    exit(main()); /* newlib exit: flush stdio, then _exit -> semihosting exit with the status */
}

/* Entry for every fault: find the stack frame the core pushed (MSP or PSP, EXC_RETURN bit 2)
 * and hand it to C. Naked so that no prologue disturbs the stack pointer first. */
__attribute__((naked)) void ea_fault_entry(void)
{
#if EA_ARMV6M /* Thumb-1: no IT block, TST takes registers only */
    __asm__ volatile(
        "movs r0, #4\n\t"
        "mov r1, lr\n\t"
        "tst r0, r1\n\t"
        "bne 1f\n\t"
        "mrs r0, msp\n\t"
        "b 2f\n\t"
        "1:\n\t"
        "mrs r0, psp\n\t"
        "2:\n\t"
        "ldr r2, =ea_fault_report\n\t"
        "bx r2\n\t"
        ".ltorg\n\t");
#else
    __asm__ volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "b ea_fault_report\n\t");
#endif
}

static void put_hex(const char *name, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    int shift;
    ea_port_puts(" ");
    ea_port_puts(name);
    ea_port_puts("=0x");
    for (shift = 28; shift >= 0; shift -= 4) {
        ea_port_putc(digits[(v >> shift) & 0xFu]);
    }
}

static const char *exception_name(uint32_t n)
{
    switch (n) {
    case 2: return "NMI";
    case 3: return "HardFault";
    case 4: return "MemManage";
    case 5: return "BusFault";
    case 6: return "UsageFault";
    case 7: return "SecureFault";
    case 11: return "SVC";
    case 12: return "DebugMon";
    case 14: return "PendSV";
    case 15: return "SysTick";
    default: return n >= 16 ? "IRQ" : "reserved";
    }
}

void ea_fault_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1FFu;

    if (ea_port_exiting) {
        /* The semihosting BKPT faulted: no debugger/QEMU semihosting. Nothing left to do. */
        for (;;) {
            __asm__ volatile("wfi");
        }
    }
    /* Polled UART only: stdio and the heap may be what broke. The UART is initialised before
     * main; a fault before that prints nothing but still exits with the code below. */
    ea_port_puts("\r\n*** FAULT: ");
    ea_port_puts(exception_name(ipsr));
    put_hex("exception", ipsr);
    /* Basic frame: r0 r1 r2 r3 r12 lr pc xpsr (Armv7-M ARM B1.5.6) */
    put_hex("pc", frame[6]);
    put_hex("lr", frame[5]);
    put_hex("xpsr", frame[7]);
    put_hex("exc_return", exc_return);
#if !EA_ARMV6M /* Armv6-M has no fault status registers: the pc is all there is */
    /* CFSR bits: UFSR<<16 (bit 19 NOCP = FPU not enabled, bit 25 DIVBYZERO), BFSR<<8, MMFSR */
    put_hex("cfsr", SCB_CFSR);
    put_hex("hfsr", SCB_HFSR);
    put_hex("mmfar", SCB_MMFAR);
    put_hex("bfar", SCB_BFAR);
#endif
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
    put_hex("sfsr", SCB_SFSR);
#endif
    ea_port_puts("\r\n");
    ea_port_exit(EA_EXIT_FAULT_BASE + (int)ipsr);
}
