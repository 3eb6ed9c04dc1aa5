#pragma once
// Hugging Face config.json of the current open model families (Qwen2, Qwen3, Qwen2-MoE, Gemma 2,
// Gemma 3, Phi-3, OLMoE): the keys each architecture adds to the trainplan model node that
// model_loader.cpp builds from the fields every config shares, and the readers of layer patterns
// (sliding-window layer_types, leading dense layers) that other architectures use too.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "yaml_fields.hpp"

namespace trainplan {

// Adds what `architecture` (one of the families above) says beyond the common fields: qkv biases,
// query/key norms, sandwich norms, experts, sliding-window attention.
void add_open_family_fields(const std::string& architecture, const FieldReader& hf, YAML::Node& node);

// Sliding-window attention of `window` tokens (0: none) laid out by the config's layer_types
// (one sliding_attention or full_attention per layer). Without layer_types, `interval_without_types`
// decides: 0 no window, 1 every layer windowed, n > 1 every n-th layer ((i + 1) % n == 0) full.
// Full layers must recur at a fixed interval; anything else is an error naming layer_types.
void add_window_pattern(const FieldReader& hf, std::int64_t window, int interval_without_types, YAML::Node& node);

// mlp_only_layers (Qwen-MoE): the leading run [0, 1, ..., k-1] becomes moe.first_dense_layers.
void add_leading_dense_layers(const FieldReader& hf, YAML::Node& moe);

}  // namespace trainplan
