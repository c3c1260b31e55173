# The Debian package of kucun-hub (docs/package.md): `cmake --build <dir> --target package`
# writes kucun-hub_<version>_<arch>.deb into the build folder. Included from the top-level
# CMakeLists.txt after the targets it packages.

set(KUCUN_PACKAGE_MAINTAINER "Kucun Hub maintainers <maintainers@kucun-hub.invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(kucun_packaging_dir "${PROJECT_SOURCE_DIR}/packaging")
set(kucun_man_page "${PROJECT_BINARY_DIR}/packaging/kucun-hub.1.gz")
set(kucun_service_settings "${PROJECT_BINARY_DIR}/packaging/kucun-hub.ini")

# The man page and the service's settings file list the settings the binary itself prints with
# --help, so both are written after each link of the binary and never drift from it.
add_custom_command(
    OUTPUT "${kucun_man_page}" "${kucun_service_settings}"
    COMMAND "${CMAKE_COMMAND}"
        "-DKUCUN_BINARY=$<TARGET_FILE:kucun-hub>"
        "-DKUCUN_SUMMARY=${PROJECT_DESCRIPTION}"
        "-DMAN_TEMPLATE=${kucun_packaging_dir}/kucun-hub.1.in"
        "-DMAN_OUTPUT=${kucun_man_page}"
        "-DINI_TEMPLATE=${kucun_packaging_dir}/debian/kucun-hub.ini.in"
        "-DINI_OUTPUT=${kucun_service_settings}"
        # kucun-hub.service sets it (StateDirectory=kucun-hub, HUB_DATA_DIR=%S/kucun-hub).
        "-DINI_SERVICE_VALUES=HUB_DATA_DIR=/var/lib/kucun-hub"
        -P "${CMAKE_CURRENT_LIST_DIR}/docs-from-help.cmake"
    DEPENDS kucun-hub
        "${CMAKE_CURRENT_LIST_DIR}/docs-from-help.cmake"
        "${kucun_packaging_dir}/kucun-hub.1.in"
        "${kucun_packaging_dir}/debian/kucun-hub.ini.in"
    COMMENT "Writing the man page and the service's settings file from kucun-hub --help"
    VERBATIM)
add_custom_target(kucun_help_documents ALL
    DEPENDS "${kucun_man_page}" "${kucun_service_settings}")

install(FILES "${kucun_man_page}" DESTINATION share/man/man1)

# The service's files belong to the package only: a plain `cmake --install` (to /usr/local, to
# a home folder) leaves /etc and /lib alone, as they are installed only when their component
# is asked for by name, which the package below does.
install(FILES "${kucun_packaging_dir}/debian/kucun-hub.service"
    DESTINATION /lib/systemd/system
    COMPONENT service EXCLUDE_FROM_ALL)
# Secrets may be written into it: never readable by all, even before postinst gives it to the
# kucun-hub group.
install(FILES "${kucun_service_settings}"
    DESTINATION /etc/kucun-hub
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
    COMPONENT service EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kucun-hub)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# CPack puts the lines as they are into the control file, which reads best under 80 columns.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "Kucun Hub embeds a cache engine and an event bus (in memory, or Redis"
    "through hiredis) and runs a WebSocket hub that a warehouse site's browsers"
    "subscribe to, with a desktop window that shows keys, events, clients and"
    "channels."
    ""
    "The kucun-hub systemd service runs it headless with the settings in"
    "/etc/kucun-hub/kucun-hub.ini; it is neither enabled nor started on install.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# One package holding every component: the default one (binary, desktop file, icon, man page)
# and the service's files, which only a component install puts in.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KUCUN_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps names the libraries the binary links (Qt 6, hiredis, ...). Not linked, and so
# named here: Qt's SQLite driver, loaded at run time for the audit log, and adduser for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libqt6sql6-sqlite")
# The window needs Qt's platform plugins; the headless service does not. Recommends brings them
# with a plain `apt install` and leaves them out of a server installed without recommends.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${kucun_packaging_dir}/debian/conffiles"
    "${kucun_packaging_dir}/debian/postinst"
    "${kucun_packaging_dir}/debian/prerm"
    "${kucun_packaging_dir}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
