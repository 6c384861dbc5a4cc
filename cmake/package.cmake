# The Debian package: `cpack -G DEB` in the build folder writes
# appdiag_<version>_<arch>.deb (stripped binary, Depends: computed from the
# shared libraries it links) and, from a build with debug info
# (RelWithDebInfo, the default), appdiag-dbgsym_<version>_<arch>.ddeb.
set(CPACK_PACKAGE_NAME appdiag)
set(CPACK_PACKAGE_VENDOR "the appdiag developers")
set(CPACK_PACKAGE_CONTACT "the appdiag developers <appdiag@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "why a Python app on Azure App Service (Linux) did not build, start, or serve")
set(CPACK_PACKAGE_DESCRIPTION
  "appdiag reads the logs, listing and settings of an App Service app (a downloaded bundle, \
a zip, standard input or the container over SSH), matches them against a built-in pack of known \
failures and reports the root cause, the lines that prove it and what to do.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
# With debug info the DEB generator moves it into the -dbgsym package and strips
# the binary itself; stripping at install time first would leave it nothing
# to move (and no .ddeb would be written).
if(CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Debug)$")
  set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
  set(CPACK_STRIP_FILES OFF)
else()
  set(CPACK_STRIP_FILES ON)
endif()
# cpack packages what is built; it does not build (nor rebuild during a test run) first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
