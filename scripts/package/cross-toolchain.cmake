# Cross-building with Debian's multiarch toolchain: crossbuild-essential-<arch> provides
# <triplet>-gcc/g++, the :<arch> -dev packages put headers and libraries under the triplet's
# folders, and build tools (protoc, node) keep running natively.
set(CMAKE_SYSTEM_NAME Linux)
set(METERD_CROSS_TRIPLET aarch64-linux-gnu CACHE STRING "Debian multiarch triplet to build for")
# try_compile projects read this file again; they need the triplet too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES METERD_CROSS_TRIPLET)
string(REGEX MATCH "^[^-]+" CMAKE_SYSTEM_PROCESSOR "${METERD_CROSS_TRIPLET}")
set(CMAKE_C_COMPILER ${METERD_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${METERD_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${METERD_CROSS_TRIPLET})
set(PKG_CONFIG_EXECUTABLE ${METERD_CROSS_TRIPLET}-pkg-config CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${CMAKE_SYSTEM_PROCESSOR}-static)
