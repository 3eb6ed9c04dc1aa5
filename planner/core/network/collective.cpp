#include "planner/core/network/collective.hpp"

namespace trainplan {

double bus_bandwidth_factor(Collective kind, int ranks) {
  if (ranks <= 1) return 0.0;
  const double n = ranks;
  switch (kind) {
    case Collective::all_reduce: return 2.0 * (n - 1.0) / n;
    case Collective::reduce_scatter:
    case Collective::all_gather:
    case Collective::all_to_all: return (n - 1.0) / n;
    case Collective::send_recv: return 1.0;
  }
  return 0.0;
}

const char* to_string(Collective kind) {
  switch (kind) {
    case Collective::all_reduce: return "all_reduce";
    case Collective::reduce_scatter: return "reduce_scatter";
    case Collective::all_gather: return "all_gather";
    case Collective::all_to_all: return "all_to_all";
    case Collective::send_recv: return "send_recv";
  }
  return "?";
}

}  // namespace trainplan
