# cmake -DLUPDATE=... -DLRELEASE=... -DTS_FILE=... -DSOURCES_LIST=... -DWORK_DIR=... -P check-translations.cmake
#
# Fails when the catalog TS_FILE misses a user-visible string of the sources listed in
# SOURCES_LIST (one path a line): lupdate runs on a scratch copy, so the committed file is never
# touched, and any message left "unfinished" (new or changed source text) or with an empty
# translation is reported by context and source text.
foreach(var LUPDATE LRELEASE TS_FILE SOURCES_LIST WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "check-translations: ${var} is not set")
    endif()
endforeach()
if(NOT EXISTS "${TS_FILE}")
    message(FATAL_ERROR "${TS_FILE} does not exist: run `ninja update_translations`")
endif()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
get_filename_component(name "${TS_FILE}" NAME)
set(copy "${WORK_DIR}/${name}")
file(COPY_FILE "${TS_FILE}" "${copy}")

execute_process(
    COMMAND "${LUPDATE}" "@${SOURCES_LIST}" -ts "${copy}" -no-obsolete -locations none
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${result}):\n${out}\n${err}")
endif()
message(STATUS "lupdate: ${out}")

file(READ "${copy}" ts)
# Messages one by one: <message ...> ... </message>
set(problems "")
set(count 0)
set(context "")
string(REGEX MATCHALL "(<name>[^<]*</name>|<message[^>]*>([^<]|<[^/]|</[^m])*</message>)" items "${ts}")
foreach(item IN LISTS items)
    if(item MATCHES "^<name>([^<]*)</name>$")
        set(context "${CMAKE_MATCH_1}")
        continue()
    endif()
    math(EXPR count "${count} + 1")
    string(REGEX MATCH "<source>([^<]*)</source>" _ "${item}")
    set(source "${CMAKE_MATCH_1}")
    if(item MATCHES "type=\"unfinished\"")
        string(APPEND problems "  unfinished: [${context}] ${source}\n")
    elseif(item MATCHES "<translation>[ \t\r\n]*</translation>" OR item MATCHES "<numerusform></numerusform>")
        string(APPEND problems "  empty: [${context}] ${source}\n")
    endif()
endforeach()

# The catalog also compiles.
execute_process(
    COMMAND "${LRELEASE}" "${copy}" -qm "${WORK_DIR}/check.qm"
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "lrelease failed (${result}):\n${out}\n${err}")
endif()

if(problems)
    message(FATAL_ERROR "${name}: strings without a translation (run `ninja update_translations`, then translate):\n${problems}")
endif()
message(STATUS "${name}: ${count} message(s), all translated")
