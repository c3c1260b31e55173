# Writes the man page of kucun-hub and the settings file of its service from what the built
# binary prints for --help and --version, so that neither can drift from the settings the binary
# knows. Script mode, run by cmake/packaging.cmake at build time:
#
#   cmake -DKUCUN_BINARY=<kucun-hub> -DKUCUN_SUMMARY=<one line>
#         -DMAN_TEMPLATE=<kucun-hub.1.in> -DMAN_OUTPUT=<kucun-hub.1.gz>
#         -DINI_TEMPLATE=<kucun-hub.ini.in> -DINI_OUTPUT=<kucun-hub.ini>
#         [-DINI_SERVICE_VALUES=KEY=value,...] -P docs-from-help.cmake
#
# INI_SERVICE_VALUES names the settings the service's unit sets in its environment: the settings
# file shows that value instead of the binary's default, with a note that the unit wins.
#
# What --help looks like is Qt's QCommandLineParser layout: "Usage:" line, the description,
# "Options:", then one entry per option, its names in a column and its description wrapped to
# 79 characters beside them. A setting's description ends in "[env NAME, default VALUE]".
# Anything else stops the build with the line that was not understood.
cmake_minimum_required(VERSION 3.25)

foreach(required KUCUN_BINARY KUCUN_SUMMARY MAN_TEMPLATE MAN_OUTPUT INI_TEMPLATE INI_OUTPUT)
    if(NOT DEFINED ${required})
        message(FATAL_ERROR "docs-from-help.cmake: -D${required}=... is missing")
    endif()
endforeach()

# The default data folder lies in the home of whoever runs the build: let the binary print it
# under a marker home, which the documents show as ~.
set(home_marker "/kucun-help-home")
set(ENV{HOME} "${home_marker}")
unset(ENV{XDG_DATA_HOME})
unset(ENV{XDG_CONFIG_HOME})
# --help and --version print before any application object exists; the platform is set only so
# that a later change there cannot make the build need a display.
set(ENV{QT_QPA_PLATFORM} offscreen)
# A sanitizer build's binary would call Qt's process-lifetime allocations leaks at exit.
set(ENV{ASAN_OPTIONS} detect_leaks=0)

function(run_binary argument result)
    execute_process(COMMAND "${KUCUN_BINARY}" ${argument}
        OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "docs-from-help.cmake: '${KUCUN_BINARY} ${argument}' failed "
            "(${status}): ${errors}")
    endif()
    set(${result} "${output}" PARENT_SCOPE)
endfunction()

run_binary(--version version_output)
if(NOT version_output MATCHES "^kucun-hub ([^ \n]+)")
    message(FATAL_ERROR "docs-from-help.cmake: --version printed '${version_output}', "
        "not 'kucun-hub <version>'")
endif()
set(version "${CMAKE_MATCH_1}")
run_binary(--help help)

# CMake lists are strings split at ';', and a '[' without its ']' keeps the split from happening:
# the help has both ("...; empty = no auth [env" on one line, "HUB_JWT_SECRET]" on the next).
# Lines are handled with stand-ins for the three, put back where text is written out.
macro(hide_list_characters variable)
    string(REPLACE ";" "@semicolon@" ${variable} "${${variable}}")
    string(REPLACE "[" "@open@" ${variable} "${${variable}}")
    string(REPLACE "]" "@close@" ${variable} "${${variable}}")
endmacro()
macro(restore_list_characters variable)
    string(REPLACE "@semicolon@" ";" ${variable} "${${variable}}")
    string(REPLACE "@open@" "[" ${variable} "${${variable}}")
    string(REPLACE "@close@" "]" ${variable} "${${variable}}")
endmacro()

hide_list_characters(help)
string(REPLACE "\n" ";" help_lines "${help}")

# Names: dash-words and <value> separated by single spaces; then at least two spaces.
set(option_line_regex "^  (-[^ ]+( [^ ]+)*)  +([^ ].*)$")

# First pass: where descriptions start, and how long their longest line is. A description line
# of that full length without a space is a word Qt cut where the column ended (a long URL or
# path): it continues on the next line without a space.
set(section header)
set(column 0)
set(full_width 0)
foreach(line IN LISTS help_lines)
    if(section STREQUAL "header")
        if(line STREQUAL "Options:")
            set(section options)
        endif()
        continue()
    endif()
    if(line STREQUAL "")
        continue()
    endif()
    if(line MATCHES "${option_line_regex}")
        set(text "${CMAKE_MATCH_3}")
        string(LENGTH "${line}" line_length)
        string(LENGTH "${text}" text_length)
        math(EXPR column "${line_length} - ${text_length}")
    elseif(line MATCHES "^ +([^ ].*)$" AND column GREATER 0)
        set(text "${CMAKE_MATCH_1}")
        string(LENGTH "${line}" line_length)
        string(LENGTH "${text}" text_length)
        math(EXPR indent "${line_length} - ${text_length}")
        if(NOT indent EQUAL column)
            restore_list_characters(line)
            message(FATAL_ERROR "docs-from-help.cmake: this line of --help is not in the "
                "description column (${column}): '${line}'")
        endif()
    else()
        restore_list_characters(line)
        message(FATAL_ERROR "docs-from-help.cmake: cannot read this line of --help: '${line}'")
    endif()
    restore_list_characters(text)
    string(LENGTH "${text}" text_length)
    if(text_length GREATER full_width)
        set(full_width ${text_length})
    endif()
endforeach()
if(column EQUAL 0)
    message(FATAL_ERROR "docs-from-help.cmake: --help lists no options")
endif()

# Second pass: one record per option, its description lines joined back into one.
set(header_lines "")
set(option_count 0)
set(section header)
foreach(line IN LISTS help_lines)
    if(section STREQUAL "header")
        if(line STREQUAL "Options:")
            set(section options)
        elseif(NOT line STREQUAL "" AND NOT line MATCHES "^Usage: ")
            string(APPEND header_lines "${line}\n")
        endif()
        continue()
    endif()
    if(line STREQUAL "")
        continue()
    endif()
    if(line MATCHES "${option_line_regex}")
        math(EXPR option_count "${option_count} + 1")
        set(option_${option_count}_names "${CMAKE_MATCH_1}")
        set(option_${option_count}_text "${CMAKE_MATCH_3}")
        set(last_line "${CMAKE_MATCH_3}")
        continue()
    endif()
    string(SUBSTRING "${line}" ${column} -1 continued)
    string(STRIP "${continued}" continued)
    restore_list_characters(last_line)
    string(LENGTH "${last_line}" last_length)
    # A full line without a space is a word cut at the column, unless it ends in punctuation:
    # then it is a whole word (an env name and its comma) that happened to fill the line.
    set(separator " ")
    if(last_length EQUAL full_width AND NOT last_line MATCHES " "
            AND NOT last_line MATCHES "[,;.:)]$")
        set(separator "")
    endif()
    string(APPEND option_${option_count}_text "${separator}${continued}")
    set(last_line "${continued}")
endforeach()

# Text for roff: backslashes printed as such, '-' as the ASCII minus that shells and searches
# expect (groff would print a hyphen), and no line starting with a control character.
function(roff_escape text result)
    restore_list_characters(text)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REPLACE "-" "\\-" text "${text}")
    if(text MATCHES "^[.']")
        set(text "\\&${text}")
    endif()
    set(${result} "${text}" PARENT_SCOPE)
endfunction()

# A default under the marker home is shown as ~.
function(home_as_tilde text result)
    string(REPLACE "${home_marker}" "~" text "${text}")
    set(${result} "${text}" PARENT_SCOPE)
endfunction()

# "; "-prefixed comment lines of at most 79 characters (a longer word keeps a line of its own).
function(ini_comment text result)
    hide_list_characters(text)
    string(REGEX REPLACE "  +" " " text "${text}")
    string(REPLACE " " ";" words "${text}")
    set(output "")
    set(current ";")
    foreach(word IN LISTS words)
        restore_list_characters(word)
        string(LENGTH "${current} ${word}" length)
        if(length GREATER 79 AND NOT current STREQUAL ";")
            string(APPEND output "${current}\n")
            set(current ";")
        endif()
        string(APPEND current " ${word}")
    endforeach()
    set(${result} "${output}${current}\n" PARENT_SCOPE)
endfunction()

# The values the service's unit sets, KEY=value separated by commas.
string(REPLACE "," ";" service_values "${INI_SERVICE_VALUES}")
foreach(entry IN LISTS service_values)
    if(NOT entry MATCHES "^([A-Z][A-Z0-9_]*)=(.*)$")
        message(FATAL_ERROR "docs-from-help.cmake: INI_SERVICE_VALUES entry '${entry}' is not "
            "KEY=value")
    endif()
    set(service_value_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
endforeach()

set(man_options "")
set(man_environment "")
set(ini_settings "")
set(settings_seen "")
foreach(index RANGE 1 ${option_count})
    set(text "${option_${index}_text}")
    set(env "")
    set(default "")
    if(text MATCHES "^(.*) @open@env ([A-Z][A-Z0-9_]*)(, default (.*))?@close@$")
        set(text "${CMAKE_MATCH_1}")
        set(env "${CMAKE_MATCH_2}")
        set(default "${CMAKE_MATCH_4}")
        list(APPEND settings_seen "${env}")
    endif()

    # -h, --help  ->  \fB\-h\fR, \fB\-\-help\fR ;  --ws-port <port>  ->  \fB\-\-ws\-port\fR \fIport\fR
    string(REPLACE " " ";" name_words "${option_${index}_names}")
    set(names "")
    set(flag "")
    foreach(word IN LISTS name_words)
        if(word MATCHES "^<(.*)>$")
            roff_escape("${CMAKE_MATCH_1}" value_name)
            string(APPEND names " \\fI${value_name}\\fR")
        else()
            set(comma "")
            if(word MATCHES "^(.*),$")
                set(word "${CMAKE_MATCH_1}")
                set(comma ",")
            endif()
            set(flag "${word}")
            roff_escape("${word}" escaped)
            if(NOT names STREQUAL "")
                string(APPEND names " ")
            endif()
            string(APPEND names "\\fB${escaped}\\fR${comma}")
        endif()
    endforeach()
    # Qt's own options end their sentence; ours do not.
    if(NOT text MATCHES "[.!?]$")
        string(APPEND text ".")
    endif()
    roff_escape("${text}" description)
    string(APPEND man_options ".TP\n${names}\n${description}\n")
    if(NOT env STREQUAL "")
        home_as_tilde("${default}" shown_default)
        roff_escape("${shown_default}" shown_default)
        if(shown_default STREQUAL "")
            string(APPEND man_options "Environment: \\fB${env}\\fR.\n")
        else()
            string(APPEND man_options
                "Environment: \\fB${env}\\fR; default: \\fB${shown_default}\\fR.\n")
        endif()
        roff_escape("${flag}" escaped_flag)
        string(APPEND man_environment ".TP\n.B ${env}\nAs \\fB${escaped_flag}\\fR.\n")

        ini_comment("${text}" comment)
        set(value "${default}")
        if(DEFINED service_value_${env})
            set(value "${service_value_${env}}")
            ini_comment("The service's unit sets this one, which wins over this file." note)
            string(APPEND comment "${note}")
        elseif(value MATCHES "${home_marker}")
            set(value "")
        endif()
        restore_list_characters(value)
        # QSettings reads everything after an unquoted ';' as a comment.
        if(value MATCHES ";")
            set(value "\"${value}\"")
        endif()
        string(APPEND ini_settings "${comment};${env}=${value}\n\n")
    endif()
endforeach()

foreach(entry IN LISTS service_values)
    string(REGEX REPLACE "=.*" "" key "${entry}")
    if(NOT key IN_LIST settings_seen)
        message(FATAL_ERROR "docs-from-help.cmake: INI_SERVICE_VALUES names ${key}, which --help "
            "does not list")
    endif()
endforeach()
if(settings_seen STREQUAL "")
    message(FATAL_ERROR "docs-from-help.cmake: --help lists no setting ([env NAME])")
endif()

# The description: the help's own lines; roff fills them into a paragraph.
string(REPLACE "\n" ";" header_list "${header_lines}")
set(man_description "")
foreach(line IN LISTS header_list)
    if(NOT line STREQUAL "")  # a blank line would start a new paragraph
        roff_escape("${line}" escaped)
        string(APPEND man_description "${escaped}\n")
    endif()
endforeach()

roff_escape("${version}" KUCUN_VERSION)
# NAME lines start in lower case: "kucun-hub - cache and ...".
string(SUBSTRING "${KUCUN_SUMMARY}" 0 1 first)
string(SUBSTRING "${KUCUN_SUMMARY}" 1 -1 rest)
string(TOLOWER "${first}" first)
roff_escape("${first}${rest}" KUCUN_SUMMARY)
string(REGEX REPLACE "\n$" "" KUCUN_DESCRIPTION "${man_description}")
string(REGEX REPLACE "\n$" "" KUCUN_OPTIONS "${man_options}")
string(REGEX REPLACE "\n$" "" KUCUN_ENVIRONMENT "${man_environment}")
string(REGEX REPLACE "\n\n$" "" KUCUN_INI_SETTINGS "${ini_settings}")

string(REGEX REPLACE "\\.gz$" "" man_plain "${MAN_OUTPUT}")
configure_file("${MAN_TEMPLATE}" "${man_plain}" @ONLY)
configure_file("${INI_TEMPLATE}" "${INI_OUTPUT}" @ONLY)
# Debian's form: gzip -9, without the file's name and time, so that the same page gives the same
# bytes.
execute_process(COMMAND gzip -9 -n -c "${man_plain}" OUTPUT_FILE "${MAN_OUTPUT}"
    RESULT_VARIABLE status)
if(NOT status EQUAL 0)
    message(FATAL_ERROR "docs-from-help.cmake: gzip failed on ${man_plain}")
endif()
