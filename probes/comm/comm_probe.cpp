// trainplan-probe comm: collective bus bandwidth over a size sweep (-b -e -f, as nccl-tests),
// per group of ranks (the world, or split into intra-node and per-rail inter-node groups, all
// measured at once and every group recorded by rank 0).
#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "comm_backend.hpp"
#include "comm_groups.hpp"
#include "comm_result.hpp"
#include "cuda/cuda_probes.hpp"
#include "harness/fault_injection.hpp"
#include "harness/options.hpp"
#include "harness/size_sweep.hpp"

namespace trainplan::probe {

namespace {

struct CommSettings {
  std::string begin = "8", end = "128M", factor = "2";
  std::string operations = "all_reduce,all_gather,reduce_scatter,all_to_all,send_recv";
  std::string split = "none";
  std::string backend = "nccl";
  int batch = 0;  // collectives per timed sample; 0: the backend's default
  int check = 1;  // data check of every (collective, size) before timing it (nccl-tests -c)
  std::string placement = "out";  // out, in or both (nccl-tests reports both)
  bool graph = false;
};

// The largest message: two buffers of it per GPU fit in an H200's 141 GB.
constexpr std::uint64_t kMaxMessageBytes = 64ull << 30;

std::uint64_t size_option(const std::string& text, const char* option) {
  const auto bytes = parse_byte_size(text);
  if (!bytes || *bytes == 0) throw ProbeError(std::string(option) + ": expected a size such as 8, 64K, 128M, 8G; got '" + text + "'");
  if (*bytes > kMaxMessageBytes) throw ProbeError(std::string(option) + ": expected at most 64G, got '" + text + "'");
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
       "none (whole world), intra (one group per host), inter (one rank per host: a rail), both")
      ("batch", po::value(&comm.batch),
       ("collectives back to back in each timed sample, whose time is divided by it (default " +
        std::to_string(kDefaultNcclBatch) + " for nccl, " + std::to_string(kDefaultMpiBatch) + " for mpi)").c_str())
      ("check,c", po::value(&comm.check)->default_value(comm.check),
       "1: check every collective's data once per size before timing it (nccl-tests -c); 0: no check")
      ("graph,G", po::bool_switch(&comm.graph), "nccl: capture each timed batch in a CUDA graph and launch the graph (nccl-tests -G)")
      ("placement", po::value(&comm.placement)->default_value(comm.placement),
       "out (out-of-place), in (in-place) or both; all_to_all and send_recv are out-of-place only");
  po::variables_map values;
  if (!parse_options(args, options, "usage: trainplan-probe comm [options] --json FILE", values, context.world.rank() == 0))
    return 0;
  check_common_settings(common);
  if (comm.backend != "nccl" && comm.backend != "mpi") throw ProbeError("--backend: expected nccl or mpi, got '" + comm.backend + "'");
  if (!values.count("batch")) comm.batch = comm.backend == "mpi" ? kDefaultMpiBatch : kDefaultNcclBatch;
  check_range("--batch", comm.batch, 1, 10000);
  check_range("--check", comm.check, 0, 1);
  if (comm.graph && comm.backend != "nccl") throw ProbeError("--graph: CUDA graphs need --backend nccl");
  if (comm.placement != "out" && comm.placement != "in" && comm.placement != "both")
    throw ProbeError("--placement: expected out, in or both, got '" + comm.placement + "'");
  std::vector<bool> placements;  // in_place flags, in order
  if (comm.placement != "in") placements.push_back(false);
  if (comm.placement != "out") placements.push_back(true);
  std::vector<std::uint64_t> sizes;
  std::vector<GroupKind> kinds;
  try {
    (void)parse_injected_fault(std::getenv(kFaultVariable));
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
                        {"iterations", common.iterations}, {"batch", comm.batch}, {"dtype", "float"}, {"timeout_s", common.timeout_s},
                        {"check", comm.check}, {"cuda_graph", comm.graph}, {"chunk_alignment_bytes", 16},
                        {"placement", comm.placement}};
  ResultFile file = open_result_file(context, common, header);
  auto watchdog = start_watchdog(world, common.timeout_s, &file);
  const bool printer = world.rank() == 0;
  int points_done = 0;
  std::string data_error;  // rank 0: the first row whose data check failed
  nlohmann::json slow_notes = nlohmann::json::array();  // rank 0: groups well below their kind's median
  try {
    for (GroupKind kind : kinds) {
      watchdog->kick(std::string("forming group ") + to_string(kind));
      const auto group = world.split(group_colour(kind, world.hosts_by_rank(), world.rank()));
      const GroupLabel label = group_label(kind, world.hosts_by_rank(), world.rank());
      const int n = group->size();
      const bool leader = group->rank() == 0;
      // A one-rank world still runs (it records the library and device; busbw is 0 by definition);
      // one-rank groups of a split are skipped. Groups of a split may differ in size (hosts with
      // different numbers of ranks), so each rank decides for its own group, and every rank, a
      // skipped one too, takes part in each of rank 0's gathers below.
      const bool skipped = n < 2 && kind != GroupKind::world;
      std::unique_ptr<CommBackend> backend;
      if (!skipped) {
        const BackendSettings backend_settings{sizes.back(), world.local_rank(), world.ranks_on_host(), comm.graph};
        watchdog->kick(std::string("starting the ") + comm.backend + " backend for group " + to_string(kind) + " " + label.id);
        backend = comm.backend == "mpi" ? make_mpi_backend(*group, backend_settings) : make_nccl_backend(*group, backend_settings);
      }
      // Rank 0 learns every group of this kind (from each group's rank 0) for the notes, and
      // takes the backend's description from the first measured group.
      watchdog->kick(std::string("gathering the ") + to_string(kind) + " groups");
      nlohmann::json mine;
      if (leader)
        mine = {{"group_id", label.id}, {"level", label.level}, {"group_ranks", n}, {"hosts", label.hosts},
                {"world_ranks", label.world_ranks}, {"measured", !skipped},
                {"describe", backend ? backend->describe() : nlohmann::json()}};
      const auto groups = gathered_rows(world.gather_text(leader ? mine.dump() : std::string()));
      // Agreed by all ranks: rank 0 alone must never leave the gathers below.
      const bool any_measured = world.max_over_ranks({skipped ? 0.0 : 1.0}).front() > 0;
      if (printer) {
        nlohmann::json listed = nlohmann::json::array();
        std::vector<std::string> skipped_ids;
        bool described = false;
        for (auto entry : groups) {
          if (!described && entry["measured"].get<bool>()) {
            file.merge_provenance(entry["describe"]);
            described = true;
          }
          if (!entry["measured"].get<bool>()) skipped_ids.push_back(entry["group_id"].get<std::string>());
          entry.erase("describe");
          listed.push_back(std::move(entry));
        }
        file.note(std::string("groups_") + to_string(kind), listed);
        if (!skipped_ids.empty()) {
          std::string which;
          for (const auto& id : skipped_ids) which += (which.empty() ? "" : ", ") + id;
          const std::string note = skipped_ids.size() == groups.size() ? "skipped: one rank per group"
                                                                       : "skipped groups of one rank: " + which;
          file.note(std::string("group_") + to_string(kind), note);
          std::cout << "# group " << to_string(kind) << ": " << note << "\n";
        }
        if (any_measured) {
          if (kind == GroupKind::world)
            std::cout << "# group world (" << label.level << ", " << n << " ranks), batch " << comm.batch << "\n";
          else
            std::cout << "# groups " << to_string(kind) << ": " << groups.size() - skipped_ids.size()
                      << " measured at once, batch " << comm.batch << "\n";
          std::cout << "#" << std::setw(15) << "collective" << std::setw(14) << "group" << std::setw(12) << "level"
                    << std::setw(7) << "ranks" << std::setw(14) << "bytes" << std::setw(12) << "time(us)" << std::setw(12)
                    << "algbw" << std::setw(12) << "busbw" << "\n";
        }
      }
      if (!any_measured) continue;  // every group of this kind has one rank
      for (Collective op : operations) {
        // Each size out of place, then in place (--placement); every rank runs the same points.
        for (std::uint64_t size : sizes)
        for (const bool in_place : placements) {
          if (in_place && !supports_in_place(op)) continue;
          // Every rank holds the same whole number of 16-byte chunks (nccl-tests aligns likewise).
          const std::uint64_t bytes = skipped ? 0 : collective_bytes(op, size, n);
          std::string row;
          if (bytes > 0) {
            watchdog->kick(std::string(to_string(op)) + (in_place ? " in place" : "") + " of " + human_bytes(bytes) + ", group " +
                           to_string(kind) + " " + label.id);
            long long wrong = -1;
            if (comm.check && !in_place) wrong = static_cast<long long>(group->max_over_ranks({static_cast<double>(backend->check_collective(op, bytes))}).front());
            const auto local = backend->time_collective(op, bytes, common.warmup, common.iterations, comm.batch, in_place);
            CommPoint point;
            point.collective = op;
            point.group = to_string(kind);
            point.group_id = label.id;
            point.host = label.host;
            point.rail = label.rail;
            point.level = label.level;
            point.group_ranks = n;
            point.ranks_per_node = label.ranks_per_node;
            point.bytes = bytes;
            point.count = (op == Collective::all_reduce || op == Collective::send_recv) ? bytes / sizeof(float) : bytes / sizeof(float) / n;
            point.batch = comm.batch;
            // A collective lasts as long as its slowest rank.
            point.iteration_seconds = group->max_over_ranks(local);
            point.wrong_elements = wrong;
            point.placement = in_place ? "in_place" : "out_of_place";
            if (leader) row = comm_point_json(point).dump();
          }
          // Every group's row reaches world rank 0, which records them all (a slow host or a bad
          // rail is what an operator looks for). The gather also keeps the groups in step.
          watchdog->kick(std::string("gathering ") + to_string(op) + " of " + human_bytes(size) + ", groups " + to_string(kind));
          const auto rows = gathered_rows(world.gather_text(row));
          maybe_inject_fault(world.rank(), ++points_done);
          if (!printer) continue;
          for (const auto& result : rows)
            if (result.value("nwrong", 0LL) > 0 && data_error.empty())
              data_error = "data check failed: " + std::to_string(result["nwrong"].get<long long>()) + " wrong elements in " +
                           to_string(op) + " of " + human_bytes(result["bytes"].get<std::uint64_t>()) + ", group " +
                           result["group_id"].get<std::string>() + " (a faulty GPU, link or NCCL setting; see nwrong in the rows)";
          file.append_all(rows);
          // Per-group figures of a split run: a slow host or rail is flagged at once (from 1 MiB,
          // below which latency and noise dominate), in the file's notes and on stdout.
          if (size >= (1u << 20))
            for (const auto& slow : slow_groups(rows)) {
              slow_notes.push_back(slow);
              file.note("slow_groups", slow_notes);
              std::cout << "# slow group: " << slow << "\n";
            }
          for (const auto& result : rows) {
            const bool row_in_place = result.value("placement", std::string()) == "in_place";
            std::cout << std::setw(16) << (std::string(to_string(op)) + (row_in_place ? "(in)" : "")) << std::setw(14)
                      << result["group_id"].get<std::string>()
                      << std::setw(12) << result["level"].get<std::string>() << std::setw(7)
                      << result["group_ranks"].get<int>() << std::setw(14) << result["bytes"].get<std::uint64_t>()
                      << std::setw(12) << std::fixed << std::setprecision(2) << result["time_us"]["median"].get<double>()
                      << std::setw(12) << result["algbw_gb_s"].get<double>() << std::setw(12)
                      << result["busbw_gb_s"].get<double>() << "\n"
                      << std::defaultfloat;
          }
        }
      }
    }
  } catch (const std::exception& e) {
    file.fail(e.what());
    throw;
  }
  if (!data_error.empty()) {
    file.fail(data_error);
    if (printer) print_error_line("trainplan-probe comm: " + data_error);
    return 1;
  }
  file.finish();
  if (printer && !common.json_path.empty()) std::cout << "# wrote " << common.json_path << "\n";
  return 0;
}

}  // namespace trainplan::probe
