#pragma once
// The rank order: how the parallel dimensions tile the job's ranks, innermost first, as
// Megatron-Core's RankGenerator spells it (`order`, default "tp-cp-ep-dp-pp": TP innermost, PP
// outermost; `--use-tp-pp-dp-mapping` gives "tp-cp-ep-pp-dp"). A dimension's stride is the product
// of the sizes of those inside it; ranks fill nodes, leaves, spines, pods and sites in order, so the
// order decides which groups stay inside a node or a building (docs/network-model.md, "Placement").
#include <array>
#include <optional>
#include <string>

namespace trainplan {

enum class RankDim : unsigned char { tp, cp, ep, dp, pp };

struct RankOrder {
  bool operator==(const RankOrder&) const = default;
  // Innermost first. Megatron-Core lets cp and ep be left out (they must then be of size 1): `count`
  // is 3 to 5 and the dimensions left out come last, unused.
  std::array<RankDim, 5> dims{RankDim::tp, RankDim::cp, RankDim::ep, RankDim::dp, RankDim::pp};
  int count = 5;
  bool has(RankDim d) const;
};

const char* to_string(RankDim d);
std::string to_string(const RankOrder& order);  // "tp-cp-ep-dp-pp"

// Parses "tp-cp-ep-dp-pp" style orders: names tp, cp, ep, dp, pp joined by '-', each at most once,
// tp, dp and pp required. On failure returns nothing and says why in `error`.
std::optional<RankOrder> parse_rank_order(const std::string& text, std::string& error);

}  // namespace trainplan
