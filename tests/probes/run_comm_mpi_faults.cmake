# Failure handling of a multi-rank probe job, with the MPI backend on two ranks: a rank that hangs
# (a stuck collective) and a rank killed mid-run. Each job must end by itself, well within the
# watchdog's time, with a clear message, and leave the result file readable: "complete": false,
# the points measured before the failure, and the error recorded.
# cmake -DMPIEXEC=mpirun -DNUMPROC_FLAG=-np -DPROBE=trainplan-probe -DWORK=dir -P run_comm_mpi_faults.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_fault name fault timeout_s)
  set(json ${WORK}/${name}.json)
  string(TIMESTAMP started "%s" UTC)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env TRAINPLAN_PROBE_TEST_FAULT=${fault}
            ${MPIEXEC} ${NUMPROC_FLAG} 2 ${PROBE} comm --backend mpi -b 64 -e 64K -f 4 -w 1 -n 2 --op all_reduce,all_gather
            --timeout ${timeout_s} --json ${json}
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 90)
  string(TIMESTAMP ended "%s" UTC)
  math(EXPR elapsed "${ended} - ${started}")
  set(context "fault ${fault}: exit '${status}' after ${elapsed} s\nstdout:\n${out}\nstderr:\n${err}")
  if(status MATCHES "timeout" OR status EQUAL 0)
    message(FATAL_ERROR "the job did not end by itself with a failure (${context})")
  endif()
  if(elapsed GREATER 60)
    message(FATAL_ERROR "the job took over 60 s (${context})")
  endif()
  if(NOT EXISTS ${json})
    message(FATAL_ERROR "no result file ${json} (${context})")
  endif()
  file(READ ${json} document)
  string(JSON complete ERROR_VARIABLE bad GET "${document}" complete)
  if(bad)
    message(FATAL_ERROR "the result file is not readable JSON: ${bad} (${context})\n${document}")
  endif()
  if(NOT complete STREQUAL "OFF")
    message(FATAL_ERROR "the result file says complete: ${complete} (${context})")
  endif()
  string(JSON error ERROR_VARIABLE no_error GET "${document}" error)
  if(no_error OR error STREQUAL "")
    message(FATAL_ERROR "the result file records no error (${context})\n${document}")
  endif()
  string(JSON results LENGTH "${document}" results)
  if(results LESS 2)
    message(FATAL_ERROR "the ${results} results measured before the fault were not kept (${context})")
  endif()
  set(fault_error "${error}" PARENT_SCOPE)
  set(fault_stderr "${err}${out}" PARENT_SCOPE)
  message(STATUS "fault ${fault}: ended in ${elapsed} s, exit '${status}', ${results} results kept, error: ${error}")
endfunction()

# A hung rank: rank 1 stops after two points; the watchdog (3 s) ends the job and says where.
run_fault(hang "1:hang:2" 3)
if(NOT fault_error MATCHES "timeout: no progress for 3 s during")
  message(FATAL_ERROR "hang: the recorded error does not name the watchdog's timeout: ${fault_error}")
endif()
if(NOT fault_stderr MATCHES "timeout: no progress for 3 s during '[^']+'")
  message(FATAL_ERROR "hang: no clear message on stderr naming the phase:\n${fault_stderr}")
endif()

# A killed rank: rank 1 dies (SIGKILL) after two points; the launcher or MPI's error ends rank 0,
# which records why. The watchdog (20 s) is only the backstop.
run_fault(kill "1:kill:2" 20)
if(NOT fault_error MATCHES "signal|MPI|failed|timeout")
  message(FATAL_ERROR "kill: the recorded error does not say what happened: ${fault_error}")
endif()
if(NOT fault_stderr MATCHES "trainplan-probe[^\n]*(signal|failed|timeout)")
  message(FATAL_ERROR "kill: no line from trainplan-probe saying what ended it:\n${fault_stderr}")
endif()
