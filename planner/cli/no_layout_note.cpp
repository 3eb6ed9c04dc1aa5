#include "no_layout_note.hpp"

#include <algorithm>

#include "planner/io/layout_shortfall_text.hpp"
#include "scenario_at_count.hpp"

namespace trainplan {

std::optional<NoLayoutNote> no_layout_note(const SearchSetup& setup, const SearchOptions& options, int gpus, bool with_nearest) {
  const ScenarioAtGpus scenario_at = scenario_at_gpus(setup);
  const Scenario sc = scenario_at(gpus);
  const LayoutShortfall shortfall = layout_shortfall(sc, setup.space);
  if (!shortfall.no_layout()) return std::nullopt;
  NoLayoutNote note;
  note.reason = no_layout_reason(shortfall, sc);
  note.step = with_nearest ? std::max(1, sc.job.gpus_per_node) : 0;
  if (with_nearest)
    note.nearest = nearest_counts_with_plan(scenario_at, setup.space, options, gpus, note.step, fabric_reach_gpus(setup));
  return note;
}

}  // namespace trainplan
