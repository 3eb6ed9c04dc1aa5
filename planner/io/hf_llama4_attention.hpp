#pragma once
// Llama 4's chunked attention from its Hugging Face config.json (Llama4TextConfig).
#include <yaml-cpp/yaml.h>

#include "yaml_fields.hpp"

namespace trainplan {

// attention_chunk_size tokens per chunk on the RoPE layers; the NoPE layers (no_rope_layers[i] == 0,
// or without that list every no_rope_layer_interval-th layer, default 4, as Llama4TextConfig fills
// it) attend to the whole sequence: node's attention_chunk and full_attention_interval. NoPE layers
// that do not recur at a fixed interval are an error naming no_rope_layers.
void add_llama4_chunked_attention(const FieldReader& hf, YAML::Node& node);

}  // namespace trainplan
