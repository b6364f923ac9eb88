/* Cortex-M system registers used by the ports (all architectural, same address on M3/M4/M7/M55).
 * References: Armv7-M ARM (DDI 0403E) B3.2 "System Control Space", B3.3 "SysTick", C1.8 "DWT";
 * Armv8-M ARM (DDI 0553) for SFSR; QEMU hw/intc/armv7m_nvic.c and hw/timer/armv7m_systick.c. */
#ifndef EDGEAMP_CORTEXM_REGS_H
#define EDGEAMP_CORTEXM_REGS_H

#include <stdint.h>

/* 1 on Armv6-M (Cortex-M0/M0+): no configurable fault status registers, no fault enables in
 * SHCSR, no divide instruction to trap, no DWT cycle counter, Thumb-1 only (no IT blocks). */
#if defined(__ARM_ARCH_6M__)
#define EA_ARMV6M 1
#else
#define EA_ARMV6M 0
#endif

#define EA_REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* System Control Block */
#define SCB_ICSR   EA_REG32(0xE000ED04u) /* Interrupt Control and State */
#define SCB_VTOR   EA_REG32(0xE000ED08u) /* Vector Table Offset */
#define SCB_CCR    EA_REG32(0xE000ED14u) /* Configuration and Control */
#define SCB_SHCSR  EA_REG32(0xE000ED24u) /* System Handler Control and State */
#define SCB_CFSR   EA_REG32(0xE000ED28u) /* Configurable Fault Status (MMFSR|BFSR|UFSR) */
#define SCB_HFSR   EA_REG32(0xE000ED2Cu) /* HardFault Status */
#define SCB_MMFAR  EA_REG32(0xE000ED34u) /* MemManage Fault Address */
#define SCB_BFAR   EA_REG32(0xE000ED38u) /* BusFault Address */
#define SCB_CPACR  EA_REG32(0xE000ED88u) /* Coprocessor Access Control */
#define SCB_SFSR   EA_REG32(0xE000EDE4u) /* Secure Fault Status (Armv8-M Security Extension) */
#define SCB_DEMCR  EA_REG32(0xE000EDFCu) /* Debug Exception and Monitor Control */

#define ICSR_PENDSTSET (1u << 26) /* SysTick exception pending (read) */
#define ICSR_PENDSTCLR (1u << 25) /* write 1: clear a pending SysTick */
#define CCR_DIV_0_TRP  (1u << 4)  /* integer divide by zero -> UsageFault (host would trap too) */
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
/* CPACR CP10 and CP11 (bits 20-23) = 0b11: full access to the FPU; on Armv8.1-M the same
 * fields also gate MVE (Armv8.1-M ARM, "CPACR"). */
#define CPACR_CP10_CP11_FULL (0xFu << 20)
#define DEMCR_TRCENA (1u << 24) /* power the DWT/ITM blocks */

/* SysTick (Armv7-M ARM B3.3.2) */
#define SYST_CSR EA_REG32(0xE000E010u) /* Control and Status */
#define SYST_RVR EA_REG32(0xE000E014u) /* Reload Value, 24 bits */
#define SYST_CVR EA_REG32(0xE000E018u) /* Current Value; any write clears it and COUNTFLAG */
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)  /* exception when the counter reaches 0 */
#define SYST_CSR_CLKSOURCE (1u << 2)  /* 1 = processor clock (the only clock on SSE-300) */
#define SYST_RVR_MAX 0x00FFFFFFu

/* DWT cycle counter (Armv7-M ARM C1.8.7; lock access register from the Cortex-M7 TRM / CoreSight) */
#define DWT_CTRL   EA_REG32(0xE0001000u)
#define DWT_CYCCNT EA_REG32(0xE0001004u)
#define DWT_LAR    EA_REG32(0xE0001FB0u)
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define DWT_CTRL_NOCYCCNT  (1u << 25) /* 1 = no cycle counter implemented */
#define DWT_LAR_UNLOCK 0xC5ACCE55u

static inline uint32_t ea_irq_save(void)
{
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void ea_irq_restore(uint32_t primask)
{
    __asm__ volatile("msr primask, %0" : : "r"(primask) : "memory");
}

static inline void ea_dsb_isb(void)
{
    __asm__ volatile("dsb 0xF\n\tisb 0xF" : : : "memory");
}

#endif
