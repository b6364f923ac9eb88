# MPS2 AN505: Cortex-M33 (Armv8-M Mainline with the DSP extension and the single-precision FPv5
# FPU) in the IoT Kit subsystem. multilib thumb/v8-m.main+fp/hard. The DSP kernels take the same
# assembly as on the M4/M7/M55 (__ARM_FEATURE_DSP); this is the only Cortex-M33 machine in QEMU
# with a CMSDK UART console.
set(EDGEAMP_CPU_FLAGS "-mcpu=cortex-m33 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard")
set(EDGEAMP_QEMU_CPU cortex-m33)
