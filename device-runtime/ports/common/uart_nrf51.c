/* Polled console on the nRF51 UART (Nordic nRF51 Series Reference Manual v3.0, section 29
 * "UART"; QEMU model: hw/char/nrf51_uart.c). Used by the microbit port in place of
 * uart_cmsdk.c: ea_uart_init, ea_port_putc and ea_port_try_getc (console.c builds the rest). The base address comes from board.h.
 * Tasks are started by writing 1; events are registers that read 1 once they happened and are
 * cleared by writing 0. */
#include "board.h"
#include "cortexm_regs.h"
#include "edgeamp/port.h"
#include "port_internal.h"

#define UART_TASKS_STARTRX  EA_REG32(EA_BOARD_UART_BASE + 0x000u)
#define UART_TASKS_STARTTX  EA_REG32(EA_BOARD_UART_BASE + 0x008u)
#define UART_EVENTS_RXDRDY  EA_REG32(EA_BOARD_UART_BASE + 0x108u)
#define UART_EVENTS_TXDRDY  EA_REG32(EA_BOARD_UART_BASE + 0x11Cu)
#define UART_EVENTS_ERROR   EA_REG32(EA_BOARD_UART_BASE + 0x124u)
#define UART_ENABLE         EA_REG32(EA_BOARD_UART_BASE + 0x500u)
#define UART_RXD            EA_REG32(EA_BOARD_UART_BASE + 0x518u)
#define UART_TXD            EA_REG32(EA_BOARD_UART_BASE + 0x51Cu)
#define UART_BAUDRATE       EA_REG32(EA_BOARD_UART_BASE + 0x524u)

#define ENABLE_ENABLED  4u
#define BAUDRATE_115200 0x01D7E000u

void ea_uart_init(void)
{
    UART_BAUDRATE = BAUDRATE_115200; /* QEMU ignores it; a real nRF51 needs it */
    UART_ENABLE = ENABLE_ENABLED;
    UART_EVENTS_RXDRDY = 0;
    UART_EVENTS_TXDRDY = 0;
    UART_TASKS_STARTRX = 1; /* QEMU accepts no input before STARTRX */
    UART_TASKS_STARTTX = 1; /* ... and drops TXD writes before STARTTX */
}

void ea_port_putc(char c)
{
    UART_EVENTS_TXDRDY = 0;
    UART_TXD = (uint8_t)c;
    while (UART_EVENTS_TXDRDY == 0) { /* the byte has left TXD */
    }
}

int ea_port_try_getc(void)
{
    if (UART_EVENTS_ERROR) {
        UART_EVENTS_ERROR = 0; /* overrun or framing error: a byte was lost, keep receiving */
    }
    if (UART_EVENTS_RXDRDY == 0) {
        return -1;
    }
    /* Clear the event before reading RXD: reading it moves the next byte of the receive FIFO
     * into RXD and raises RXDRDY again. */
    UART_EVENTS_RXDRDY = 0;
    return (int)(UART_RXD & 0xFFu);
}
