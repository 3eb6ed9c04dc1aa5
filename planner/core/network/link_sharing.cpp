#include "planner/core/network/link_sharing.hpp"

#include <algorithm>

namespace trainplan {

double background_share(double background_s, double window_s) {
  if (!(background_s > 0)) return 0.0;
  return window_s > 0 ? std::min(0.5, background_s / window_s) : 0.5;
}

LinkSharing share_links(const SharedLinkLoad& load) {
  LinkSharing out;
  double bursts = 0, background = 0;
  for (int k = 0; k < kLinkKinds; ++k) {
    bursts += std::max(0.0, load.burst_s[k]);
    background += std::max(0.0, load.background_s[k]);
  }
  if (background <= 0) return out;
  const double compute = std::max(0.0, load.compute_s);
  const double window = compute + bursts;
  double extra = 0;
  for (int k = 0; k < kLinkKinds; ++k) {
    const double burst = std::max(0.0, load.burst_s[k]);
    if (burst <= 0) continue;
    // A burst at (1 - rho) of the path: x / (1 - rho) - x extra, from the other kinds' background.
    const double rho = background_share(background - std::max(0.0, load.background_s[k]), window);
    extra += burst * rho / (1.0 - rho);
  }
  // The background takes only what it has to send.
  out.burst_extra_s = std::min(background, extra);
  // It gets the whole path during compute and, during the stretched bursts, exactly the time they
  // were stretched by.
  out.overflow_s = std::max(0.0, background - compute - out.burst_extra_s);
  return out;
}

}  // namespace trainplan
