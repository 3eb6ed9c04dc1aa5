#include "planner/core/model/moe_dispatch_overlap.hpp"

#include <algorithm>

namespace trainplan {

EpOverlapPairing ep_overlap_pairing(EpOverlapSchedule schedule, int pp, int vp, int microbatches) {
  EpOverlapPairing p;
  const double m = std::max(1, microbatches);
  switch (schedule) {
    case EpOverlapSchedule::megatron_1f1b: {
      const double v = std::max(1, vp);
      p.passes = v * m;
      p.unpaired = pp > 1 ? 2.0 * (pp - 1) + (v - 1.0) * pp : 1.0;
      break;
    }
    case EpOverlapSchedule::dualpipe:
      p.passes = m;
      p.unpaired = pp > 1 ? 2.0 * (pp - 1) + 1.0 : 1.0;
      break;
  }
  p.unpaired = std::min(p.unpaired, p.passes);
  return p;
}

EpOverlapTime overlap_expert_exchange(const EpOverlapChunks& c, const EpOverlapPairing& pairing,
                                      const Calibration& calibration) {
  EpOverlapTime t;
  const double d = std::max(0.0, c.dispatch_s), k = std::max(0.0, c.combine_s);
  const double eff = calibration.overlap_efficiency;
  auto hides = [&](double comm_s, double partner_s) { return std::min(comm_s, eff * std::max(0.0, partner_s)); };
  // One forward + backward's worth of exchange in a pair, and what of it hides.
  const double pair_hidden_s = hides(d, c.forward_attention_s) + hides(d, c.backward_mlp_s) +
                               hides(k, c.forward_mlp_s) + hides(k, c.backward_attention_s);
  const double total_s = c.exchange_passes * (d + k);
  t.hidden_s = pairing.paired_share() * pair_hidden_s;
  t.exposed_s = total_s - t.hidden_s;
  return t;
}

double dualpipe_bubble_ratio(int pp, int microbatches) {
  if (pp <= 2 || microbatches <= 0) return 0.0;
  return (pp / 2.0 - 1.0) * (2.0 / 3.0) / microbatches;
}

std::vector<std::string> ep_overlap_problems(const ModelShape& model, const ParallelPlan& plan, long long microbatches) {
  std::vector<std::string> problems;
  if (!plan.ep_overlap) return problems;
  const std::string name = std::string("ep_overlap (") + to_string(plan.ep_overlap_schedule) + ")";
  if (!model.is_moe() || plan.ep <= 1) problems.push_back(name + " needs expert parallelism (ep > 1)");
  switch (plan.ep_overlap_schedule) {
    case EpOverlapSchedule::megatron_1f1b:
      if (plan.pp > 1 && plan.vp <= 1) problems.push_back(name + " needs the interleaved schedule (vp > 1) when pp > 1");
      if (plan.recompute == Recompute::full) problems.push_back(name + " excludes full recomputation");
      if (model.mtp_layers > 1) problems.push_back(name + " supports at most one MTP layer");
      break;
    case EpOverlapSchedule::dualpipe:
      if (plan.pp < 2 || plan.pp % 2 != 0) problems.push_back(name + " needs an even pp of at least 2");
      if (plan.vp > 1) problems.push_back(name + " has its own two chunks per rank: vp must be 1");
      if (microbatches < 2LL * plan.pp)
        problems.push_back(name + " needs at least 2 x pp micro-batches per pipeline, got " + std::to_string(microbatches));
      break;
  }
  return problems;
}

}  // namespace trainplan
