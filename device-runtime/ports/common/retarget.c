/* newlib system calls for the bare-metal ports: stdio goes to the console UART, the heap is
 * bounded by the linker script, exit() ends QEMU through semihosting.
 * Bytes are passed through unchanged (no "\n" -> "\r\n"), so firmware output can be diffed
 * byte for byte against host output; the harness writes "\r\n" itself where the protocol wants. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "edgeamp/port.h"
#include "port_internal.h"

#undef errno
extern int errno;

/* Prototypes: newlib calls these, nobody includes a header for them. */
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
void *_sbrk(ptrdiff_t incr);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
int _kill(int pid, int sig);
int _getpid(void);
void _exit(int code);
void _init(void);
void _fini(void);

extern char __heap_start[]; /* linker script: end of .bss */
extern char __heap_limit[]; /* linker script: bottom of the reserved stack */

/* Semihosting operations (Arm "Semihosting for AArch32 and AArch64", v2.0). */
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

int ea_semihost_call(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    /* BKPT 0xAB is the M-profile semihosting trap; QEMU handles it with
     * -semihosting-config enable=on (semihosting/arm-compat-semi.c). */
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

volatile int ea_port_exiting; /* read by the fault handler: BKPT without a debugger faults */

void ea_port_exit(int code)
{
    /* SYS_EXIT_EXTENDED carries the status (plain SYS_EXIT on AArch32 can only say 0 or 1);
     * QEMU exits with `code`. */
    uint32_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)code;
    ea_port_exiting = 1;
    (void)ea_semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) { /* no semihosting host: park the core */
        __asm__ volatile("wfi");
    }
}

void _exit(int code)
{
    ea_port_exit(code);
}

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    ea_port_write(buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    int n = 0;
    int c;
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    if (len <= 0) {
        return 0;
    }
    /* Block for the first byte, then take whatever else is already waiting. */
    buf[n++] = (char)ea_port_getc();
    while (n < len && (c = ea_port_try_getc()) >= 0) {
        buf[n++] = (char)c;
    }
    return n;
}

void *_sbrk(ptrdiff_t incr)
{
    static char *brk = __heap_start;
    char *prev = brk;
    if (incr > __heap_limit - brk || incr < __heap_start - brk) {
        errno = ENOMEM; /* malloc returns NULL instead of running into the stack */
        return (void *)-1;
    }
    brk += incr;
    return prev;
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR; /* a character device: newlib line-buffers it instead of 1 KiB blocks */
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void)
{
    return 1;
}

/* newlib's exit() calls __libc_fini_array, which calls _fini; crti.o normally provides it but we
 * link with -nostartfiles. Nothing to do: constructors run from startup.c, no destructors. */
void _init(void)
{
}

void _fini(void)
{
}
