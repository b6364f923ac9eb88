# CMake toolchain file: bare-metal Arm Cortex-M with arm-none-eabi-gcc (Debian gcc-arm-none-eabi 12.2)
# and newlib. The target machine is chosen with -DEDGEAMP_BOARD=<machine>, where <machine> is a QEMU
# machine name with a directory under ports/ (mps2-an385, mps2-an386, mps2-an500, mps2-an505,
# mps3-an547, microbit).
# That directory's board.cmake sets the CPU/FPU flags (EDGEAMP_CPU_FLAGS) and the QEMU -cpu name.
#
#   cmake -S device-runtime -B build/an386 \
#         -DCMAKE_TOOLCHAIN_FILE=device-runtime/cmake/arm-none-eabi.cmake -DEDGEAMP_BOARD=mps2-an386

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

if(NOT EDGEAMP_BOARD)
  message(FATAL_ERROR "arm-none-eabi.cmake: set -DEDGEAMP_BOARD=<machine> "
                      "(mps2-an385, mps2-an386, mps2-an500, mps2-an505, mps3-an547, microbit)")
endif()
# try_compile() re-reads this file in a scratch project; pass the board through to it.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EDGEAMP_BOARD)

set(EDGEAMP_BOARD_DIR "${CMAKE_CURRENT_LIST_DIR}/../ports/${EDGEAMP_BOARD}")
get_filename_component(EDGEAMP_BOARD_DIR "${EDGEAMP_BOARD_DIR}" ABSOLUTE)
if(NOT EXISTS "${EDGEAMP_BOARD_DIR}/board.cmake")
  message(FATAL_ERROR "arm-none-eabi.cmake: unknown EDGEAMP_BOARD '${EDGEAMP_BOARD}' "
                      "(no ${EDGEAMP_BOARD_DIR}/board.cmake)")
endif()
include("${EDGEAMP_BOARD_DIR}/board.cmake")   # sets EDGEAMP_CPU_FLAGS, EDGEAMP_QEMU_CPU

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
find_program(CMAKE_SIZE arm-none-eabi-size)
find_program(CMAKE_OBJCOPY arm-none-eabi-objcopy)

# No host executables can run: try_compile builds a static library instead of linking.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -ffp-contract=off: float CPU layers must match the Java twin bit for bit (no fused multiply-add).
# -ffunction-sections/-fdata-sections with --gc-sections: drop unused kernels and newlib pieces.
set(EDGEAMP_COMMON_C_FLAGS
    "-std=c99 -Wall -Wextra -Werror -ffp-contract=off -Os -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${EDGEAMP_CPU_FLAGS} ${EDGEAMP_COMMON_C_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${EDGEAMP_CPU_FLAGS}")
# -nostartfiles: our C startup (ports/common/startup.c) replaces newlib's crt0. The newlib system
# calls (_write, _sbrk, _exit, ...) come from ports/common/retarget.c, so no --specs=nosys/rdimon.
set(CMAKE_EXE_LINKER_FLAGS_INIT "${EDGEAMP_CPU_FLAGS} -nostartfiles -Wl,--gc-sections")
# -Os is already in the flags above: the build types must not add -O3/-O2 after it (the last -O
# wins). CMake appends its defaults to *_FLAGS_<CONFIG>_INIT, so pre-seed the cache entries
# instead (a user's -DCMAKE_C_FLAGS_RELEASE=... still wins). NDEBUG keeps its usual meaning, so
# asserts behave as in the host build of the same type; -g only adds ELF debug info.
set(CMAKE_C_FLAGS_DEBUG "-g" CACHE STRING "C flags, Debug (EdgeAMP: -Os is in CMAKE_C_FLAGS)")
set(CMAKE_C_FLAGS_RELEASE "-g -DNDEBUG" CACHE STRING "C flags, Release (EdgeAMP: -Os is in CMAKE_C_FLAGS)")
set(CMAKE_C_FLAGS_RELWITHDEBINFO "-g -DNDEBUG" CACHE STRING "C flags, RelWithDebInfo (EdgeAMP)")
set(CMAKE_C_FLAGS_MINSIZEREL "-g -DNDEBUG" CACHE STRING "C flags, MinSizeRel (EdgeAMP)")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
