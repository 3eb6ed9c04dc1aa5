#include "probe_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "embedded_data.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

constexpr const char* kProfileSchema = "trainplan-profile/1";
constexpr const char* kProbeSchema = "trainplan-probe/1";

// Ranges of measured figures (docs/formats.md, "Ranges").
constexpr Range kProbeTflops{0.001, 2e5};
constexpr Range kProbeFlops{1, 1e18};
constexpr Range kProbeBytes{1, 1e13};
constexpr Range kProbeGbS{0.001, 1e5};
constexpr Range kProbeRanks{1, 10'000'000};

// --- curves ------------------------------------------------------------------------------------

// Points (size, value) gathered from a file; several values at one size are averaged.
class CurveBuilder {
 public:
  void add(double size, double value) { points_[size].push_back(value); }
  bool empty() const { return points_.empty(); }
  SizeCurve build() const {
    std::vector<double> sizes, means;
    for (const auto& [size, values] : points_) {
      double sum = 0;
      for (double v : values) sum += v;
      sizes.push_back(size);
      means.push_back(sum / static_cast<double>(values.size()));
    }
    return SizeCurve(std::move(sizes), std::move(means));
  }

 private:
  std::map<double, std::vector<double>> points_;  // ordered by size
};

std::optional<Collective> collective_named(const std::string& name) {
  for (Collective kind : {Collective::all_reduce, Collective::reduce_scatter, Collective::all_gather,
                          Collective::all_to_all, Collective::send_recv})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

const char* level_name(NetworkLevel level) { return level == NetworkLevel::intra_node ? "intra_node" : "inter_node"; }

void set_busbw(PerformanceProfile& profile, NetworkLevel level, Collective kind, SizeCurve curve, bool measured) {
  profile.busbw_gb_s[static_cast<int>(level)][static_cast<int>(kind)] = std::move(curve);
  profile.busbw_measured[static_cast<int>(level)][static_cast<int>(kind)] = measured;
}

// Mean of the copy and triad bandwidths, BabelStream's two streaming kernels that read and write
// (Deakin et al. 2018), over the spec-sheet bandwidth.
double hbm_fraction_from(const std::vector<double>& achieved, double peak, const std::string& source, const std::string& field) {
  double sum = 0;
  for (double v : achieved) sum += v;
  const double fraction = sum / static_cast<double>(achieved.size()) / peak;
  if (!(fraction > 0) || fraction > 1.0)
    throw InputError(source, field, "achieved bandwidth must lie between 0 and the peak; got a fraction of " + std::to_string(fraction));
  return fraction;
}

std::string lower_alnum(const std::string& text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A warning about a file: kept in the profile's sources (the plan's JSON lists them) and printed.
void warn(PerformanceProfile& profile, const std::string& source, const std::string& message) {
  profile.sources.push_back("warning: " + message + " [" + source + "]");
  std::cerr << "trainplan: warning: " << source << ": " << message << "\n";
}

// --- which GPU a file was measured on ----------------------------------------------------------

// The GPU model's family (what its figures are comparable across): "h100-sxm", "h100-pcie",
// "h100-nvl", "h200", "h800", "h20", "a100-sxm", "a100-pcie", "a800", "gb200", "b200", "b100";
// empty when not recognised. Planner names ("H100-SXM5-80GB") and CUDA's ("NVIDIA H100 80GB
// HBM3", "NVIDIA H100 PCIe") map to the same family.
std::string gpu_family(const std::string& name) {
  const std::string n = lower_alnum(name);
  auto has = [&](const char* part) { return n.find(part) != std::string::npos; };
  if (has("gb200")) return "gb200";
  if (has("b200")) return "b200";
  if (has("b100")) return "b100";
  if (has("h200")) return "h200";
  if (has("h800")) return "h800";
  if (has("h100")) return has("pcie") ? "h100-pcie" : has("nvl") ? "h100-nvl" : "h100-sxm";
  if (has("h20")) return "h20";
  if (has("a800")) return "a800";
  if (has("a100")) return has("pcie") ? "a100-pcie" : "a100-sxm";
  return "";
}

// A file measured on another GPU model is refused: its figures would be taken as this GPU's
// (an H100 PCIe file for an H100 SXM plan nearly triples the step time). A model that cannot be
// recognised, or a file that names none, is accepted with a warning.
void check_measured_gpu(PerformanceProfile& profile, const GpuSpec& gpu, const std::string& file_model, const std::string& source,
                        const std::string& field) {
  if (file_model.empty()) {
    warn(profile, source, "the file does not name the GPU it was measured on (" + field + "); its figures are taken as '" +
                              gpu.name + "'");
    return;
  }
  const std::string measured = gpu_family(file_model), planned = gpu_family(gpu.name);
  if (!measured.empty() && !planned.empty()) {
    if (measured != planned)
      throw InputError(source, field, "measured on '" + file_model + "' (" + measured + "), but the plan's GPU is '" + gpu.name +
                                          "' (" + planned + "); measure on the plan's GPU model or plan for this one with --gpu");
    return;
  }
  if (lower_alnum(file_model) != lower_alnum(gpu.name))
    warn(profile, source, "measured on '" + file_model + "', which cannot be matched to the plan's GPU '" + gpu.name +
                              "'; check that they are the same model");
}

// --- trainplan-profile/1 -----------------------------------------------------------------------

struct PartProvenance {
  bool measured = false;
  std::string text;  // "published: <source>"
};

PartProvenance read_provenance(const FieldReader& part) {
  const FieldReader p = part.child("provenance");
  p.reject_unknown_keys({"kind", "source", "derivation", "tool", "host", "hosts", "date"});
  const std::string kind = p.get_choice("kind", {"published", "measured"});
  const std::string source = p.get_string("source");
  if (source.empty()) p.fail("source", "expected the document, or tool/host/date, this came from");
  return {kind == "measured", kind + ": " + source + (p.has("derivation") ? " (derived; see the file)" : "")};
}

std::vector<FieldReader> point_list(const FieldReader& part) {
  const YAML::Node points = part.node()["points"];
  if (!points.IsDefined() || !points.IsSequence() || points.size() == 0)
    part.fail("points", "expected a non-empty list of points");
  std::vector<FieldReader> list;
  for (std::size_t i = 0; i < points.size(); ++i)
    list.emplace_back(points[i], part.source(), part.field("points") + "[" + std::to_string(i) + "]");
  return list;
}

SizeCurve read_gemm_part(const FieldReader& part) {
  part.reject_unknown_keys({"peak_tflops", "provenance", "points", "tile_fixed_k"});
  const double peak = part.get_number("peak_tflops", limits::tflops);
  CurveBuilder curve;
  for (const auto& point : point_list(part)) {
    point.reject_unknown_keys({"flops", "tflops", "shape"});
    const double tflops = point.get_number("tflops", kProbeTflops);
    if (tflops > peak) point.fail("tflops", "above peak_tflops (" + std::to_string(peak) + ")");
    curve.add(point.get_number("flops", kProbeFlops), tflops / peak);
  }
  return curve.build();
}

SizeCurve read_busbw_part(const FieldReader& part) {
  part.reject_unknown_keys({"provenance", "points"});
  CurveBuilder curve;
  for (const auto& point : point_list(part)) {
    point.reject_unknown_keys({"bytes", "busbw_gb_s"});
    curve.add(point.get_number("bytes", kProbeBytes), point.get_number("busbw_gb_s", kProbeGbS));
  }
  return curve.build();
}

void read_profile_into(PerformanceProfile& profile, const FieldReader& top, const std::string& source) {
  top.reject_unknown_keys({"schema", "gpu", "description", "provenance", "gemm", "hbm", "busbw", "reference_figures",
                          "matches", "lends_efficiencies"});  // the last two: planner/io/bundled_profiles
  if (top.get_string("schema") != kProfileSchema)
    top.fail("schema", std::string("expected '") + kProfileSchema + "', got '" + top.get_string("schema") + "'");
  top.get_string("gpu");
  if (auto gemm = top.optional_child("gemm")) {
    gemm->reject_unknown_keys({"bf16", "fp8"});
    for (const char* dtype : {"bf16", "fp8"}) {
      auto part = gemm->optional_child(dtype);
      if (!part) continue;
      const PartProvenance p = read_provenance(*part);
      (std::string(dtype) == "bf16" ? profile.gemm_bf16_fraction_by_flops : profile.gemm_fp8_fraction_by_flops) = read_gemm_part(*part);
      if (part->has("tile_fixed_k"))
        (std::string(dtype) == "bf16" ? profile.gemm_bf16_tile_fixed_k : profile.gemm_fp8_tile_fixed_k) =
            part->get_number("tile_fixed_k", limits::tile_fixed_k);
      profile.gemm_measured = p.measured;
      profile.sources.push_back(std::string("gemm ") + dtype + ": " + p.text + " [" + source + "]");
    }
  }
  if (auto hbm = top.optional_child("hbm")) {
    hbm->reject_unknown_keys({"peak_tb_s", "achieved_tb_s", "provenance"});
    const PartProvenance p = read_provenance(*hbm);
    const FieldReader achieved = hbm->child("achieved_tb_s");
    achieved.reject_unknown_keys({"copy", "triad"});
    std::vector<double> values;
    for (const char* kernel : {"copy", "triad"})
      if (achieved.has(kernel)) values.push_back(achieved.get_number(kernel, limits::hbm_tb_s));
    if (values.empty()) achieved.fail("copy", "expected copy and/or triad bandwidth (TB/s)");
    profile.hbm_fraction = hbm_fraction_from(values, hbm->get_number("peak_tb_s", limits::hbm_tb_s), source, hbm->field("achieved_tb_s"));
    profile.hbm_measured = p.measured;
    profile.sources.push_back("hbm: " + p.text + " [" + source + "]");
  }
  if (auto busbw = top.optional_child("busbw")) {
    busbw->reject_unknown_keys({"intra_node", "inter_node"});
    for (NetworkLevel level : {NetworkLevel::intra_node, NetworkLevel::inter_node}) {
      auto per_level = busbw->optional_child(level_name(level));
      if (!per_level) continue;
      per_level->reject_unknown_keys({"all_reduce", "reduce_scatter", "all_gather", "all_to_all", "send_recv"});
      for (const auto& entry : per_level->node()) {
        const std::string name = entry.first.Scalar();
        const Collective kind = *collective_named(name);
        const FieldReader part = per_level->child(name);
        const PartProvenance p = read_provenance(part);
        set_busbw(profile, level, kind, read_busbw_part(part), p.measured);
        profile.sources.push_back(std::string("busbw ") + level_name(level) + " " + name + ": " + p.text + " [" + source + "]");
      }
    }
  }
}

// --- trainplan-probe/1 results -------------------------------------------------------------------

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// "measured: trainplan-probe gemm on h1,h2 (NVIDIA H100 80GB HBM3), 2025-06-01T12:00:00Z"
std::string probe_provenance_text(const FieldReader& top) {
  const FieldReader p = top.child("provenance");
  if (p.get_string("kind") != "measured") p.fail("kind", "expected 'measured' in a probe result");
  std::vector<std::string> hosts;
  const YAML::Node list = p.node()["hosts"];
  if (has_value(list) && !list.IsSequence()) p.fail("hosts", "expected a list of host names");
  for (std::size_t i = 0; list.IsDefined() && list.IsSequence() && i < list.size(); ++i) {
    if (!list[i].IsScalar()) p.fail("hosts[" + std::to_string(i) + "]", "expected a host name");
    hosts.push_back(list[i].Scalar());
  }
  std::string gpu;
  const YAML::Node g = p.node()["gpu"];
  if (g.IsDefined() && g.IsMap() && g["model"].IsDefined() && g["model"].IsScalar()) gpu = " (" + g["model"].Scalar() + ")";
  std::string text = "measured: " + p.get_string("tool", "trainplan-probe") + " " + top.get_string("probe") + " on " +
                     (hosts.empty() ? std::string("unknown hosts") : join(hosts)) + gpu + ", " + p.get_string("date", "undated");
  if (!top.get_bool("complete", false)) text += " (incomplete run: the probe stopped early)";
  return text;
}

std::vector<FieldReader> results_of(const FieldReader& top) {
  const YAML::Node results = top.node()["results"];
  if (!results.IsDefined() || !results.IsSequence()) top.fail("results", "expected a list of results");
  if (results.size() == 0) top.fail("results", "the file holds no results (did the probe fail? see its 'error' field)");
  std::vector<FieldReader> list;
  for (std::size_t i = 0; i < results.size(); ++i)
    list.emplace_back(results[i], top.source(), "results[" + std::to_string(i) + "]");
  return list;
}

// Below its smallest shape a measured GEMM curve would be extrapolated as constant time (the
// efficiency falls in proportion to FLOPs), which makes every smaller GEMM as slow as the smallest
// measured one: a file with one 8192^3 shape nearly doubles a 70B model's step. Where the curve it
// replaces reaches smaller sizes, its points there are kept, scaled by the ratio of the measured to
// the replaced efficiency at the smallest measured size (the replaced curve's shape at the
// measured level), capped at the peak. `note` says so for the sources; empty when nothing is kept.
struct ExtendedCurve {
  SizeCurve curve;
  std::string note;
};

ExtendedCurve extend_below(const SizeCurve& measured, const SizeCurve& previous) {
  if (previous.empty() || !(previous.sizes.front() < measured.sizes.front())) return {measured, ""};
  const double ratio = measured.values.front() / interpolate(previous, measured.sizes.front()).value;
  std::vector<double> sizes, values;
  for (std::size_t i = 0; i < previous.sizes.size() && previous.sizes[i] < measured.sizes.front(); ++i) {
    sizes.push_back(previous.sizes[i]);
    values.push_back(std::min(1.0, previous.values[i] * ratio));
  }
  const std::size_t kept = sizes.size();
  sizes.insert(sizes.end(), measured.sizes.begin(), measured.sizes.end());
  values.insert(values.end(), measured.values.begin(), measured.values.end());
  return {SizeCurve(std::move(sizes), std::move(values)),
          "below " + std::to_string(static_cast<long long>(measured.sizes.front())) + " FLOPs (the smallest measured shape): " +
              std::to_string(kept) + " points of the curve it replaced, scaled by " + std::to_string(ratio) +
              " to the measured efficiency there"};
}

void apply_gemm_results(PerformanceProfile& profile, const GpuSpec& gpu, const FieldReader& top, const std::string& provenance) {
  std::map<std::string, CurveBuilder> by_dtype;
  for (const auto& result : results_of(top)) {
    const std::string dtype = result.get_choice("dtype", {"bf16", "fp8"});
    const double peak = dtype == "fp8" ? gpu.fp8_dense_tflops : gpu.bf16_dense_tflops;
    if (!(peak > 0))
      throw InputError(top.source(), result.field("dtype"),
                       "GPU '" + gpu.name + "' has no " + dtype + " peak to turn measured TFLOP/s into an efficiency");
    const double tflops = result.child("tflops").get_number("median", kProbeTflops);
    if (tflops > peak * 1.02)
      result.fail("tflops.median", "above the " + dtype + " peak of GPU '" + gpu.name + "' (" + std::to_string(peak) +
                                       " TFLOP/s): was the probe run on another GPU?");
    by_dtype[dtype].add(result.get_number("flops", kProbeFlops), std::min(1.0, tflops / peak));
  }
  for (const auto& [dtype, curve] : by_dtype) {
    SizeCurve& target = dtype == "bf16" ? profile.gemm_bf16_fraction_by_flops : profile.gemm_fp8_fraction_by_flops;
    ExtendedCurve extended = extend_below(curve.build(), target);
    target = std::move(extended.curve);
    profile.sources.push_back("gemm " + dtype + ": " + provenance + " [" + top.source() + "]");
    if (!extended.note.empty()) profile.sources.push_back("gemm " + dtype + " " + extended.note + " [" + top.source() + "]");
  }
  profile.gemm_measured = true;
}

void apply_hbm_results(PerformanceProfile& profile, const GpuSpec& gpu, const FieldReader& top, const std::string& provenance) {
  if (!(gpu.hbm_tb_s > 0)) throw InputError(top.source(), "results", "GPU '" + gpu.name + "' has no HBM bandwidth to compare with");
  std::vector<double> gb_s;
  for (const auto& result : results_of(top)) {
    const std::string kernel = result.get_choice("kernel", {"copy", "triad"});
    (void)kernel;
    // BabelStream reports each kernel's best run (its published figures are those); files of this
    // probe give "max" beside "median" (older ones: median only).
    const FieldReader figures = result.child("gb_s");
    gb_s.push_back(figures.has("max") ? figures.get_number("max", kProbeGbS) : figures.get_number("median", kProbeGbS));
  }
  profile.hbm_fraction = hbm_fraction_from(gb_s, gpu.hbm_tb_s * 1000.0, top.source(), "results");
  profile.hbm_measured = true;
  profile.sources.push_back("hbm: " + provenance + " [" + top.source() + "]");
}

// Busbw of a group's measurement, per (level, collective), per size, per group (host, rail, world).
struct GroupFigures {
  std::map<double, std::map<std::string, double>> by_size;  // bytes -> group id -> per-NIC busbw (GB/s)
};
using BusbwPoints = std::map<std::pair<NetworkLevel, Collective>, GroupFigures>;

// Sizes from which a group more than kOutlierFactor below the median of its level's groups is
// named: below 1 MiB latency and noise dominate.
constexpr double kOutlierFromBytes = 1 << 20;
constexpr double kOutlierFactor = 0.8;

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::string fixed1(double value) {
  std::string text = std::to_string(std::round(value * 10.0) / 10.0);
  return text.substr(0, text.find('.') + 2);
}

// All groups of one level run their collectives at once in training (every rail carries its
// share of a DP all-reduce, every node its TP all-reduce) and a step waits for the slowest, so
// at each size the curve takes the slowest group's busbw. Groups well below the others are named
// in warnings (the plan's sources and stderr): a bad rail or host should be seen, not averaged.
void apply_busbw_points(PerformanceProfile& profile, const BusbwPoints& points, const std::string& provenance, const std::string& source) {
  if (points.empty()) throw InputError(source, "results", "no usable busbw point (groups of one rank, or only 'nan' figures)");
  for (const auto& [key, figures] : points) {
    std::vector<double> sizes, slowest;
    std::map<std::string, std::pair<double, double>> worst;  // group -> (ratio to median, bytes)
    std::set<std::string> groups;
    for (const auto& [bytes, by_group] : figures.by_size) {
      std::vector<double> values;
      for (const auto& [group, busbw] : by_group) {
        values.push_back(busbw);
        groups.insert(group);
      }
      sizes.push_back(bytes);
      slowest.push_back(*std::min_element(values.begin(), values.end()));
      if (by_group.size() < 2 || bytes < kOutlierFromBytes) continue;
      const double median = median_of(values);
      for (const auto& [group, busbw] : by_group) {
        const double ratio = busbw / median;
        if (ratio < kOutlierFactor && (!worst.count(group) || ratio < worst[group].first)) worst[group] = {ratio, bytes};
      }
    }
    const std::string what = std::string("busbw ") + level_name(key.first) + " " + to_string(key.second);
    set_busbw(profile, key.first, key.second, SizeCurve(std::move(sizes), std::move(slowest)), true);
    profile.sources.push_back(what + ": " + provenance + (groups.size() > 1 ? ", the slowest of " + std::to_string(groups.size()) + " groups at each size" : "") +
                              " [" + source + "]");
    for (const auto& [group, figure] : worst)
      warn(profile, source, what + ": group '" + group + "' reaches " + fixed1(100.0 * figure.first) + "% of the median of " +
                                std::to_string(groups.size()) + " groups at " + std::to_string(static_cast<long long>(figure.second)) +
                                " bytes; the plan uses the slowest group (check that rail or host)");
  }
}

// A group's busbw per NIC across nodes. nccl-tests' busbw of a group of n ranks with m on each node:
//  - ring all-reduce, all-gather, reduce-scatter: each ring channel crosses the node boundary
//    through one NIC and the m ranks of a node drive m NICs, so busbw = m x the NIC rate: / m;
//  - all-to-all: each rank sends (n-m)/n of its buffer through its own NIC, busbw counts (n-1)/n
//    of it: busbw = NIC x (n-1)/(n-m), so the NIC rate is busbw x (n-m)/(n-1);
//  - send/recv: a pair crosses the boundary through one NIC and busbw is the message over the
//    time: the NIC rate itself.
// One rank per node (a rail group, m = 1) is the NIC rate for every collective.
// Sizes convert too: an inter-node curve is indexed by the bytes a per-rail group's collective
// carries. NCCL spreads a ring over one channel per rail, so each rail carries S/m of a group's
// buffer S; an all-to-all's bytes per peer, S/n, are a per-rail group's (k = n/m ranks) at S/m.
// A send/recv's message crosses whole.
double per_rail_bytes(Collective kind, double bytes, double ranks_per_node) {
  return kind == Collective::send_recv || ranks_per_node <= 1 ? bytes : bytes / ranks_per_node;
}

double busbw_per_nic(Collective kind, double busbw, double ranks, double ranks_per_node) {
  if (ranks_per_node <= 1) return busbw;
  switch (kind) {
    case Collective::all_reduce:
    case Collective::all_gather:
    case Collective::reduce_scatter:
      return busbw / ranks_per_node;
    case Collective::all_to_all:
      return ranks > ranks_per_node ? busbw * (ranks - ranks_per_node) / (ranks - 1) : busbw;
    case Collective::send_recv:
      return busbw;
  }
  return busbw;
}

void apply_comm_results(PerformanceProfile& profile, const FieldReader& top, const std::string& provenance) {
  const FieldReader p = top.child("provenance");
  if (p.get_string("backend", "") == "mpi")
    p.fail("backend", "'mpi' results measure MPI on host memory, not GPU collectives; run the probe with --backend nccl to feed a plan");
  BusbwPoints points;
  for (const auto& result : results_of(top)) {
    const std::string name = result.get_string("collective");
    const auto kind = collective_named(name);
    if (!kind) result.fail("collective", "expected all_reduce, reduce_scatter, all_gather, all_to_all or send_recv, got '" + name + "'");
    const std::string level = result.get_choice("level", {"intra_node", "inter_node", "mixed"});
    const auto ranks = static_cast<double>(result.get_whole("group_ranks", kProbeRanks));
    if (ranks < 2) continue;
    // Out-of-place figures only, as from nccl-tests files (in-place rows: --placement in|both).
    if (result.get_choice("placement", {"out_of_place", "in_place"}, "out_of_place") == "in_place") continue;
    if (result.has("nwrong") && result.get_double("nwrong") > 0)
      result.fail("nwrong", "the collective delivered wrong data in the probe's check; its timings are not used (fix the GPU, link or NCCL setting and measure again)");
    double busbw = result.get_number("busbw_gb_s", kProbeGbS);
    // Several ranks of one node share the scale-out network: per NIC.
    double bytes = result.get_number("bytes", kProbeBytes);
    if (level != "intra_node") {
      const auto ranks_per_node = static_cast<double>(result.get_whole("ranks_per_node", kProbeRanks, 1));
      busbw = busbw_per_nic(*kind, busbw, ranks, ranks_per_node);
      bytes = per_rail_bytes(*kind, bytes, ranks_per_node);
    }
    const NetworkLevel where = level == "intra_node" ? NetworkLevel::intra_node : NetworkLevel::inter_node;
    const std::string group = result.get_string("group_id", result.get_string("group", "world"));
    auto& slot = points[{where, *kind}].by_size[bytes];
    // Two rows of one group at one size (files from before group ids): the slower one.
    slot[group] = slot.count(group) ? std::min(slot[group], busbw) : busbw;
  }
  apply_busbw_points(profile, points, provenance, top.source());
}

void apply_probe_result(PerformanceProfile& profile, const GpuSpec& gpu, const FieldReader& top) {
  const std::string probe = top.get_choice("probe", {"gemm", "hbm", "comm"});
  const std::string provenance = probe_provenance_text(top);
  // A missing key of a const node is an invalid node whose Is*() throw: IsDefined() first (fuzz_probe finding).
  const YAML::Node provenance_node = top.node()["provenance"];
  const bool has_provenance = provenance_node.IsDefined() && provenance_node.IsMap();
  const YAML::Node measured_on = has_provenance ? provenance_node["gpu"] : YAML::Node();
  const YAML::Node backend = has_provenance ? provenance_node["backend"] : YAML::Node();
  const bool host_memory = backend.IsDefined() && backend.IsScalar() && backend.Scalar() == "mpi";
  const bool named = measured_on.IsDefined() && measured_on.IsMap() && measured_on["model"].IsDefined() && measured_on["model"].IsScalar();
  if (!host_memory)
    check_measured_gpu(profile, gpu, named ? measured_on["model"].Scalar() : "",
                       top.source(), "provenance.gpu.model");
  if (probe == "gemm") apply_gemm_results(profile, gpu, top, provenance);
  else if (probe == "hbm") apply_hbm_results(profile, gpu, top, provenance);
  else apply_comm_results(profile, top, provenance);
}

// --- nccl-tests -J output (src/util.cu of NVIDIA/nccl-tests, JSON file version 3) ---------------

// "all_reduce_perf" -> all_reduce, from the program path in args[0].
std::optional<Collective> nccl_tests_collective(const std::string& program) {
  const std::string name = program.substr(program.find_last_of('/') == std::string::npos ? 0 : program.find_last_of('/') + 1);
  static const std::pair<const char*, Collective> programs[] = {
      {"all_reduce_perf", Collective::all_reduce}, {"all_gather_perf", Collective::all_gather},
      {"reduce_scatter_perf", Collective::reduce_scatter}, {"alltoall_perf", Collective::all_to_all},
      {"sendrecv_perf", Collective::send_recv}};
  for (const auto& [binary, kind] : programs)
    if (name.rfind(binary, 0) == 0) return kind;
  return std::nullopt;
}

// NCCL_VERSION_CODE: X*10000 + Y*100 + Z since NCCL 2.9, X*1000 + Y*100 + Z before.
std::string nccl_version_text(long code) {
  if (code >= 10000) return std::to_string(code / 10000) + "." + std::to_string(code / 100 % 100) + "." + std::to_string(code % 100);
  return std::to_string(code / 1000) + "." + std::to_string(code / 100 % 10) + "." + std::to_string(code % 100);
}

void apply_nccl_tests(PerformanceProfile& profile, const GpuSpec& gpu, const FieldReader& top) {
  const std::string& source = top.source();
  const YAML::Node args = top.node()["args"];
  if (!args.IsDefined() || !args.IsSequence() || args.size() == 0 || !args[0].IsScalar()) top.fail("args", "expected the command line as a list of strings");
  const auto kind = nccl_tests_collective(args[0].Scalar());
  if (!kind)
    throw InputError(source, "args[0]", "expected an nccl-tests program among all_reduce_perf, all_gather_perf, reduce_scatter_perf, "
                                        "alltoall_perf, sendrecv_perf; got '" + args[0].Scalar() + "'");
  const FieldReader config = top.child("config");
  const YAML::Node devices = config.node()["devices"];
  if (!devices.IsDefined() || !devices.IsSequence() || devices.size() == 0) config.fail("devices", "expected the list of ranks and their hosts");
  std::set<std::string> hosts;
  std::string gpu_model;
  for (std::size_t i = 0; i < devices.size(); ++i) {
    const FieldReader device(devices[i], source, "config.devices[" + std::to_string(i) + "]");
    hosts.insert(device.get_string("hostname"));
    const std::string model = device.get_string("device_info", "");
    if (!model.empty() && model != gpu_model) check_measured_gpu(profile, gpu, model, source, device.field("device_info"));
    if (gpu_model.empty()) gpu_model = model;
  }
  if (gpu_model.empty()) check_measured_gpu(profile, gpu, "", source, "config.devices[].device_info");
  // One devices entry per process; each process drives nthreads x ngpus GPUs (-t, -g).
  const double ranks = static_cast<double>(devices.size()) * static_cast<double>(config.get_whole("nthreads", Range{1, 1024}, 1) *
                                                                                   config.get_whole("ngpus", Range{1, 1024}, 1));
  if (ranks < 2) config.fail("devices", "a single rank measures no collective traffic");
  const double ranks_per_node = ranks / static_cast<double>(hosts.size());
  const NetworkLevel level = hosts.size() == 1 ? NetworkLevel::intra_node : NetworkLevel::inter_node;

  BusbwPoints points;
  for (const auto& result : results_of(top)) {
    const double bytes = result.get_double("size");
    if (!(bytes > 0)) continue;
    if (bytes > kProbeBytes.max) result.fail("size", "expected at most " + range_text(kProbeBytes) + " bytes");
    std::optional<double> busbw;
    for (const char* placement : {"out_of_place", "in_place"}) {
      const YAML::Node figures = result.node()[placement];
      // A missing key of a const node is an invalid node whose Is*() throw: IsDefined() first.
      if (figures.IsDefined() && figures.IsMap() && figures["nwrong"].IsDefined() && figures["nwrong"].IsScalar() &&
          figures["nwrong"].Scalar() != "0" && figures["nwrong"].Scalar() != "-1" && figures["nwrong"].Scalar() != "N/A")
        FieldReader(figures, source, result.field(placement))
            .fail("nwrong", "nccl-tests found wrong data (-c); its timings are not used (fix the GPU, link or NCCL setting and measure again)");
      if (busbw || !figures.IsDefined() || !figures.IsMap() || !figures["bus_bw"].IsDefined() || !figures["bus_bw"].IsScalar() ||
          figures["bus_bw"].Scalar() == "nan")
        continue;
      busbw = FieldReader(figures, source, result.field(placement)).get_double("bus_bw");
    }
    if (!busbw || !(*busbw > 0)) continue;
    if (*busbw < kProbeGbS.min || *busbw > kProbeGbS.max)
      result.fail("bus_bw", "expected a bus bandwidth from " + range_text(kProbeGbS) + " GB/s, got " + std::to_string(*busbw));
    if (level == NetworkLevel::inter_node)
      points[{level, *kind}].by_size[per_rail_bytes(*kind, bytes, ranks_per_node)]["world"] = busbw_per_nic(*kind, *busbw, ranks, ranks_per_node);
    else
      points[{level, *kind}].by_size[bytes]["world"] = *busbw;
  }
  std::vector<std::string> host_list(hosts.begin(), hosts.end());
  const std::string provenance = "measured: nccl-tests " + args[0].Scalar() + " (NCCL " +
                                 nccl_version_text(static_cast<long>(top.get_whole("nccl_version", Range{0, 1e7}))) + ") on " + join(host_list) +
                                 (gpu_model.empty() ? "" : " (" + gpu_model + ")") + ", " + top.get_string("start_time", "undated") +
                                 (level == NetworkLevel::inter_node ? ", busbw per NIC" : "");
  apply_busbw_points(profile, points, provenance, source);
}

}  // namespace

PerformanceProfile load_profile_text(const std::string& text, const std::string& source) {
  PerformanceProfile profile;
  read_profile_into(profile, FieldReader(parse_yaml_text(text, source), source), source);
  return profile;
}

PerformanceProfile load_profile_document(const YAML::Node& document, const std::string& source) {
  PerformanceProfile profile;
  read_profile_into(profile, FieldReader(document, source), source);
  return profile;
}

void apply_probe_text(PerformanceProfile& profile, const GpuSpec& gpu, const std::string& text, const std::string& source) {
  const FieldReader top(parse_yaml_text(text, source), source);
  const std::string schema = top.get_string("schema", "");
  if (schema == kProbeSchema) return apply_probe_result(profile, gpu, top);
  if (schema == kProfileSchema) {
    check_measured_gpu(profile, gpu, top.get_string("gpu"), source, "gpu");
    return read_profile_into(profile, top, source);
  }
  if (schema.rfind("trainplan-probe/", 0) == 0 || schema.rfind("trainplan-profile/", 0) == 0)
    top.fail("schema", "version '" + schema + "' is not supported by this planner (expected " + kProbeSchema + " or " + kProfileSchema + ")");
  if (top.has("nccl_version") && top.has("results")) return apply_nccl_tests(profile, gpu, top);
  top.fail("schema", std::string("expected a trainplan-probe result (schema ") + kProbeSchema + "), a profile (" + kProfileSchema +
                         ") or nccl-tests -J output (keys nccl_version, config, results)");
}

void apply_probe_file(PerformanceProfile& profile, const GpuSpec& gpu, const std::string& path) {
  apply_probe_text(profile, gpu, read_text_file(path), path);
}

}  // namespace trainplan
