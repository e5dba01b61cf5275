execute_process(COMMAND ${PYTHON} ${SCRIPT} ${SERVER} ${LOADGEN} ${CLIENT_BENCH} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "bench smoke test failed (${rc})")
endif()
