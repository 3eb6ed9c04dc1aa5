// trainplan topo: a fabric sized for N GPUs — switches, cables, bandwidth per GPU per tier.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/json_rows.hpp"  // topo --format csv
#include "planner/io/plan_report.hpp"
#include "planner/io/slurm_fabric.hpp"
#include "planner/io/topology_loader.hpp"
#include "planner/io/yaml_fields.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// sites: the DCI tier when the job uses it (it is then the top tier sized), else null.
const FabricTier* used_site_tier(const Fabric& fabric, const FabricSize& size) {
  if (size.tiers.empty() || size.tiers.size() != fabric.tiers.size() || fabric.tiers.back().sites == 0) return nullptr;
  return &fabric.tiers.back();
}
// GB/s (per direction) one site sends into the DCI: its share of the DCI links at their rate.
double site_gb_s(const FabricTier& dci, const FabricSize& size) {
  return static_cast<double>(size.tiers.back().cables_down) / dci.sites * dci.link_gbit_s / 8.0;
}

}  // namespace

int topo_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string topology = "dgx-h100-superpod-ndr", gpus_text, format = "table", slurm;
  std::vector<std::string> sets;
  po::options_description options("Options");
  std::string names;
  for (const auto& n : topology_names()) names += (names.empty() ? "" : ", ") + n;
  const std::string topology_help = "bundled topology (" + names + ") or a topology YAML file";
  options.add_options()
      ("topology", po::value(&topology)->default_value(topology), topology_help.c_str())
      ("gpus", po::value(&gpus_text), "GPUs to size the fabric for (required, but with --slurm: every node of the file)")
      ("slurm", po::value(&slurm), "a Slurm topology.conf: its switch tree (LinkSpeed= read as Gb/s); GPUs, NICs and speeds not in it from --topology and --set")
      ("set", po::value(&sets)->composing(), "override a field: fabric.tiers.spine.oversubscription=2, fabric.nic_gbit_s=800")
      ("format", po::value(&format)->default_value(format), "table | json | csv (one row per tier; headers are the JSON keys)");
  if (!parse_command_line(args, options,
                          "usage: trainplan topo [--topology NAME|FILE] --gpus N [--set fabric.KEY=VALUE] [--slurm topology.conf]\n"
                          "                      [--format table|json|csv]\n\n"
                          "Sizes a fabric for N GPUs: switches and cables per tier, bandwidth per GPU up each tier after\n"
                          "oversubscription, bisection bandwidth, hops, and the most GPUs the design reaches.",
                          out, "topo"))
    return 0;
  const ReportFormat report = parse_report_format(format, "table, json, csv");
  std::vector<Override> overrides;
  for (const auto& s : sets) {
    overrides.push_back(parse_override(s));
    if (overrides.back().scope != "fabric") throw InputError("--set " + s, overrides.back().scope, "topo takes fabric.* overrides only");
  }
  Fabric fabric = load_topology(topology, overrides);
  if (!slurm.empty()) {  // ---- --slurm: without --gpus, every node the file lists ----
    check_slurm_overrides(overrides, slurm);
    const SlurmCluster cluster = read_slurm_cluster(read_text_file(slurm), slurm, fabric);
    fabric = cluster.fabric;
    if (gpus_text.empty()) {
      gpus_text = std::to_string(static_cast<long long>(cluster.nodes) * fabric.scale_up.gpus);
      err << "trainplan topo: note: --gpus not given: " << gpus_text << " GPUs, the " << cluster.nodes << " nodes of " << slurm << " x "
          << fabric.scale_up.gpus << " GPUs per node\n";
    }
  }
  if (gpus_text.empty()) throw InputError("command line", "--gpus", "missing: how many GPUs should the fabric connect?");
  const auto gpus = parse_count(gpus_text);
  if (!gpus || *gpus < 1 || *gpus > 1e9 || *gpus != static_cast<int>(*gpus))
    throw InputError("command line", "--gpus", "expected a positive whole number, got '" + gpus_text + "'");
  const FabricSize size = size_fabric(fabric, static_cast<int>(*gpus));
  if (!size.reachable)
    throw InputError("--gpus " + gpus_text, fabric.name, "the design reaches at most " + std::to_string(size.max_gpus) + " GPUs");

  if (report != ReportFormat::table) {
    nlohmann::json j = {{"topology", fabric.name},       {"gpus", size.gpus},
                        {"nodes", size.nodes},           {"nics", size.nics},
                        {"total_switches", size.total_switches}, {"total_cables", size.total_cables},
                        {"bisection_gb_s", size.bisection_gb_s}, {"max_gpus", size.max_gpus},
                        {"provenance", fabric.provenance.kind + ": " + fabric.provenance.source}};
    j["tiers"] = nlohmann::json::array();
    for (const auto& t : size.tiers)
      j["tiers"].push_back({{"name", t.name}, {"switches", t.switches}, {"cables", t.cables_down}, {"gb_s_per_gpu", t.gb_s_per_gpu},
                            {"switch_hops", t.switch_hops}, {"reach_nodes", t.reach_nodes}});
    if (const FabricTier* dci = used_site_tier(fabric, size))  // sites: the DCI's links, bandwidth and price
      j["sites"] = {{"tier", dci->name}, {"count", dci->sites}, {"links", size.tiers.back().cables_down},
                    {"gb_s_per_site", site_gb_s(*dci, size)}, {"hop_latency_us", dci->hop_latency_us},
                    {"cost_usd", dci->cost_usd_per_link > 0 ? nlohmann::json(dci->cost_usd_per_link * static_cast<double>(size.tiers.back().cables_down)) : nlohmann::json()}};
    if (report == ReportFormat::csv)  // the same keys as CSV through the one row writer
      write_rows(json_array_rows(j, "tiers"), true, out);
    else
      out << j.dump(2) << "\n";
    return 0;
  }
  char line[256];
  out << "trainplan topo: " << fabric.name << " for " << size.gpus << " GPUs (" << size.nodes << " nodes, " << size.nics
      << " NICs at " << fabric.nic_gbit_s << " Gb/s" << (fabric.planes > 1 ? ", " + std::to_string(fabric.planes) + " planes" : "")
      << ")\n\n";
  std::snprintf(line, sizeof line, "  %-12s %9s %10s %14s %12s %14s\n", "tier", "switches", "cables in", "GB/s per GPU",
                "switch hops", "reach (nodes)");
  out << line;
  for (const auto& t : size.tiers) {
    std::snprintf(line, sizeof line, "  %-12s %9d %10lld %14.1f %12d %14lld\n", t.name.c_str(), t.switches, t.cables_down,
                  t.gb_s_per_gpu, t.switch_hops, t.reach_nodes);
    out << line;
  }
  std::snprintf(line, sizeof line, "\n  total switches %d, total cables %lld, bisection %.1f TB/s, design maximum %d GPUs\n",
                size.total_switches, size.total_cables, size.bisection_gb_s / 1000, size.max_gpus);
  out << line;
  if (const FabricTier* dci = used_site_tier(fabric, size)) {  // sites: the DCI's links, bandwidth and price
    std::snprintf(line, sizeof line, "  sites: %d joined by '%s', %lld links, %.1f TB/s out of each site, %.0f us per hop", dci->sites,
                  dci->name.c_str(), size.tiers.back().cables_down, site_gb_s(*dci, size) / 1000, dci->hop_latency_us);
    out << line << (dci->cost_usd_per_link > 0 ? ", links $" + std::to_string(static_cast<long long>(dci->cost_usd_per_link * static_cast<double>(size.tiers.back().cables_down))) : std::string(", link price not given")) << "\n";
  }
  out << "  GPUs inside one node talk over NVLink (" << fabric.scale_up.gb_s_per_direction
      << " GB/s per direction) and cross no switch of this fabric.\n";
  return 0;
}

}  // namespace trainplan
