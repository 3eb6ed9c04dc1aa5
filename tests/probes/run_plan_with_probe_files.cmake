# trainplan plan --probes with the fixtures: a file from another GPU model ends the plan with exit 2
# and one line naming the file and field; a file with one slow rail plans with the slow rail and
# says so on stderr; per-rail and nccl-tests files of the same hardware give the same step.
# cmake -DPLANNER=trainplan -DFIXTURES=dir -P run_plan_with_probe_files.cmake
set(plan plan --model llama3-70b --gpu h100-sxm --gpus 64 --tp 8 --pp 4 --seq-len 8192 --global-batch 512 --sequence-parallel)

execute_process(COMMAND ${PLANNER} ${plan} --probes ${FIXTURES}/probe_gemm_one_shape_h100_pcie.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
string(STRIP "${err}" line)
if(NOT rc EQUAL 2 OR line MATCHES "\n" OR NOT line MATCHES "probe_gemm_one_shape_h100_pcie.json: provenance.gpu.model: measured on 'NVIDIA H100 PCIe'")
  message(FATAL_ERROR "an H100 PCIe file for an H100 SXM plan: exit ${rc}, stderr:\n${err}")
endif()

execute_process(COMMAND ${PLANNER} ${plan} --probes ${FIXTURES}/probe_comm_per_rail_4x8_slow_rail.json
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(NOT rc EQUAL 0 OR NOT err MATCHES "warning: [^\n]*group 'rail 3' reaches 25.0% of the median of 8 groups")
  message(FATAL_ERROR "a file with a slow rail: exit ${rc}, stderr:\n${err}")
endif()

function(step_of files result)
  execute_process(COMMAND ${PLANNER} ${plan} --format json --probes ${files}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "plan --probes ${files}: exit ${rc}\n${err}")
  endif()
  string(JSON pp GET "${out}" breakdown pp_comm_s)
  set(${result} "${pp}" PARENT_SCOPE)
endfunction()
# Pipeline sends between nodes: a sendrecv_perf file of 2 x 8 GPUs and a per-rail file of the same
# NICs (a sendrecv_perf busbw divided by 8 made these sends 8x slower).
step_of(${FIXTURES}/probe_comm_per_rail_2x8.json rail)
step_of(${FIXTURES}/nccl_tests_send_recv_2x8.json world)
if(NOT rail STREQUAL world)
  message(FATAL_ERROR "pipeline comm from a per-rail file (${rail} s) and a sendrecv_perf file (${world} s) differ")
endif()
message(STATUS "plan --probes: other GPU refused, slow rail named, file formats agree (pipeline comm ${rail} s)")
