#!/usr/bin/env bash
# Runs every libFuzzer harness of a TRAINPLAN_FUZZ build for a fixed time each, from seed corpora
# made of the bundled files (docs/testing.md, "Fuzzing").
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_EACH=30] [HARNESS...]
# New inputs go to a scratch folder (WORK, default a temporary one); findings (crash-*, timeout-*,
# oom-*) are copied to BUILD_DIR/fuzz-findings. Exit status 1 when any harness found something.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS_EACH] [HARNESS...]}
seconds=${2:-30}
shift $(( $# >= 2 ? 2 : 1 ))
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=(model gpu topology slurm probe economics validation set schedule megatron_args nemo_recipe)
work=${WORK:-$(mktemp -d /tmp/trainplan-fuzz.XXXXXX)}
findings="$build/fuzz-findings"
mkdir -p "$findings"

seeds() {  # the seed files of one harness
  case "$1" in
    model) ls "$root"/planner/data/models/*.yaml "$root"/tests/fixtures/hf/*.json "$root"/tests/fixtures/models/*.yaml "$root"/tests/fuzz/seeds/model/* ;;
    gpu) ls "$root"/planner/data/gpus/*.yaml ;;
    topology) ls "$root"/topologies/*.yaml "$root"/tests/fixtures/topologies/*.yaml ;;
    slurm) ls "$root"/tests/fixtures/topologies/*.conf ;;
    probe) ls "$root"/probes/data/*.yaml "$root"/tests/probes/fixtures/* 2>/dev/null ;;
    economics) ls "$root"/planner/data/economics.yaml ;;
    validation) ls "$root"/planner/data/validation.yaml "$root"/planner/data/calibration.yaml ;;
    set) ls "$root"/tests/fuzz/seeds/set/* ;;
    schedule) ls "$root"/planner/data/schedules/*.yaml ;;
    megatron_args) ls "$root"/tests/fixtures/megatron/*.args ;;
    nemo_recipe) ls "$root"/tests/fixtures/nemo/*.yaml ;;
  esac
}

status=0
printf '%-13s %12s %10s %s\n' harness executions exec/s result
for h in "${harnesses[@]}"; do
  binary="$build/tests/fuzz/fuzz_$h"
  [ -x "$binary" ] || { echo "run_fuzzers.sh: $binary missing (configure with -DTRAINPLAN_FUZZ=ON)" >&2; exit 2; }
  corpus="$work/$h"
  mkdir -p "$corpus" "$work/artifacts-$h"
  for f in $(seeds "$h"); do [ -f "$f" ] && cp "$f" "$corpus/"; done
  log="$work/$h.log"
  # -rss_limit_mb and -timeout: an input may use 2 GiB and FUZZ_TIMEOUT s (default 10) at most; -max_len
  # covers the seeds. A long run on a loaded machine sets FUZZ_TIMEOUT higher, so that an input starved
  # of CPU is not reported as a hang (replay any timeout alone: docs/testing.md).
  # -seed: FUZZ_SEED (default 1), so a CI run repeats the same inputs and a finding reproduces; a
  # longer local run sets its own (docs/testing.md).
  "$binary" "$corpus" -seed="${FUZZ_SEED:-1}" -dict="$root/tests/fuzz/dict/$h.dict" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/artifacts-$h/" >"$log" 2>&1
  rc=$?
  runs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -ao 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  if [ $rc -eq 0 ]; then
    result=ok
  else
    result="FINDING (exit $rc): $(ls "$work/artifacts-$h" | head -3 | tr '\n' ' ')"
    cp "$work/artifacts-$h"/* "$findings/" 2>/dev/null
    grep -a -m3 -E 'ERROR|runtime error|internal error|terminate called' "$log" | sed 's/^/    /'
    status=1
  fi
  printf '%-13s %12s %10s %s\n' "$h" "${runs:-?}" "${speed:-?}" "$result"
done
[ -z "${WORK:-}" ] && rm -rf "$work"
exit $status
