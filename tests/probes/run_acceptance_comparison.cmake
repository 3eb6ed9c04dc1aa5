# probes/acceptance/compare_reference.py on synthetic result files: figures at the published level
# pass, a GPU far below fails, and the report names each figure. The files are made up here; they
# are not measurements.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
function(write_results scale)
  file(WRITE ${WORK}/gemm.json "{\"schema\": \"trainplan-probe/1\", \"probe\": \"gemm\", \"results\": [
    {\"dtype\": \"bf16\", \"m\": 2048, \"n\": 2048, \"k\": 13312, \"tflops\": {\"median\": ${scale}790, \"max\": ${scale}800}},
    {\"dtype\": \"fp8\", \"m\": 8192, \"n\": 8192, \"k\": 8192, \"tflops\": {\"median\": ${scale}1300, \"max\": ${scale}1410}}]}")
  file(WRITE ${WORK}/hbm.json "{\"schema\": \"trainplan-probe/1\", \"probe\": \"hbm\", \"results\": [
    {\"kernel\": \"copy\", \"gb_s\": {\"median\": ${scale}2850, \"max\": ${scale}2950}},
    {\"kernel\": \"triad\", \"gb_s\": {\"median\": ${scale}2900, \"max\": ${scale}3000}}]}")
  file(WRITE ${WORK}/comm.json "{\"schema\": \"trainplan-probe/1\", \"probe\": \"comm\", \"results\": [
    {\"collective\": \"all_reduce\", \"level\": \"intra_node\", \"group_ranks\": 8, \"bytes\": 1073741824, \"busbw_gb_s\": ${scale}470},
    {\"collective\": \"all_gather\", \"level\": \"intra_node\", \"group_ranks\": 8, \"bytes\": 1073741824, \"busbw_gb_s\": ${scale}360},
    {\"collective\": \"reduce_scatter\", \"level\": \"intra_node\", \"group_ranks\": 8, \"bytes\": 1073741824, \"busbw_gb_s\": ${scale}362},
    {\"collective\": \"all_to_all\", \"level\": \"intra_node\", \"group_ranks\": 8, \"bytes\": 1073741824, \"busbw_gb_s\": ${scale}340}]}")
endfunction()
set(script ${SOURCE}/probes/acceptance/compare_reference.py)
set(reference ${SOURCE}/probes/acceptance/reference_figures.json)

write_results("")
execute_process(COMMAND ${PYTHON} ${script} ${reference} h100-sxm ${WORK}/gemm.json ${WORK}/hbm.json ${WORK}/comm.json
                        --report ${WORK}/report.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "figures at the published level should pass: exit ${status}\n${out}${err}")
endif()
foreach(expected "gemm_bf16_max +800" "gemm_fp8_max +1410" "hbm_copy +2.95" "all_reduce_8gpu +470" "all_to_all_8gpu +340 +- +- +no published figure")
  if(NOT out MATCHES "${expected}")
    message(FATAL_ERROR "the table lacks '${expected}':\n${out}")
  endif()
endforeach()
file(READ ${WORK}/report.json report)
string(JSON first GET "${report}" figures 0 verdict)
if(NOT first STREQUAL "ok")
  message(FATAL_ERROR "first figure's verdict '${first}', expected ok\n${report}")
endif()

# Half the published figures (a "0." prefix scales each number by 0.1): the run fails.
write_results("0.")
execute_process(COMMAND ${PYTHON} ${script} ${reference} h100-sxm ${WORK}/gemm.json ${WORK}/hbm.json ${WORK}/comm.json
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 1 OR NOT out MATCHES "fail")
  message(FATAL_ERROR "figures far below the published ones should fail: exit ${status}\n${out}${err}")
endif()
message(STATUS "acceptance comparison: passes at the published level, fails far below")
