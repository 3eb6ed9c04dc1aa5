#pragma once
// The subcommand table: one entry per command, one file per command (planner/cli/<name>_command.cpp).
#include <iosfwd>
#include <string>
#include <vector>

namespace trainplan {

// A command gets its arguments (after the subcommand name) and the streams to write to. It returns
// the process exit status; bad input is thrown as InputError and turned into status 2 by main.
using CommandFunction = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Command {
  const char* name;
  const char* summary;
  CommandFunction run;
};

const std::vector<Command>& commands();

// Runs the CLI as main does (exposed for tests): argv without the program name.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int topo_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int search_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int size_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int sweep_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace trainplan
