#pragma once
// Performance profiles at the edge: the bundled published profile, trainplan-profile/1 files, and
// measurements (trainplan-probe/1 results, nccl-tests' -J JSON) laid over a profile piece by piece.
// Formats: docs/probes.md. Every error is an InputError naming the file and the field.
#include <string>

#include "planner/core/gpu_spec.hpp"
#include "planner/core/performance_profile.hpp"
#include "bundled_profiles.hpp"

namespace YAML {
class Node;
}

namespace trainplan {

// Parses a trainplan-profile/1 document (YAML or JSON). GEMM points become fractions of the
// file's peak_tflops; HBM becomes mean(copy, triad) / peak_tb_s; busbw curves are kept in GB/s.
// A part whose provenance kind is "measured" sets the matching *_measured flag.
PerformanceProfile load_profile_text(const std::string& text, const std::string& source);
// The same from a parsed document (a bundled profile is parsed once to test its `matches` and read).
PerformanceProfile load_profile_document(const YAML::Node& document, const std::string& source);

// The default profile for a GPU, and which GPUs the bundled profiles match: bundled_profiles.hpp.

// Reads a measurement file and overlays what it measured onto `profile`:
//  - trainplan-probe/1 gemm: GEMM efficiency curve by FLOPs per dtype (median TFLOP/s / gpu peak)
//  - trainplan-probe/1 hbm: hbm_fraction = mean(copy, triad median GB/s) / gpu.hbm_tb_s
//  - trainplan-probe/1 comm (backend nccl): busbw curves by bytes per level and collective
//  - nccl-tests -J output (all_reduce_perf, all_gather_perf, reduce_scatter_perf, alltoall_perf,
//    sendrecv_perf): busbw curve of that collective, out-of-place figures
//  - trainplan-profile/1: every curve the file holds
// Inter-node curves hold busbw per NIC (each GPU with its own NIC), as a per-rail group (one rank
// per node) measures it; a group with several ranks per node is converted per collective (ring
// all-reduce/all-gather/reduce-scatter: / ranks per node; all-to-all: x (n-m)/(n-1); send/recv: as
// is). Where a file holds several groups (hosts, rails), each size takes the slowest group's figure
// and groups far below the others are named in a warning. A GEMM curve keeps the replaced curve's
// shape below its smallest measured shape. A file measured on another GPU model is refused.
// Replaced curves set their *_measured flag; a line per piece is added to `sources` (warnings
// there start with "warning:" and are printed on stderr).
void apply_probe_file(PerformanceProfile& profile, const GpuSpec& gpu, const std::string& path);
// The same for text already read (`source` names it in errors).
void apply_probe_text(PerformanceProfile& profile, const GpuSpec& gpu, const std::string& text, const std::string& source);

}  // namespace trainplan
