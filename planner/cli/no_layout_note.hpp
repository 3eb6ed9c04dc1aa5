#pragma once
// The note search, size and sweep print when a GPU count has no layout for the batch asked for: why
// (planner/io/layout_shortfall_text) and the nearest counts, multiples of a node, that have a plan.
#include <optional>
#include <string>

#include "planner/core/search/layout_shortfall.hpp"
#include "planner/io/layout_shortfall_text.hpp"
#include "search_options.hpp"

namespace trainplan {

// Empty when `gpus` has a layout that admits the batch (an empty search then means no plan fits).
// `with_nearest` false: the reason only (the scan for the nearest counts searches a few counts).
std::optional<NoLayoutNote> no_layout_note(const SearchSetup& setup, const SearchOptions& options, int gpus, bool with_nearest = true);

}  // namespace trainplan
