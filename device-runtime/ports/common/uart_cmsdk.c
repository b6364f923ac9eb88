/* Polled console on the CMSDK APB UART (Arm Cortex-M System Design Kit TRM, DDI 0479, "UART";
 * QEMU model: hw/char/cmsdk-apb-uart.c): ea_uart_init, ea_port_putc and ea_port_try_getc
 * (console.c builds the rest). The base address and clock come from board.h. */
#include "board.h"
#include "cortexm_regs.h"
#include "edgeamp/port.h"
#include "port_internal.h"

#define UART_DATA     EA_REG32(EA_BOARD_UART_BASE + 0x000u) /* RX/TX data, low 8 bits */
#define UART_STATE    EA_REG32(EA_BOARD_UART_BASE + 0x004u)
#define UART_CTRL     EA_REG32(EA_BOARD_UART_BASE + 0x008u)
#define UART_BAUDDIV  EA_REG32(EA_BOARD_UART_BASE + 0x010u)

#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define STATE_RX_OVR  (1u << 3) /* write 1 to clear */
#define CTRL_TX_EN    (1u << 0)
#define CTRL_RX_EN    (1u << 1)

#define UART_BAUD 115200u

void ea_uart_init(void)
{
    UART_CTRL = 0;
    /* BAUDDIV = PCLK / baud (217 at 25 MHz); the TRM requires >= 16. QEMU only uses it to pace
     * the character backend, but real MPS2/MPS3 boards need it. */
    UART_BAUDDIV = EA_BOARD_UART_PCLK_HZ / UART_BAUD;
    /* QEMU drops TX data and never reports RX data unless these enables are set. */
    UART_CTRL = CTRL_TX_EN | CTRL_RX_EN;
}

void ea_port_putc(char c)
{
    while (UART_STATE & STATE_TX_FULL) {
    }
    UART_DATA = (uint8_t)c;
}

int ea_port_try_getc(void)
{
    uint32_t state = UART_STATE;
    if (state & STATE_RX_OVR) {
        UART_STATE = STATE_RX_OVR; /* a byte was lost; clear so reception continues */
    }
    if (!(state & STATE_RX_FULL)) {
        return -1;
    }
    return (int)(UART_DATA & 0xFFu);
}
