/* The console functions every port shares, on top of its UART driver (uart_cmsdk.c, uart_nrf51.c),
 * which provides ea_uart_init, ea_port_putc and ea_port_try_getc. */
#include "edgeamp/port.h"

void ea_port_write(const char *buf, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        ea_port_putc(buf[i]);
    }
}

void ea_port_puts(const char *s)
{
    while (*s) {
        ea_port_putc(*s++);
    }
}

int ea_port_getc(void)
{
    int c;
    while ((c = ea_port_try_getc()) < 0) {
    }
    return c;
}
