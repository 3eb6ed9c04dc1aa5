#include "comm_groups.hpp"

#include <algorithm>
#include <map>
#include <set>
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

namespace {

// Every rank's colour at once: O(ranks log hosts), so that labelling a 16k-rank job stays instant.
std::vector<int> group_colours(GroupKind kind, const std::vector<std::string>& hosts_by_rank) {
  switch (kind) {
    case GroupKind::world: return std::vector<int>(hosts_by_rank.size(), 0);
    case GroupKind::intra: {
      std::map<std::string, int> index;  // host -> order of first appearance
      std::vector<int> colours;
      colours.reserve(hosts_by_rank.size());
      for (const auto& host : hosts_by_rank)
        colours.push_back(index.emplace(host, static_cast<int>(index.size())).first->second);
      return colours;
    }
    case GroupKind::inter: return local_ranks(hosts_by_rank);
  }
  return std::vector<int>(hosts_by_rank.size(), 0);
}

}  // namespace

int group_colour(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank) {
  return group_colours(kind, hosts_by_rank)[static_cast<std::size_t>(rank)];
}

std::vector<std::string> group_hosts(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank) {
  const std::vector<int> colours = group_colours(kind, hosts_by_rank);
  const int colour = colours[static_cast<std::size_t>(rank)];
  std::vector<std::string> hosts;
  for (std::size_t r = 0; r < hosts_by_rank.size(); ++r)
    if (colours[r] == colour) hosts.push_back(hosts_by_rank[r]);
  return hosts;
}

GroupLabel group_label(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank) {
  GroupLabel label;
  label.kind = kind;
  const std::vector<int> colours = group_colours(kind, hosts_by_rank);
  const int colour = colours[static_cast<std::size_t>(rank)];
  std::vector<std::string> rank_hosts;
  std::set<std::string> seen;
  for (int r = 0; r < static_cast<int>(hosts_by_rank.size()); ++r) {
    if (colours[static_cast<std::size_t>(r)] != colour) continue;
    label.world_ranks.push_back(r);
    const std::string& host = hosts_by_rank[static_cast<std::size_t>(r)];
    rank_hosts.push_back(host);
    if (seen.insert(host).second) label.hosts.push_back(host);
  }
  label.level = network_level(rank_hosts);
  label.ranks_per_node = static_cast<int>(label.world_ranks.size()) / std::max<int>(1, static_cast<int>(label.hosts.size()));
  switch (kind) {
    case GroupKind::world: label.id = "world"; break;
    case GroupKind::intra:
      label.host = hosts_by_rank[static_cast<std::size_t>(rank)];
      label.id = label.host;
      break;
    case GroupKind::inter:
      label.rail = colour;
      label.id = "rail " + std::to_string(colour);
      break;
  }
  return label;
}

}  // namespace trainplan::probe
