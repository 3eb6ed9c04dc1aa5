// trainplan-probe comm: collective bus bandwidth over a size sweep (-b -e -f, as nccl-tests),
// per group of ranks (the world, or split into intra-node and per-rail inter-node groups).
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "comm_backend.hpp"
#include "comm_groups.hpp"
#include "comm_result.hpp"
#include "cuda/cuda_probes.hpp"
#include "harness/options.hpp"
#include "harness/size_sweep.hpp"

namespace trainplan::probe {

namespace {

struct CommSettings {
  std::string begin = "8", end = "128M", factor = "2";
  std::string operations = "all_reduce,all_gather,reduce_scatter,all_to_all,send_recv";
  std::string split = "none";
  std::string backend = "nccl";
};

std::uint64_t size_option(const std::string& text, const char* option) {
  const auto bytes = parse_byte_size(text);
  if (!bytes || *bytes == 0) throw ProbeError(std::string(option) + ": expected a size such as 8, 64K, 128M, 8G; got '" + text + "'");
  return *bytes;
}

std::vector<Collective> parse_operations(const std::string& list) {
  std::vector<Collective> kinds;
  std::stringstream stream(list);
  std::string name;
  while (std::getline(stream, name, ',')) {
    const auto kind = collective_from_name(name);
    if (!kind) throw ProbeError("--op: unknown collective '" + name + "' (all_reduce, all_gather, reduce_scatter, all_to_all, send_recv)");
    kinds.push_back(*kind);
  }
  if (kinds.empty()) throw ProbeError("--op: expected at least one collective");
  return kinds;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) value /= 1024, ++unit;
  std::ostringstream text;
  text << value << " " << units[unit];
  return text.str();
}

}  // namespace

int comm_probe(const std::vector<std::string>& args, ProbeContext& context) {
  CommonSettings common;
  CommSettings comm;
  po::options_description options("comm options");
  add_common_options(options, common);
  options.add_options()
      ("backend", po::value(&comm.backend)->default_value(comm.backend), "nccl (GPU memory, one rank per GPU) or mpi (host memory)")
      ("minbytes,b", po::value(&comm.begin)->default_value(comm.begin), "first message size (8, 64K, 128M, 8G)")
      ("maxbytes,e", po::value(&comm.end)->default_value(comm.end), "last message size")
      ("stepfactor,f", po::value(&comm.factor)->default_value(comm.factor), "multiply the size by this factor each step")
      ("op", po::value(&comm.operations)->default_value(comm.operations), "comma-separated collectives to measure")
      ("split", po::value(&comm.split)->default_value(comm.split),
       "none (whole world), intra (one group per host), inter (one rank per host: a rail), both");
  po::variables_map values;
  if (!parse_options(args, options, "usage: trainplan-probe comm [options] --json FILE", values, context.world.rank() == 0))
    return 0;
  check_common_settings(common);
  if (comm.backend != "nccl" && comm.backend != "mpi") throw ProbeError("--backend: expected nccl or mpi, got '" + comm.backend + "'");
  std::vector<std::uint64_t> sizes;
  std::vector<GroupKind> kinds;
  try {
    sizes = geometric_sweep(size_option(comm.begin, "-b"), size_option(comm.end, "-e"), size_option(comm.factor, "-f"));
    kinds = groups_for_split(comm.split);
    if (comm.backend == "mpi") {
      const auto& hosts = context.world.hosts_by_rank();
      const std::string& mine = hosts[static_cast<std::size_t>(context.world.rank()) % hosts.size()];
      check_mpi_backend_limits(sizes.back(), static_cast<int>(std::count(hosts.begin(), hosts.end(), mine)));
    }
  } catch (const std::invalid_argument& e) {
    throw ProbeError(e.what());
  }
  const std::vector<Collective> operations = parse_operations(comm.operations);
  if (comm.backend == "nccl") require_cuda("--backend nccl");
  confirm_arguments(context, common);

  World& world = context.world;
  nlohmann::json header;
  header["probe"] = "comm";
  header["provenance"] = base_provenance(context.run);
  header["settings"] = {{"backend", comm.backend}, {"minbytes", sizes.front()}, {"maxbytes", sizes.back()},
                        {"stepfactor", comm.factor}, {"split", comm.split}, {"warmup", common.warmup},
                        {"iterations", common.iterations}, {"dtype", "float"}, {"timeout_s", common.timeout_s}};
  ResultFile file = open_result_file(context, common, header);
  auto watchdog = start_watchdog(world, common.timeout_s, &file);
  const bool printer = world.rank() == 0;
  try {
    for (GroupKind kind : kinds) {
      watchdog->kick(std::string("forming group ") + to_string(kind));
      const auto group = world.split(group_colour(kind, world.hosts_by_rank(), world.rank()));
      const auto hosts = group_hosts(kind, world.hosts_by_rank(), world.rank());
      const int n = group->size();
      // A one-rank world still runs (it records the library and device; busbw is 0 by definition);
      // one-rank groups of a split are skipped.
      if (n < 2 && kind != GroupKind::world) {
        if (printer) std::cout << "# group " << to_string(kind) << ": 1 rank, nothing to measure\n";
        file.note(std::string("group_") + to_string(kind), "skipped: one rank per group");
        continue;
      }
      const BackendSettings backend_settings{sizes.back(), world.local_rank()};
      watchdog->kick(std::string("starting the ") + comm.backend + " backend for group " + to_string(kind));
      auto backend = comm.backend == "mpi" ? make_mpi_backend(*group, backend_settings) : make_nccl_backend(*group, backend_settings);
      if (printer) file.merge_provenance(backend->describe());
      const std::string level = network_level(hosts);
      const int ranks_per_node = n / std::max<int>(1, static_cast<int>(std::set<std::string>(hosts.begin(), hosts.end()).size()));
      if (printer)
        std::cout << "# group " << to_string(kind) << " (" << level << ", " << n << " ranks)\n"
                  << "#" << std::setw(15) << "collective" << std::setw(14) << "bytes" << std::setw(12) << "time(us)"
                  << std::setw(12) << "algbw" << std::setw(12) << "busbw" << "\n";
      for (Collective op : operations) {
        for (std::uint64_t size : sizes) {
          // Every rank holds the same whole number of float elements (nccl-tests adjusts likewise).
          const std::uint64_t bytes = round_down_to(size, static_cast<std::uint64_t>(n) * sizeof(float));
          if (bytes == 0) continue;
          watchdog->kick(std::string(to_string(op)) + " of " + human_bytes(bytes) + ", group " + to_string(kind));
          const auto local = backend->time_collective(op, bytes, common.warmup, common.iterations);
          CommPoint point;
          point.collective = op;
          point.group = to_string(kind);
          point.level = level;
          point.group_ranks = n;
          point.ranks_per_node = ranks_per_node;
          point.bytes = bytes;
          point.count = (op == Collective::all_reduce || op == Collective::send_recv) ? bytes / sizeof(float) : bytes / sizeof(float) / n;
          // A collective lasts as long as its slowest rank.
          point.iteration_seconds = group->max_over_ranks(local);
          if (!printer) continue;
          const nlohmann::json result = comm_point_json(point);
          file.append(result);
          std::cout << std::setw(16) << to_string(op) << std::setw(14) << bytes << std::setw(12) << std::fixed
                    << std::setprecision(2) << result["time_us"]["median"].get<double>() << std::setw(12)
                    << result["algbw_gb_s"].get<double>() << std::setw(12) << result["busbw_gb_s"].get<double>() << "\n"
                    << std::defaultfloat;
        }
      }
    }
  } catch (const std::exception& e) {
    file.fail(e.what());
    throw;
  }
  file.finish();
  if (printer && !common.json_path.empty()) std::cout << "# wrote " << common.json_path << "\n";
  return 0;
}

}  // namespace trainplan::probe
