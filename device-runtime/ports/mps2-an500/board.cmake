# MPS2 AN500: Cortex-M7 with FPv5 double-precision FPU (QEMU's cortex-m7 model has D16 double
# precision), hard-float ABI (multilib thumb/v7e-m+dp/hard).
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard")
set(EDGEAMP_QEMU_CPU cortex-m7)
