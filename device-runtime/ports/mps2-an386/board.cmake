# MPS2 AN386: Cortex-M4F, single-precision FPv4-SP-D16, hard-float ABI (thumb/v7e-m+fp/hard).
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard")
set(EDGEAMP_QEMU_CPU cortex-m4)
