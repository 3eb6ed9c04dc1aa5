#include "comm_groups.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "harness/process_group.hpp"

namespace trainplan::probe {

const char* to_string(GroupKind kind) {
  switch (kind) {
    case GroupKind::world: return "world";
    case GroupKind::intra: return "intra";
    case GroupKind::inter: return "inter";
  }
  return "?";
}

std::string network_level(const std::vector<std::string>& group_hosts) {
  std::map<std::string, int> per_host;
  for (const auto& host : group_hosts) ++per_host[host];
  if (per_host.size() <= 1) return "intra_node";
  const bool one_each = std::all_of(per_host.begin(), per_host.end(), [](const auto& entry) { return entry.second == 1; });
  return one_each ? "inter_node" : "mixed";
}

std::vector<GroupKind> groups_for_split(const std::string& mode) {
  if (mode == "none") return {GroupKind::world};
  if (mode == "intra") return {GroupKind::intra};
  if (mode == "inter") return {GroupKind::inter};
  if (mode == "both") return {GroupKind::intra, GroupKind::inter};
  throw std::invalid_argument("--split: expected none, intra, inter or both, got '" + mode + "'");
}

int group_colour(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank) {
  const auto r = static_cast<std::size_t>(rank);
  switch (kind) {
    case GroupKind::world: return 0;
    case GroupKind::intra: {
      std::vector<std::string> distinct;
      for (const auto& host : hosts_by_rank)
        if (std::find(distinct.begin(), distinct.end(), host) == distinct.end()) distinct.push_back(host);
      return static_cast<int>(std::find(distinct.begin(), distinct.end(), hosts_by_rank[r]) - distinct.begin());
    }
    case GroupKind::inter: return local_ranks(hosts_by_rank)[r];
  }
  return 0;
}

std::vector<std::string> group_hosts(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank) {
  const int colour = group_colour(kind, hosts_by_rank, rank);
  std::vector<std::string> hosts;
  for (int r = 0; r < static_cast<int>(hosts_by_rank.size()); ++r)
    if (group_colour(kind, hosts_by_rank, r) == colour) hosts.push_back(hosts_by_rank[static_cast<std::size_t>(r)]);
  return hosts;
}

}  // namespace trainplan::probe
