#!/usr/bin/env bash
# GPU acceptance run of trainplan-probe on one node with 1-8 H100 SXM or H200 GPUs, in under
# 8 minutes: builds with CUDA, warms the GPUs up, runs gemm (bf16 and fp8, large shapes and
# llama3-70b tp 8 shapes), hbm, and NCCL all_reduce / all_gather / reduce_scatter / all_to_all
# over all local GPUs, compares each with the published figures of
# probes/acceptance/reference_figures.json, and feeds the files to `trainplan plan --probes`.
#
# usage: probes/acceptance/gpu_acceptance.sh [--build-dir DIR] [--out DIR] [--no-build]
# Exit status: 0 every figure ok or low (see the table), 1 a figure failed or a step failed,
# 77 no NVIDIA GPU here (the ctest case labelled gpu reports it as skipped).
# The result files land in --out (default DIR/acceptance); they are measurements of this machine,
# with their provenance inside. To commit them, copy them to probes/data/ with a name saying the
# GPU, host and date, and record the comparison in docs/probes.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
build_dir="$source_dir/build-gpu"
out_dir=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out_dir="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "gpu_acceptance.sh: unknown argument '$1' (--build-dir DIR, --out DIR, --no-build)" >&2; exit 2 ;;
  esac
done
out_dir="${out_dir:-$build_dir/acceptance}"
budget_s=480
start_s=$SECONDS
step() { printf '\n== %s (%d s so far)\n' "$1" $((SECONDS - start_s)); }
over_budget() {
  if [ $((SECONDS - start_s)) -gt $budget_s ]; then
    echo "gpu_acceptance.sh: over the ${budget_s} s budget after: $1" >&2
    exit 1
  fi
}

# --- a GPU? -----------------------------------------------------------------------------------
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu_acceptance.sh: skipped: no NVIDIA GPU on $(hostname) (nvidia-smi missing or failing)"
  exit 77
fi
gpus=$(nvidia-smi -L | grep -c '^GPU ' || true)
if [ "$gpus" -lt 1 ]; then
  echo "gpu_acceptance.sh: skipped: nvidia-smi lists no GPU on $(hostname)"
  exit 77
fi
gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
case "$gpu_name" in
  *H200*) family=h200; planner_gpu=h200 ;;
  *H100*PCIe*|*H100*NVL*) family=other; planner_gpu=h100-pcie ;;
  *H100*) family=h100-sxm; planner_gpu=h100-sxm ;;
  *) family=other; planner_gpu="" ;;
esac
echo "gpu_acceptance.sh: $gpus x $gpu_name on $(hostname) (reference set: $family)"
[ "$gpus" -gt 8 ] && gpus=8
mkdir -p "$out_dir"

# --- build ---------------------------------------------------------------------------------------
if [ "$build" = 1 ]; then
  step "build with CUDA ($build_dir)"
  nvcc="${CUDACXX:-/usr/local/cuda/bin/nvcc}"
  cmake -S "$source_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRAINPLAN_PROBES=ON \
    -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES=native -DTRAINPLAN_BUILD_TESTS=OFF \
    -DTRAINPLAN_BUILD_BENCHMARKS=OFF >"$out_dir/configure.log" 2>&1 || { tail -30 "$out_dir/configure.log"; exit 1; }
  cmake --build "$build_dir" -j"$(nproc)" --target trainplan trainplan-probe >"$out_dir/build.log" 2>&1 ||
    { tail -40 "$out_dir/build.log"; exit 1; }
  over_budget "the build"
fi
probe="$build_dir/probes/trainplan-probe"
planner="$build_dir/planner/trainplan"
for binary in "$probe" "$planner"; do
  [ -x "$binary" ] || { echo "gpu_acceptance.sh: $binary is missing (build first, or drop --no-build)" >&2; exit 1; }
done
mpirun=(mpirun)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)

# --- measurements ----------------------------------------------------------------------------
# gemm: the mamf-finder best shape, 8192^3 and 16384^3; a 5 s warm-up per dtype first.
step "gemm bf16 + fp8, large shapes"
"$probe" gemm --shapes 2048x2048x13312,8192x8192x8192,16384x16384x16384 --dtype bf16,fp8 \
  --warmup-seconds 5 -w 10 -n 50 --timeout 120 --json "$out_dir/gemm-large.json"
over_budget "gemm, large shapes"
step "gemm bf16 + fp8, llama3-70b tp 8 shapes"
"$probe" gemm --model llama3-70b --tp 8 --micro-batch 1 --seq-len 8192 --sequence-parallel --dtype bf16,fp8 \
  --warmup-seconds 2 -w 5 -n 20 --timeout 120 --json "$out_dir/gemm-llama3-70b-tp8.json"
over_budget "gemm, model shapes"
step "hbm copy + triad"
"$probe" hbm --array-bytes 2G -w 10 -n 100 --timeout 60 --json "$out_dir/hbm.json"
over_budget "hbm"
step "NCCL over $gpus GPU(s)"
if [ "$gpus" -ge 2 ]; then
  "${mpirun[@]}" -np "$gpus" --bind-to none -x PATH ${LD_LIBRARY_PATH:+-x LD_LIBRARY_PATH} "$probe" comm --backend nccl \
    --op all_reduce,all_gather,reduce_scatter,all_to_all -b 1M -e 4G -f 4 -w 5 -n 10 --batch 10 --check 1 \
    --timeout 120 --json "$out_dir/comm-${gpus}gpu.json"
else
  echo "one GPU: no collective to measure (NCCL needs two ranks)"
fi
over_budget "comm"

# --- comparison and the planner ----------------------------------------------------------------
step "comparison with published figures"
results=("$out_dir"/gemm-large.json "$out_dir"/gemm-llama3-70b-tp8.json "$out_dir"/hbm.json)
[ -f "$out_dir/comm-${gpus}gpu.json" ] && results+=("$out_dir/comm-${gpus}gpu.json")
verdict=0
python3 "$here/compare_reference.py" "$here/reference_figures.json" "$family" "${results[@]}" \
  --report "$out_dir/comparison.json" || verdict=1

if [ -n "$planner_gpu" ]; then
  step "trainplan plan --probes (llama3-70b on 64 GPUs)"
  plan_args=(plan --model llama3-70b --gpu "$planner_gpu" --gpus 64 --tp 8 --pp 1 --seq-len 8192 --global-batch 512
             --sequence-parallel --format json)
  "$planner" "${plan_args[@]}" >"$out_dir/plan-published.json"
  "$planner" "${plan_args[@]}" --probes "${results[@]}" >"$out_dir/plan-measured.json"
  python3 - "$out_dir/plan-published.json" "$out_dir/plan-measured.json" <<'PY'
import json, sys
def step(path):
    doc = json.load(open(path))
    for key in ("step_time_s",):
        if key in doc: return doc[key]
    return doc.get("result", doc).get("step_time_s")
a, b = step(sys.argv[1]), step(sys.argv[2])
print("step time: published figures %.3f s, this machine's %.3f s (%+.1f%%)" % (a, b, 100 * (b / a - 1)))
PY
fi
printf '\ngpu_acceptance.sh: done in %d s (budget %d s); files in %s\n' $((SECONDS - start_s)) $budget_s "$out_dir"
over_budget "the comparison"
exit $verdict
