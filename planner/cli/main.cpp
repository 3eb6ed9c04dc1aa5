// trainplan: the command-line entry point. All logic lives in the commands (planner/cli).
#include <iostream>
#include <string>
#include <vector>

#include "planner/cli/commands.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return trainplan::run_cli(args, std::cout, std::cerr);
}
