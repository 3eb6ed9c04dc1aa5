#include "commands.hpp"

#include <exception>
#include <ostream>

#include "cli_notes.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"plan", "estimate step time, MFU, memory and time-to-train for one plan", plan_command},
      {"validate", "compare the model with published training runs", validate_command},
      {"compare", "one plan over several fabrics or what-ifs, side by side", compare_command},
      {"topo", "size a fabric for N GPUs: switches, cables, bandwidth per tier", topo_command},
      {"search", "find the best plans for a GPU count (every tp/pp/dp/cp/vp/ZeRO/... split)", search_command},
      {"size", "the smallest GPU count that meets a deadline, or the time a count takes", size_command},
      {"sweep", "the best plan at each GPU count of a range: time-to-train, MFU, CSV/JSON/SVG", sweep_command},
      {"report", "the decision report: one self-contained HTML page with the answer, charts and sources", report_command},
  };
  return table;
}

static void print_usage(std::ostream& out) {
  out << "usage: trainplan <command> [options]\n\n"
         "Estimates how long a large transformer takes to train on a GPU cluster, how many GPUs a\n"
         "deadline needs, and what it costs.\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name = c.name;
    name.resize(10, ' ');
    out << "  " << name << c.summary << "\n";
  }
  out << "\nRun 'trainplan <command> --help' for a command's options.\n";
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    print_usage(err);
    return 2;
  }
  // Everything the CLI reads from the command line ends up in reports (JSON needs UTF-8).
  for (std::size_t i = 0; i < args.size(); ++i)
    if (!valid_utf8(args[i])) {
      const bool after_flag = i > 0 && args[i - 1].rfind("--", 0) == 0;
      err << "trainplan" << (i > 0 ? " " + args.front() : "") << ": error: command line: "
          << (after_flag ? "the value of " + args[i - 1] : "argument " + std::to_string(i + 1)) << " is not valid UTF-8 text\n";
      return 2;
    }
  const std::string& name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(out);
    return 0;
  }
  if (name == "--version") {
    out << "trainplan 0.1.0\n";
    return 0;
  }
  for (const auto& c : commands()) {
    if (name != c.name) continue;
    take_cli_notes();  // notes of an earlier command run in this process (tests) are not this one's
    try {
      const int status = c.run(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
      // How the input was read (planner/cli/cli_notes.hpp); an exit 2 keeps its one error line.
      const std::vector<std::string> notes = take_cli_notes();
      if (status != 2)
        for (const std::string& note : notes) err << "trainplan " << name << ": note: " << note << "\n";
      return status;
    } catch (const InputError& e) {
      err << "trainplan " << name << ": error: " << e.what() << "\n";
      return 2;
    } catch (const std::exception& e) {
      err << "trainplan " << name << ": internal error: " << e.what() << "\n";
      return 3;
    }
  }
  err << "trainplan: unknown command '" << name << "'\n\n";
  print_usage(err);
  return 2;
}

}  // namespace trainplan
