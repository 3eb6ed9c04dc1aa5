#!/usr/bin/env python3
"""Compares trainplan-probe result files with the published figures of reference_figures.json.

usage: compare_reference.py REFERENCE_JSON GPU_FAMILY RESULT.json... [--report OUT.json]

Prints one line per figure (measured, published, ratio, verdict) and exits 1 when any figure
fails (below 75% of the published one), 0 otherwise. GPU_FAMILY: h100-sxm or h200 (others: every
figure is reported without a verdict). Standard library only.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def measured_figures(results):
    """The best figures of the result files, keyed like the reference ids."""
    out = {}
    for doc in results:
        probe = doc.get("probe")
        rows = doc.get("results", [])
        if probe == "gemm":
            for row in rows:
                key = "gemm_%s_max" % row["dtype"]
                value = row["tflops"]["max"]
                out[key] = max(out.get(key, 0), value)
                if row["dtype"] == "fp8" and (row["m"], row["n"], row["k"]) == (8192, 8192, 8192):
                    out["gemm_fp8_8192"] = max(out.get("gemm_fp8_8192", 0), row["tflops"]["median"])
        elif probe == "hbm":
            for row in rows:
                out["hbm_" + row["kernel"]] = max(out.get("hbm_" + row["kernel"], 0), row["gb_s"]["max"] / 1000.0)
        elif probe == "comm":
            for row in rows:
                if row.get("level") != "intra_node":
                    continue
                key = "%s_%dgpu" % (row["collective"], row["group_ranks"])
                out[key] = max(out.get(key, 0), row["busbw_gb_s"])
                if row["collective"] == "all_reduce" and row["bytes"] == 1073741824:
                    out[key + "@1G"] = row["busbw_gb_s"]
    return out


def main(argv):
    report_path = None
    if "--report" in argv:
        i = argv.index("--report")
        report_path = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    reference = load(argv[0])
    family = argv[1]
    measured = measured_figures([load(p) for p in argv[2:]])
    lines, failed = [], False
    for fig in reference["figures"]:
        if family not in fig["gpu"]:
            continue
        unit = "tflops" if "tflops" in fig else "tb_s" if "tb_s" in fig else "busbw_gb_s"
        published = fig[unit]
        key = fig["id"] + ("@1G" if fig["id"] == "all_reduce_8gpu" else "")
        value = measured.get(key, measured.get(fig["id"]))
        if value is None:
            lines.append({"id": fig["id"], "published": published, "unit": unit, "verdict": "not measured", "source": fig["source"]})
            continue
        ratio = value / published
        verdict = "ok" if ratio >= 0.90 else "low" if ratio >= 0.75 else "fail"
        failed |= verdict == "fail"
        lines.append({"id": fig["id"], "measured": round(value, 3), "published": published, "unit": unit,
                      "ratio": round(ratio, 3), "verdict": verdict, "source": fig["source"]})
    for key in sorted(measured):
        if not any(line["id"] == key.split("@")[0] for line in lines):
            lines.append({"id": key, "measured": round(measured[key], 3), "verdict": "no published figure"})
    print("%-22s %12s %12s %7s  %s" % ("figure", "measured", "published", "ratio", "verdict"))
    for line in lines:
        print("%-22s %12s %12s %7s  %s" % (line["id"], line.get("measured", "-"), line.get("published", "-"),
                                           line.get("ratio", "-"), line["verdict"]))
    if report_path:
        with open(report_path, "w") as f:
            json.dump({"gpu_family": family, "figures": lines}, f, indent=1)
            f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
