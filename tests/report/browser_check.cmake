# Renders decision reports in headless Chromium and checks them as a reader would see them.
# -DTRAINPLAN=binary -DPNG_INK=png_ink binary (empty: not built) -DWORK=scratch directory.
# Prints "SKIPPED: ..." (ctest marks the test skipped) when chromium or png_ink is missing.
find_program(CHROMIUM NAMES chromium chromium-browser google-chrome-stable google-chrome)
if(NOT CHROMIUM)
  message("SKIPPED: no chromium on this machine (./build.sh deps installs Debian's chromium); the report was not rendered")
  return()
endif()
if(NOT PNG_INK)
  message("SKIPPED: png_ink was not built (zlib1g-dev missing; ./build.sh deps installs it)")
  return()
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run_checked)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

# Pages: `report` (step bar, one curve with a deadline) and `sweep --report` over two fabrics
# with long names (four lines, two bands and a beyond-reach gap on the chart: the legend must wrap).
run_checked(${TRAINPLAN} report --model llama3-8b --gpus 256 --global-batch 512 --seq-len 8192 --tokens 1T
            --deadline-days 8 --topology dgx-h100-superpod-ndr -o ${WORK}/report.html)
run_checked(${TRAINPLAN} sweep --model llama3-8b --gpus 64:1024 --global-batch 512 --seq-len 8192 --tokens 1T
            --topology dgx-h100-superpod-ndr --topology spectrum-x-400g --report ${WORK}/sweep.html)

# A third: `plan --schedule --report`, the calendar (tokens by date in two panels, the arrivals, each
# stretch) above the last stretch's plan.
file(WRITE ${WORK}/schedule.yaml "name: two-phases\nphases:\n  - {date: 2026-01-05, gpus: 128}\n  - {date: 2026-01-12, gpus: 128}\n")
run_checked(${TRAINPLAN} plan --model llama3-8b --global-batch 512 --seq-len 8192 --tokens 1T --tp 1 --pp 1 --cp 1 --vp 1
            --micro-batch 1 --zero 1 --recompute full --schedule ${WORK}/schedule.yaml --report ${WORK}/calendar.html)

# A fresh profile in the scratch directory; no sandbox (CI runs as root); no GPU.
set(browser ${CHROMIUM} --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
            --user-data-dir=${WORK}/profile --enable-logging=stderr --v=0)

foreach(page report sweep calendar)
  execute_process(COMMAND ${browser} --virtual-time-budget=5000 --dump-dom file://${WORK}/${page}.html
                  RESULT_VARIABLE status OUTPUT_VARIABLE dom ERROR_VARIABLE log TIMEOUT 120)
  file(WRITE ${WORK}/${page}.dom.html "${dom}")
  file(WRITE ${WORK}/${page}.browser.log "${log}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${page}: chromium --dump-dom failed (${status}):\n${log}")
  endif()
  # The page's own verdict (planner/io/html_report.cpp's check, run by the browser after layout).
  string(REGEX MATCH "<p id=\"self-check\"[^>]*>[^<]*" check "${dom}")
  if(check STREQUAL "")
    message(FATAL_ERROR "${page}: the DOM has no self-check paragraph: the page did not load")
  endif()
  message(STATUS "${page}: ${check}")
  if(NOT check MATCHES "data-js-errors=\"none\"")
    message(FATAL_ERROR "${page}: script errors: ${check}")
  endif()
  if(NOT check MATCHES "data-layout=\"ok\"")
    message(FATAL_ERROR "${page}: layout problems (a legend or label outside its chart, or a legend over a plot): ${check}")
  endif()
  string(REGEX MATCH "data-legends=\"([0-9]+)\"" legends "${check}")
  if(NOT CMAKE_MATCH_1 GREATER_EQUAL 2)
    message(FATAL_ERROR "${page}: expected at least 2 legends checked (step bar and curve), got ${check}")
  endif()
  # Console messages of the page (errors, CSP refusals of a network load) reach the log as CONSOLE.
  string(REGEX MATCHALL "[^\n]*CONSOLE[^\n]*" console "${log}")
  if(console)
    message(FATAL_ERROR "${page}: console messages:\n${console}")
  endif()
endforeach()

# The screenshot: not blank (text and charts put ink on a good share of the page's rows).
run_checked(${browser} --window-size=1200,4200 --screenshot=${WORK}/report.png file://${WORK}/report.html)
execute_process(COMMAND ${PNG_INK} ${WORK}/report.png RESULT_VARIABLE status OUTPUT_VARIABLE ink)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "png_ink could not read the screenshot ${WORK}/report.png")
endif()
message(STATUS "screenshot: ${ink}")
string(REGEX MATCH "ink_fraction=([0-9.]+) rows_with_ink_fraction=([0-9.]+)" matched "${ink}")
if(CMAKE_MATCH_1 LESS 0.02 OR CMAKE_MATCH_2 LESS 0.3)
  message(FATAL_ERROR "the screenshot is (nearly) blank: ${ink} (see ${WORK}/report.png)")
endif()
