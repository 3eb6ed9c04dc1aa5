#pragma once
// How the world's ranks are grouped for the comm probe, and at which network level each group's
// traffic runs. --split intra: one group per host (the NVLink domain); --split inter: one group per
// local rank index, i.e. one rank per host (a rail of the scale-out network); both: each in turn.
#include <string>
#include <vector>

namespace trainplan::probe {

enum class GroupKind { world, intra, inter };
const char* to_string(GroupKind kind);

// "intra_node": all ranks on one host; "inter_node": one rank per host; "mixed": several hosts with
// several ranks each (the scale-out network carries the traffic, shared by ranks_per_node ranks).
std::string network_level(const std::vector<std::string>& group_hosts);

struct GroupLayout {
  GroupKind kind = GroupKind::world;
  int colour = 0;                   // this rank's colour for MPI_Comm_split
};

// The split modes: "none" (world only), "intra", "inter", "both". Throws std::invalid_argument.
std::vector<GroupKind> groups_for_split(const std::string& mode);
// Colour of `rank` for a group kind: 0 (world), its host's index (intra), its local rank (inter).
int group_colour(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank);
// The hosts of the ranks sharing `rank`'s colour, in world-rank order.
std::vector<std::string> group_hosts(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank);

// Which group `rank` belongs to, as the result file labels it. All groups of a split are measured
// at once and every group's results are recorded, so each needs a name unique among its kind.
struct GroupLabel {
  GroupKind kind = GroupKind::world;
  std::string id;                   // "world"; intra: the host's name; inter: "rail N"
  std::string host;                 // intra: the group's host; empty otherwise
  int rail = -1;                    // inter: the local rank index of its ranks; -1 otherwise
  std::vector<int> world_ranks;     // the group's ranks, ascending (group rank i is world_ranks[i])
  std::vector<std::string> hosts;   // distinct hosts, in rank order
  std::string level;                // network_level of the group
  int ranks_per_node = 1;           // ranks of the group per host
};
GroupLabel group_label(GroupKind kind, const std::vector<std::string>& hosts_by_rank, int rank);

}  // namespace trainplan::probe
