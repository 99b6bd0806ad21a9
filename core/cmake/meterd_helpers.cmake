# meterd_add_plugin(NAME <name> SOURCES ... [LIBS ...])
# Builds a plugin as a shared library named meterd_<name>.so into the common plugin folder.
function(meterd_add_plugin)
  cmake_parse_arguments(P "" "NAME" "SOURCES;LIBS" ${ARGN})
  add_library(meterd_plugin_${P_NAME} MODULE ${P_SOURCES})
  set_target_properties(meterd_plugin_${P_NAME} PROPERTIES
    OUTPUT_NAME "meterd_${P_NAME}" PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY "${METERD_PLUGIN_BUILD_DIR}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(meterd_plugin_${P_NAME} PRIVATE meterd::sdk ${P_LIBS})
  install(TARGETS meterd_plugin_${P_NAME} LIBRARY DESTINATION "${METERD_PLUGIN_INSTALL_DIR}")
endfunction()

# meterd_add_test(NAME <name> SOURCES ... [LIBS ...] [LABELS ...] [LSAN_SUPPRESSIONS <file>])
# A GoogleTest executable registered with ctest, one ctest entry per test case.
# LSAN_SUPPRESSIONS names leaks of a third-party library that LeakSanitizer is to pass over.
function(meterd_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT;LSAN_SUPPRESSIONS" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE GTest::gtest GTest::gtest_main GTest::gmock ${T_LIBS})
  target_compile_definitions(${T_NAME} PRIVATE
    METERD_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
    METERD_BUILD_DIR="${PROJECT_BINARY_DIR}"
    METERD_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set(environment "")
  if(T_LSAN_SUPPRESSIONS)
    # Full stacks: the library's frames must be seen for a suppression to match them.
    set(environment ENVIRONMENT "LSAN_OPTIONS=suppressions=${T_LSAN_SUPPRESSIONS}:fast_unwind_on_malloc=0")
  endif()
  gtest_discover_tests(${T_NAME} DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${T_TIMEOUT} ${environment} LABELS "${T_LABELS}")
endfunction()
