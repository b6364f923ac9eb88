# BBC micro:bit (nRF51822): QEMU's only Armv6-M machine. Its core is a Cortex-M0; the firmware is
# compiled for the Cortex-M0+ (same Armv6-M Thumb instruction set, multilib thumb/v6-m/nofp), so
# this machine runs exactly the code an M0+ board runs: the portable C kernels, soft float, no
# unaligned word access, no hardware divide. The console is the nRF51 UART, not a CMSDK one.
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft")
set(EDGEAMP_QEMU_CPU cortex-m0)
set(EDGEAMP_PORT_UART uart_nrf51)
