/* ea_port_init and board identity, common to all ports. */
#include <stdio.h>

#include "board.h"
#include "edgeamp/port.h"
#include "port_internal.h"

void ea_port_init(void)
{
    static int done;
    if (done) {
        return;
    }
    done = 1;
    ea_uart_init();
    /* Unbuffered stdout: printf output and direct ea_port_* writes stay in program order, and
     * nothing is lost if the firmware faults. */
    setvbuf(stdout, NULL, _IONBF, 0);
    ea_timer_init();
}

const char *ea_port_board_name(void)
{
    return EA_BOARD_NAME;
}
