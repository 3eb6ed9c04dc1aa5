#!/usr/bin/env python3
"""One plan from process start: runs `trainplan plan` (and, for comparison, `trainplan --version`)
many times and prints the median wall time and the median CPU time (user + system) per run.

usage: bench/plan_startup.py [--runs N] [--repeats R] BINARY [BINARY...]

Each binary is run in turn, `repeats` rounds of `runs` runs each, interleaved (binary A, binary B,
A, B, ...), so that a before/after pair meets the same load; the median over rounds is printed
with the load average. CPU time is the figure to compare on a shared machine: wall time is mostly
waiting when other work holds the cores.
"""
import argparse
import os
import resource
import statistics
import subprocess
import time

PLAN = ["plan", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--global-batch", "1024",
        "--seq-len", "8192", "--tokens", "15T"]
CASES = [
    ("version", ["--version"]),
    ("plan", PLAN),
    ("plan, no ranges", PLAN + ["--uncertainty-samples", "0"]),
]


def one_round(binary, args, runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run([binary] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - start) / runs
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / runs
    return wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("binaries", nargs="+")
    a = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for name, args in CASES:
        rounds = {b: [] for b in a.binaries}
        for _ in range(a.repeats):
            for b in a.binaries:
                rounds[b].append(one_round(b, args, a.runs))
        for b in a.binaries:
            wall = statistics.median(r[0] for r in rounds[b]) * 1e3
            cpu = statistics.median(r[1] for r in rounds[b]) * 1e3
            print(f"{name:16s} {b}: median wall {wall:.2f} ms, median CPU {cpu:.2f} ms ({a.repeats} x {a.runs} runs)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
