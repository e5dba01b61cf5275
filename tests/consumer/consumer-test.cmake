# Run by CTest (see CMakeLists.txt):
#   cmake -DSOCKETIO_BUILD_DIR=... -DCONSUMER_SOURCE_DIR=... -DWORK_DIR=... [-DCONFIG=...]
#         [-DGENERATOR=...] [-DCXX_COMPILER=...] -P consumer-test.cmake
# 1. cmake --install the SocketIo build into WORK_DIR/prefix (redisadapter.h only with SocketIoRedis)
# 2. configure and build the consumer project with CMAKE_PREFIX_PATH=WORK_DIR/prefix
# 3. check that SocketIo was found in that prefix (not in the build tree) and run the program
cmake_minimum_required(VERSION 3.21)

foreach(var SOCKETIO_BUILD_DIR CONSUMER_SOURCE_DIR WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "consumer-test: ${var} is not set")
    endif()
endforeach()
if(NOT CONFIG)
    set(CONFIG Release)
endif()

set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

function(run step)
    message(STATUS "consumer-test: ${step}: ${ARGN}")
    execute_process(COMMAND ${ARGN}
        RESULT_VARIABLE result
        OUTPUT_VARIABLE output
        ERROR_VARIABLE output)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "consumer-test: ${step} failed (${result}):\n${output}")
    endif()
    set(last_output "${output}" PARENT_SCOPE)
endfunction()

run(install ${CMAKE_COMMAND} --install "${SOCKETIO_BUILD_DIR}" --prefix "${prefix}" --config "${CONFIG}")

# The Redis adapter's header comes with its library, and only with it.
file(GLOB_RECURSE redis_targets "${prefix}/*/SocketIoRedisTargets.cmake")
file(GLOB_RECURSE redis_header "${prefix}/*/SocketIo/redisadapter.h")
if(redis_targets AND NOT redis_header)
    message(FATAL_ERROR "consumer-test: SocketIoRedis is installed without SocketIo/redisadapter.h")
elseif(redis_header AND NOT redis_targets)
    message(FATAL_ERROR "consumer-test: SocketIo/redisadapter.h is installed without SocketIoRedis")
endif()

set(configure_args
    -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}"
    "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}"
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
if(GENERATOR)
    list(APPEND configure_args -G "${GENERATOR}")
endif()
if(CXX_COMPILER)
    list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
run(configure ${CMAKE_COMMAND} ${configure_args})

# The package must come from the prefix we just installed.
file(STRINGS "${consumer_build}/CMakeCache.txt" socketio_dir REGEX "^SocketIo_DIR:")
string(REGEX REPLACE "^SocketIo_DIR:[A-Z]+=" "" socketio_dir "${socketio_dir}")
file(REAL_PATH "${prefix}" real_prefix)
file(REAL_PATH "${socketio_dir}" real_socketio_dir)
string(FIND "${real_socketio_dir}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
    message(FATAL_ERROR "consumer-test: SocketIo was found in '${socketio_dir}', not under '${prefix}'")
endif()
message(STATUS "consumer-test: SocketIo_DIR=${socketio_dir}")

run(build ${CMAKE_COMMAND} --build "${consumer_build}" --config "${CONFIG}" --parallel 2)

set(program "${consumer_build}/socketio-consumer")
if(NOT EXISTS "${program}" AND EXISTS "${consumer_build}/${CONFIG}/socketio-consumer")
    set(program "${consumer_build}/${CONFIG}/socketio-consumer")
endif()
run(run "${program}")
if(NOT last_output MATCHES "listening on 127\\.0\\.0\\.1 port [1-9][0-9]*")
    message(FATAL_ERROR "consumer-test: unexpected output of the consumer:\n${last_output}")
endif()
message(STATUS "consumer-test: ${last_output}")
message(STATUS "consumer-test: passed")
