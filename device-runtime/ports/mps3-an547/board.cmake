# MPS3 AN547: Cortex-M55 (Armv8.1-M with MVE and FP). GCC 12 accepts -mcpu=cortex-m55, which
# enables +mve.fp +fp.dp; with -mfloat-abi=hard newlib's multilib is thumb/v8-m.main+dp/hard.
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m55 -mthumb -mfloat-abi=hard")
set(EDGEAMP_QEMU_CPU cortex-m55)
