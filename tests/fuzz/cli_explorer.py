#!/usr/bin/env python3
"""Random valid-looking command lines: plan, search, size and sweep over every bundled model, GPU
and topology (and the Hugging Face configs of tests/fixtures/hf), with knobs, batches, sequence
lengths, precisions and --set what-ifs drawn at random. Where the fuzzers feed malformed bytes to one
loader, this feeds well-formed inputs to the whole command and looks for what a planner would hit:

  - an exit status other than 0, 1 (search, size and sweep: no answer) or 2 (refused input);
  - a refusal that is not one line "trainplan CMD: error: ...";
  - a run past --timeout seconds (a hang, or a search that takes far too long);
  - nan or inf in a table, CSV or JSON answer.

Each finding is printed with its command line; the last line counts runs and findings. Exit status 1
when anything was found. Not part of ctest (it runs for as long as it is told); docs/testing.md has
what it found.

  tests/fuzz/cli_explorer.py --trainplan build/planner/trainplan [--seed 1] [--seconds 600] [--timeout 20]
"""
import argparse
import os
import random
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def bundled(folder, suffix):
    path = os.path.join(ROOT, folder)
    return sorted(name[: -len(suffix)] for name in os.listdir(path) if name.endswith(suffix))


MODELS = bundled("planner/data/models", ".yaml") + [
    os.path.join(ROOT, "tests/fixtures/hf", name) for name in sorted(os.listdir(os.path.join(ROOT, "tests/fixtures/hf")))
    if name.endswith("-config.json") and not name.startswith("unknown")]
GPUS = bundled("planner/data/gpus", ".yaml")
TOPOLOGIES = [None] + bundled("topologies", ".yaml")
SETS = ["plan.ep_overlap=true", "plan.ep_overlap_schedule=dualpipe", "plan.expert_gemm=multi_stream",
        "plan.moe_dispatcher=hierarchical", "plan.dispatch_fp8=true", "plan.fp8_scaling=current", "plan.fp8_scaling=blockwise",
        "plan.tp_overlap=true", "plan.dp_overlap=false", "plan.attention_kernel=flash2", "plan.attention_kernel=materialized",
        "plan.cp_comm=all_gather", "plan.uneven_pipeline=true", "plan.fp8_params=true", "plan.moe_act_recompute=true",
        "plan.pp_send_overlap=false", "plan.cross_entropy=unfused", "fabric.routing_efficiency=0.6",
        "fabric.hash_polarization=0.3", "model.moe.capacity_factor=1.25", "model.moe.load_imbalance=1.3",
        "calibration.sustained_kernel_fraction=0.7", "plan.activation_offload_layers=8"]
RANK_ORDERS = ["tp-cp-ep-dp-pp", "tp-cp-ep-pp-dp", "tp-cp-pp-dp", "tp-pp-dp"]


def command(rng):
    """One command line (without the binary)."""
    cmd = rng.choice(["plan"] * 8 + ["search", "size", "sweep"])
    args = [cmd, "--model", rng.choice(MODELS), "--gpu", rng.choice(GPUS)]
    topology = rng.choice(TOPOLOGIES)
    if topology:
        args += ["--topology", topology]
    if cmd == "plan":
        args += ["--gpus", str(rng.choice([2 ** rng.randint(3, 16), 24, 48, 72, 96, 576, 1536, 3072]))]
        for flag, choices in [("--tp", [1, 2, 4, 8]), ("--pp", [1, 2, 4, 8, 16]), ("--cp", [1, 2, 4, 8]),
                              ("--ep", [1, 2, 4, 8, 16, 32, 64]), ("--vp", [1, 2, 3, 4, 5]), ("--micro-batch", [1, 2, 4])]:
            if rng.random() < 0.6:
                args += [flag, str(rng.choice(choices))]
        if rng.random() < 0.3:
            args += ["--expert-tp", str(rng.choice([1, 2, 4]))]
        if rng.random() < 0.3:
            args += ["--zero", str(rng.randint(0, 3))]
        if rng.random() < 0.3:
            args += ["--recompute", rng.choice(["none", "selective", "full"])]
        if rng.random() < 0.3:
            args += ["--sequence-parallel"]
        if rng.random() < 0.2:
            args += ["--rank-order", rng.choice(RANK_ORDERS)]
        if rng.random() < 0.3:
            args += ["--uncertainty-samples", str(rng.choice([0, 1, 2, 16, 64]))]
    elif cmd == "search":
        args += ["--gpus", str(rng.choice([8, 64, 512, 4096])), "--top", "3", "--threads", "1",
                 "--uncertainty-samples", str(rng.choice([0, 8]))]
    elif cmd == "size":
        args += ["--deadline-days", str(rng.choice([1, 30, 90, 10000])), "--max-gpus", str(rng.choice([64, 4096])),
                 "--threads", "1", "--uncertainty-samples", str(rng.choice([0, 8]))]
    else:
        args += ["--gpus", rng.choice(["8:64", "512,1024", "64:256:64"]), "--threads", "1", "--uncertainty-samples", "0"]
    args += ["--global-batch", str(rng.choice([1, 8, 64, 256, 1024, 6144])),
             "--seq-len", str(rng.choice([512, 2048, 4096, 8192, 32768, 131072])),
             "--tokens", rng.choice(["1B", "1T", "30T"])]
    if rng.random() < 0.3:
        args += ["--precision", "fp8"]
    for _ in range(rng.choice([0, 0, 1, 2])):
        args += ["--set", rng.choice(SETS)]
    if rng.random() < 0.15:
        args += ["--format", rng.choice(["json", "csv"])]
    return args


def problem_of(args, status, out, err):
    """What is wrong with one run, or None."""
    if status == 2:
        lines = [line for line in err.splitlines() if line.strip() and ": note: " not in line]
        if len(lines) != 1 or not re.match(r"trainplan \w+: error: ", lines[0]):
            return "refusal not one 'error:' line"
        return None
    if status == 1 and args[0] in ("search", "size", "sweep"):
        return None
    if status != 0:
        return f"exit status {status}"
    if re.search(r"(?<![A-Za-z_])(nan|-?inf)(?![A-Za-z_])", out, re.I):
        return "nan or inf in the answer"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainplan", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--timeout", type=float, default=20, help="seconds one run may take")
    a = parser.parse_args()
    rng = random.Random(a.seed)
    end = time.time() + a.seconds
    runs = answered = refused = findings = 0
    while time.time() < end:
        args = command(rng)
        runs += 1
        try:
            p = subprocess.run([a.trainplan] + args, capture_output=True, text=True, timeout=a.timeout)
        except subprocess.TimeoutExpired:
            findings += 1
            print(f"past {a.timeout:g} s | {' '.join(args)}", flush=True)
            continue
        answered += p.returncode == 0
        refused += p.returncode == 2
        problem = problem_of(args, p.returncode, p.stdout, p.stderr)
        if problem:
            findings += 1
            last = (p.stderr.strip().splitlines() or [""])[-1][:300]
            print(f"{problem} | {' '.join(args)} | {last}", flush=True)
    print(f"cli_explorer: {runs} runs ({answered} answered, {refused} refused), {findings} findings", flush=True)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
