#include "planner/core/network/rank_order.hpp"

namespace trainplan {

namespace {
constexpr RankDim kAll[] = {RankDim::tp, RankDim::cp, RankDim::ep, RankDim::dp, RankDim::pp};
}

bool RankOrder::has(RankDim d) const {
  for (int i = 0; i < count; ++i)
    if (dims[static_cast<std::size_t>(i)] == d) return true;
  return false;
}

const char* to_string(RankDim d) {
  switch (d) {
    case RankDim::tp: return "tp";
    case RankDim::cp: return "cp";
    case RankDim::ep: return "ep";
    case RankDim::dp: return "dp";
    case RankDim::pp: return "pp";
  }
  return "?";
}

std::string to_string(const RankOrder& order) {
  std::string out;
  for (int i = 0; i < order.count; ++i) {
    if (i > 0) out += '-';
    out += to_string(order.dims[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::optional<RankOrder> parse_rank_order(const std::string& text, std::string& error) {
  RankOrder order;
  order.count = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dash = text.find('-', start);
    const std::string name = text.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
    bool known = false;
    for (RankDim d : kAll) {
      if (name != to_string(d)) continue;
      known = true;
      if (order.has(d)) {
        error = "'" + name + "' appears twice";
        return std::nullopt;
      }
      order.dims[static_cast<std::size_t>(order.count++)] = d;
    }
    if (!known) {
      error = "unknown dimension '" + name + "' (expected tp, cp, ep, dp, pp joined by '-')";
      return std::nullopt;
    }
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  for (RankDim d : {RankDim::tp, RankDim::dp, RankDim::pp})
    if (!order.has(d)) {
      error = std::string("'") + to_string(d) + "' is missing (tp, dp and pp are required; cp and ep may be left out when 1)";
      return std::nullopt;
    }
  // The dimensions left out fill the unused slots (size 1 by the plan's check).
  int slot = order.count;
  for (RankDim d : kAll)
    if (!order.has(d)) order.dims[static_cast<std::size_t>(slot++)] = d;
  return order;
}

}  // namespace trainplan
