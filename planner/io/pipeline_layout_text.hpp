#pragma once
// Megatron-Core's pipeline_model_parallel_layout text (--pipeline-model-parallel-layout): `E` the
// embedding, `t` a transformer layer, `m` a multi-token-prediction module, `L` the loss (output
// head), `|` between virtual stages, `(...)*N` and `x*N` repeat, commas are cosmetic
// ("Et|(tt|)*30mL": 32 virtual stages). What Megatron-Core checks without the model is checked here:
// one E, first of all; one L, last of all; every m after every t. The rest (stage count = pp x vp,
// t count = layers, m count = MTP modules) needs the plan and model: planner/core/pipeline_layout_check.hpp.
#include <optional>
#include <string>

#include "planner/core/pipeline_layout.hpp"

namespace trainplan {

// On failure returns nothing and says why in `error`.
std::optional<PipelineLayout> parse_pipeline_layout(const std::string& text, std::string& error);

}  // namespace trainplan
