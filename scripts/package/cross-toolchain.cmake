# Cross-building with Debian's multiarch toolchain: crossbuild-essential-<arch> provides
# <triplet>-gcc/g++, the :<arch> -dev packages put headers and libraries under the triplet's
# folders, and build tools (protoc, node) keep running natively.
set(CMAKE_SYSTEM_NAME Linux)
if(NOT METERD_CROSS_TRIPLET)
  message(FATAL_ERROR "set METERD_CROSS_TRIPLET, e.g. aarch64-linux-gnu")
endif()
string(REGEX MATCH "^[^-]+" CMAKE_SYSTEM_PROCESSOR "${METERD_CROSS_TRIPLET}")
set(CMAKE_C_COMPILER ${METERD_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${METERD_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${METERD_CROSS_TRIPLET})
set(PKG_CONFIG_EXECUTABLE ${METERD_CROSS_TRIPLET}-pkg-config CACHE FILEPATH "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-${CMAKE_SYSTEM_PROCESSOR}-static)
