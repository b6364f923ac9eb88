# MPS2 AN385: Cortex-M3, no FPU -> soft-float newlib multilib (thumb/v7-m/nofp).
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m3 -mthumb -mfloat-abi=soft")
set(EDGEAMP_QEMU_CPU cortex-m3)
