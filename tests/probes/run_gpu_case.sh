#!/usr/bin/env bash
# One short GPU case of the probes (ctest label gpu): exits 77 (skipped) without an NVIDIA GPU.
# usage: run_gpu_case.sh gemm|hbm|comm PROBE PLANNER WORKDIR
set -euo pipefail
case_name="$1" probe="$2" planner="$3" work="$4"
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "skipped: no NVIDIA GPU on $(hostname)"
  exit 77
fi
gpus=$(nvidia-smi -L | grep -c '^GPU ' || true)
[ "$gpus" -ge 1 ] || { echo "skipped: no GPU listed"; exit 77; }
[ "$gpus" -gt 8 ] && gpus=8
mkdir -p "$work"
json="$work/$case_name.json"
rm -f "$json"
case "$case_name" in
  gemm) "$probe" gemm --shapes 4096x4096x4096 --dtype bf16 --warmup-seconds 1 -w 3 -n 10 --timeout 60 --json "$json" ;;
  hbm) "$probe" hbm --array-bytes 1G -w 3 -n 20 --timeout 60 --json "$json" ;;
  comm)
    if [ "$gpus" -lt 2 ]; then echo "skipped: one GPU, no collective"; exit 77; fi
    mpirun=(mpirun); [ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
    "${mpirun[@]}" -np "$gpus" --bind-to none "$probe" comm --backend nccl -b 1M -e 64M -f 8 -w 2 -n 5 --check 1 --timeout 60 --json "$json" ;;
  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac
# The file is complete, and the planner reads it.
grep -q '"complete": true' "$json" || { echo "$json is not complete" >&2; exit 1; }
gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
case "$gpu_name" in *H200*) planner_gpu=h200 ;; *H100*PCIe*) planner_gpu=h100-pcie ;; *H100*) planner_gpu=h100-sxm ;; *A100*) planner_gpu=a100-sxm-80gb ;; *) planner_gpu="" ;; esac
if [ -n "$planner_gpu" ]; then
  "$planner" plan --model llama3-8b --gpu "$planner_gpu" --gpus 8 --tp 1 --seq-len 4096 --global-batch 64 --probes "$json" >/dev/null
fi
echo "ok: $json"
