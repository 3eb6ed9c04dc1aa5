#include "layout_shortfall_text.hpp"

#include <algorithm>

namespace trainplan {

namespace {

// "{1, 2, 4, 8}", or the first eight, "...", and the last for longer lists.
std::string value_list(const std::vector<int>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values.size() > 10 && i == 8) {
      text += ", ..., " + std::to_string(values.back());
      break;
    }
    text += (i ? ", " : "") + std::to_string(values[i]);
  }
  return text + "}";
}

std::string knob_lists(const LayoutShortfall& s, const Scenario& sc) {
  const int domain = sc.fabric.scale_up.gpus > 0 ? sc.fabric.scale_up.gpus : std::max(1, sc.job.gpus_per_node);
  return "tp from " + value_list(s.tp) + " (splits the " + std::to_string(domain) + "-GPU scale-up domain and the heads), pp from " +
         value_list(s.pp) + " (divides the " + std::to_string(sc.model.layers) + " layers unless --uneven-pipeline), cp from " +
         value_list(s.cp) + " (divides seq_len " + std::to_string(s.seq_len) + ", up to --cp-max)";
}

}  // namespace

std::string prime_factors_text(std::int64_t n) {
  if (n <= 1) return std::to_string(n);
  std::string text;
  for (std::int64_t p = 2; p * p <= n; ++p) {
    int power = 0;
    while (n % p == 0) n /= p, ++power;
    if (power > 0) text += (text.empty() ? "" : " x ") + std::to_string(p) + (power > 1 ? "^" + std::to_string(power) : "");
  }
  if (n > 1) text += (text.empty() ? "" : " x ") + std::to_string(n);
  return text;
}

std::string no_layout_reason(const LayoutShortfall& s, const Scenario& sc) {
  std::string text = "no layout for " + std::to_string(s.gpus) + " GPUs (" + prime_factors_text(s.gpus) + "): ";
  if (s.splits == 0) return text + "no tp x pp x cp divides the GPU count, with " + knob_lists(s, sc);
  if (s.layouts == 0)
    return text + std::to_string(s.splits) +
           " splits tp x pp x cp divide it, but the fixed knobs (--dp, --vp, --ep, --expert-tp) rule out every one";
  const std::string layouts = "its " + std::to_string(s.layouts) + " layouts give dp = GPUs / (tp x pp x cp) in " + value_list(s.dp_values);
  if (s.global_batch > 0) {
    const bool some_dp_divides =
        std::any_of(s.dp_values.begin(), s.dp_values.end(), [&](int dp) { return s.global_batch % dp == 0; });
    if (!some_dp_divides)
      return text + layouts + ", and none divides the global batch of " + std::to_string(s.global_batch) + " sequences (" +
             prime_factors_text(s.global_batch) + "); " + knob_lists(s, sc);
    return text + layouts + ", and none splits the global batch of " + std::to_string(s.global_batch) +
           " sequences into micro-batches within the searched range (interleaved: a multiple of pp micro-batches)";
  }
  return text + layouts + ", and the smallest dp times the micro-batch (" + std::to_string(s.min_micro_batch) +
         ") exceeds the largest global batch searched (" + std::to_string(s.max_global_batch) + " sequences)";
}

std::string nearest_counts_text(const NearestCounts& n, int step, const std::string& what) {
  const auto side = [](int count, const char* where) {
    return count > 0 ? std::to_string(count) + " " + where : std::string("none ") + where + " within the scan";
  };
  return "nearest GPU counts " + what + ": " + side(n.below, "below") + ", " + side(n.above, "above") + " (multiples of " +
         std::to_string(step) + ")";
}

}  // namespace trainplan
