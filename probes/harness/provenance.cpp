#include "provenance.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <fstream>
#include <regex>

#include "process_group.hpp"

extern char** environ;

namespace trainplan::probe {

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.find(' ') != std::string::npos) arg = "'" + arg + "'";
    line += (i ? " " : "") + arg;
  }
  return line;
}

nlohmann::json probe_environment() {
  nlohmann::json env = nlohmann::json::object();
  for (char** entry = environ; entry && *entry; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = text.substr(0, equals);
    if (name.rfind("NCCL_", 0) == 0 || name == "CUDA_VISIBLE_DEVICES" || name.rfind("UCX_", 0) == 0 || name == kHostOverrideVariable)
      env[name] = text.substr(equals + 1);
  }
  return env;
}

std::string nvidia_driver_version() {
  std::ifstream in("/proc/driver/nvidia/version");
  std::string line;
  if (!in || !std::getline(in, line)) return "";
  // "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 ..."
  static const std::regex version(R"((\d+\.\d+(\.\d+)?))");
  std::smatch match;
  return std::regex_search(line, match, version) ? match.str(1) : line;
}

nlohmann::json nccl_configuration() {
  nlohmann::json files = nlohmann::json::object();
  auto read = [&](const std::string& path) {
    std::ifstream in(path);
    if (!in) return;
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > 65536) text = text.substr(0, 65536) + "... (truncated)";
    files[path] = text;
  };
  if (const char* conf = std::getenv("NCCL_CONF_FILE"); conf && *conf) {
    read(conf);
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    read(std::string(home) + "/.nccl.conf");
  }
  read("/etc/nccl.conf");
  const char* plugin = std::getenv("NCCL_NET_PLUGIN");
  return {{"files", files}, {"net_plugin", plugin && *plugin ? std::string(plugin) : std::string("default (libnccl-net.so when on the library path)")}};
}

nlohmann::json base_provenance(const RunContext& context) {
  std::vector<std::string> distinct;
  for (const auto& host : context.hosts_by_rank)
    if (std::find(distinct.begin(), distinct.end(), host) == distinct.end()) distinct.push_back(host);
  nlohmann::json p;
  p["kind"] = "measured";
  p["tool"] = kProbeToolVersion;
  p["probe"] = context.probe;
  p["date"] = utc_timestamp();
  p["command_line"] = context.command;
  p["ranks"] = context.hosts_by_rank.size();
  p["hosts"] = distinct;
  p["hosts_by_rank"] = context.hosts_by_rank;
  p["environment"] = probe_environment();
  if (!context.environment_by_rank.empty()) {
    const nlohmann::json first = nlohmann::json::parse(context.environment_by_rank.front(), nullptr, false);
    if (first.is_object()) p["environment"] = first;
    nlohmann::json differing = nlohmann::json::object();
    for (std::size_t r = 1; r < context.environment_by_rank.size(); ++r) {
      const nlohmann::json env = nlohmann::json::parse(context.environment_by_rank[r], nullptr, false);
      if (env != first) differing[std::to_string(r)] = env;
    }
    if (!differing.empty()) p["environment_by_rank"] = differing;
  }
  p["nccl_configuration"] = nccl_configuration();
  p["versions"] = nlohmann::json::object();
  if (!context.mpi_version.empty()) p["versions"]["mpi"] = context.mpi_version;
  const std::string driver = nvidia_driver_version();
  if (!driver.empty()) p["versions"]["nvidia_driver"] = driver;
  return p;
}

}  // namespace trainplan::probe
