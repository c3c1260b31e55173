# The Debian package of kucun-hub (docs/package.md). Included from the top-level CMakeLists.txt
# after the targets it packages.

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
