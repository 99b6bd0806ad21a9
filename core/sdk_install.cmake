# Installs the SDK (headers, libraries, CMake package) so out-of-tree plugins can use
#   find_package(meterd REQUIRED)  and  meterd_add_plugin(NAME ... SOURCES ...)
include(CMakePackageConfigHelpers)
# Imported as meterd::sdk, meterd::core, meterd::util, meterd::proto, the names used in-tree.
set_target_properties(meterd_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(meterd_core PROPERTIES EXPORT_NAME core)
set_target_properties(meterd_util PROPERTIES EXPORT_NAME util)
set_target_properties(meterd_proto PROPERTIES EXPORT_NAME proto)
install(TARGETS meterd RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS meterd_core meterd_util meterd_sdk EXPORT meterdTargets
  LIBRARY DESTINATION ${METERD_LIB_INSTALL_DIR} ARCHIVE DESTINATION ${METERD_LIB_INSTALL_DIR})
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/meterd DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT meterdTargets NAMESPACE meterd:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meterd)
configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/meterdConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/meterdConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meterd)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/meterdConfigVersion.cmake COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/meterdConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/meterdConfigVersion.cmake
  ${CMAKE_CURRENT_SOURCE_DIR}/cmake/meterd_helpers.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/meterd)
