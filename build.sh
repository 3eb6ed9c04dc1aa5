#!/usr/bin/env bash
# trainplan's one entry point for a fresh Debian 12 machine:
#   ./build.sh plan   install what is missing, build, run the default GPT-5-class plan (50,000 H100s)
#   ./build.sh test   install what is missing, build, run the whole test suite (ctest); then the
#                     hardening steps: the suite again built with clang under ASan + UBSan (in
#                     BUILD_DIR-hardened), and each libFuzzer harness for FUZZ_SECONDS (default 30)
#   ./build.sh deps   only install what is missing
# Environment: BUILD_DIR (default build), JOBS (default: all cores), TRAINPLAN_PROBES (AUTO|ON|OFF),
# HARDENING (ON|OFF, default ON: the sanitizer suite and the fuzzers after `test`), FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-plan}
build_dir=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

# Debian 12 packages the build and the tests need (CUDA/NCCL are optional, found under /usr/local/cuda).
# chromium and zlib1g-dev: the test that renders the HTML decision report in a headless browser.
packages=(cmake ninja-build g++ pkg-config libyaml-cpp-dev nlohmann-json3-dev libboost-program-options-dev
          libgtest-dev libgmock-dev libbenchmark-dev libopenmpi-dev openmpi-bin chromium zlib1g-dev python3 clang libclang-rt-14-dev)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

configure_and_build() {
  local cuda_args=()
  if [ -x /usr/local/cuda/bin/nvcc ] && ! command -v nvcc >/dev/null 2>&1; then
    cuda_args+=("-DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc")
  fi
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DTRAINPLAN_PROBES="${TRAINPLAN_PROBES:-AUTO}" "${cuda_args[@]}"
  cmake --build "$build_dir" -j "$jobs"
}

# The hardening steps of `test` (docs/testing.md): every library, test and the CLI built with clang
# under AddressSanitizer + UndefinedBehaviorSanitizer with libFuzzer coverage, the whole ctest suite
# (adversarial corpus included) run there, then each fuzz harness for FUZZ_SECONDS from the bundled files.
hardened_test() {
  local dir="${build_dir}-hardened"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DTRAINPLAN_SANITIZE=ON -DTRAINPLAN_FUZZ=ON -DTRAINPLAN_PROBES=OFF -DTRAINPLAN_BUILD_BENCHMARKS=OFF
  cmake --build "$dir" -j "$jobs"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs"
  tests/fuzz/run_fuzzers.sh "$dir" "${FUZZ_SECONDS:-30}"
}

case "$mode" in
  deps) install_missing ;;
  plan)
    install_missing
    configure_and_build
    # The main job: a GPT-5-class model (docs/gpt5-class.md) on a 50,000-H100 cluster, bundled data
    # only: 49,152 GPUs run the job (6,144 nodes), the rest are spares.
    "$build_dir/planner/trainplan" plan --model gpt5-class --gpu h100-sxm --gpus 49152 \
        --tp 4 --pp 12 --cp 4 --vp 10 --ep 64 --expert-tp 1 --global-batch 6144 --seq-len 8192 --tokens 30T \
        --sequence-parallel --zero 1
    ;;
  test)
    install_missing
    configure_and_build
    ctest --test-dir "$build_dir" --output-on-failure -j "$jobs"
    if [ "${HARDENING:-ON}" != OFF ]; then hardened_test; fi
    ;;
  *) echo "usage: ./build.sh [plan|test|deps]" >&2; exit 2 ;;
esac
