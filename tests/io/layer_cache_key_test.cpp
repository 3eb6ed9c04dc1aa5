// The per-layer cache (planner/core/step/layer_cost_cache.hpp) must never merge two plans that differ
// in an option: every plan option of the table, set to its example value, gives a plan that
// ParallelPlan's operator== (the cache's key comparison) tells apart from the default one: the
// option's setter writes a field the comparison sees.
#include <gtest/gtest.h>

#include <string>

#include "planner/core/step/layer_cost_cache.hpp"
#include "planner/io/plan_option_table.hpp"

namespace trainplan {
namespace {

nlohmann::json example_value(const PlanOption& option) {
  const std::string text = option.example;
  switch (option.kind) {
    case OptionKind::boolean:
      return text == "true";
    case OptionKind::positive_count:
    case OptionKind::whole_or_zero:
    case OptionKind::number:
      return std::stod(text);
    case OptionKind::choice:
      break;
  }
  return text;
}

TEST(LayerCacheKey, EveryPlanOptionSeparatesCacheEntries) {
  int checked = 0;
  for (const PlanOption& option : plan_option_table()) {
    if (option.job || option.set == nullptr || option.get == nullptr) continue;
    ParallelPlan base;
    TrainingJob job;
    ParallelPlan changed = base;
    TrainingJob changed_job = job;
    try {
      option.set(example_value(option), changed, changed_job);
    } catch (const std::exception& e) {
      ADD_FAILURE() << option.key << ": example '" << option.example << "' not accepted by its setter: " << e.what();
      continue;
    }
    if (option.get(changed, changed_job) == option.get(base, job)) continue;  // the example is the default
    EXPECT_FALSE(base == changed) << option.key << " = " << option.example
                                  << " is not told apart by ParallelPlan's operator== (the layer cache's key)";
    ++checked;
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace trainplan
