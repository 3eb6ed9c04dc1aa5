#!/usr/bin/env python3
"""One plan from process start: runs `trainplan plan` (and, for comparison, `trainplan --version`
and /bin/true) many times and prints the median wall time and the median CPU time (user + system)
of one run, each taken from that child's own resource usage (wait4).

usage: bench/plan_startup.py [--runs N] [--repeats R] [--cases NAME,...] [--in-place] BINARY [BINARY...]

Each binary is first copied into a temporary folder and the copy is run, as an installed binary
would be: on the build machine the file the linker wrote starts about 0.15 ms slower than a copy of
it in the same folder (same bytes, no major faults; the page cache holds the two differently), which
would hide a change of that size. --in-place runs the given paths instead.

Each binary is run in turn, `repeats` rounds of `runs` runs each, interleaved (binary A, binary B,
A, B, ...), so that a before/after pair meets the same load; the median is over all runs of a
binary, printed with the load average. CPU time is the figure to compare on a shared machine: wall
time is mostly waiting when other work holds the cores.

The cases: the GPT-5-class plan of the main job (`./build.sh plan`, docs/gpt5-on-h100.md: 49,152
H100s, tp 4 pp 12 cp 4 ep 64 expert TP 1 vp 10, ZeRO-1) with its default ranges (p10/p50/p90 from 256
samples) and without them (--uncertainty-samples 0), and a small Llama-3-70B plan, with and without
ranges. Figures in docs/search.md taken before 2026-12-04 ran the earlier main job (tp 2 pp 8 cp 8 ep 64
vp 15, ZeRO-2).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

GPT5 = ["plan", "--model", "gpt5-class", "--gpu", "h100-sxm", "--gpus", "49152", "--tp", "4", "--pp", "12", "--cp", "4",
        "--vp", "10", "--ep", "64", "--expert-tp", "1", "--global-batch", "6144", "--seq-len", "8192", "--tokens", "30T",
        "--sequence-parallel", "--zero", "1"]
LLAMA = ["plan", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--global-batch", "1024",
         "--seq-len", "8192", "--tokens", "15T"]
NO_RANGES = ["--uncertainty-samples", "0"]
CASES = [
    ("true", None),  # /bin/true: starting any process on this machine
    ("version", ["--version"]),
    ("gpt5-plan", GPT5),
    ("gpt5-plan-no-ranges", GPT5 + NO_RANGES),
    ("llama-plan", LLAMA),
    ("llama-plan-no-ranges", LLAMA + NO_RANGES),
]


def one_run(command):
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit status {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", default="", help="comma-separated case names (default: all)")
    parser.add_argument("--in-place", action="store_true", help="run the binaries where they are, not copies")
    parser.add_argument("binaries", nargs="+")
    a = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run_cases(a, folder)


def run_cases(a, folder):
    # Each binary as installed: a copy (see the module note), labelled by the path given.
    copies = {}
    for i, b in enumerate(a.binaries):
        copies[b] = b if a.in_place else shutil.copy2(b, os.path.join(folder, f"{i}-{os.path.basename(b)}"))
    wanted = [c.strip() for c in a.cases.split(",") if c.strip()]
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for name, args in CASES:
        if wanted and name not in wanted:
            continue
        runs = {b: [] for b in a.binaries}
        for _ in range(a.repeats):
            for b in a.binaries:
                command = ["/bin/true"] if args is None else [copies[b]] + args
                runs[b].extend(one_run(command) for _ in range(a.runs))
        for b in a.binaries:
            wall = statistics.median(r[0] for r in runs[b]) * 1e3
            cpu = statistics.median(r[1] for r in runs[b]) * 1e3
            label = "/bin/true" if args is None else b
            print(f"{name:22s} {label}: median CPU {cpu:.2f} ms, median wall {wall:.2f} ms ({len(runs[b])} runs)")
            if args is None:
                break
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
