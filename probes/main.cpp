// trainplan-probe <gemm|hbm|comm> [options] --json FILE
// One harness (MPI start-up, options, timing, statistics, JSON) and one function per probe.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "harness/probe_context.hpp"

namespace {

using trainplan::probe::ProbeFunction;

struct ProbeEntry {
  const char* name;
  const char* summary;
  ProbeFunction run;
};

const ProbeEntry kProbes[] = {
    {"gemm", "cuBLASLt matmul throughput (bf16, fp8) by shape", trainplan::probe::gemm_probe},
    {"hbm", "device memory bandwidth (copy, triad)", trainplan::probe::hbm_probe},
    {"comm", "collective bus bandwidth by message size (NCCL, or MPI on host memory)", trainplan::probe::comm_probe},
};

void print_usage(std::ostream& out) {
  out << "usage: trainplan-probe <probe> [options] --json FILE\n"
         "       (under mpirun or srun: one rank per GPU)\n\nprobes:\n";
  for (const auto& probe : kProbes) out << "  " << probe.name << "  " << probe.summary << "\n";
  out << "\n'trainplan-probe <probe> --help' lists a probe's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trainplan::probe;
  std::unique_ptr<World> world;
  try {
    world = World::start(argc, argv);
  } catch (const std::exception& e) {
    print_error_line(std::string("trainplan-probe: cannot start: ") + e.what());
    return 2;
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  const ProbeEntry* chosen = nullptr;
  if (!args.empty())
    for (const auto& probe : kProbes)
      if (args[0] == probe.name) chosen = &probe;
  if (!chosen) {
    const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
    if (world->rank() == 0) {
      if (help)
        print_usage(std::cout);
      else if (args.empty())
        print_usage(std::cerr);
      else
        print_error_line("trainplan-probe: unknown probe '" + args[0] + "' (expected gemm, hbm or comm; see --help)");
    }
    world->finish(help ? 0 : 2);
    return help ? 0 : 2;
  }

  // Every rank's NCCL/CUDA environment reaches rank 0's provenance (a rank set up differently shows).
  std::vector<std::string> environments;
  try {
    environments = world->gather_text(probe_environment().dump());
  } catch (const std::exception& e) {
    print_error_line(std::string("trainplan-probe: cannot gather the ranks' environments: ") + e.what());
    world->abort(1);
  }
  ProbeContext context{*world, RunContext{chosen->name, command_line(argc, argv), world->hosts_by_rank(), world->mpi_version(), environments}};
  const std::string prefix = std::string("trainplan-probe ") + chosen->name + ": ";
  int status = 0;
  try {
    status = chosen->run(std::vector<std::string>(args.begin() + 1, args.end()), context);
  } catch (const PeerArgumentsFailed&) {
    status = 2;  // another rank rejected the command line and says why
  } catch (const std::exception& e) {
    if (!context.arguments_confirmed) {
      // A rejected command line, before any measurement: every rank stops together (the others
      // wait in confirm_arguments), the lowest failing rank prints the reason once.
      if (report_argument_failure(context))
        print_error_line(prefix + (world->size() > 1 ? rank_and_host(*world) + ": " : std::string()) + e.what());
      status = 2;
    } else {
      print_error_line(prefix + rank_and_host(*world) + ": " + e.what());
      // The other ranks may be waiting inside a collective for this one: end them all now.
      if (world->size() > 1) world->abort(1);
      status = 1;
    }
  }
  world->finish(status);
  return status;
}
