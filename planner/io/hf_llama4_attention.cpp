#include "hf_llama4_attention.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "input_limits.hpp"

namespace trainplan {

void add_llama4_chunked_attention(const FieldReader& hf, YAML::Node& node) {
  const std::int64_t layers = hf.get_count("num_hidden_layers");
  const std::vector<std::int64_t> rope = hf.get_whole_list("no_rope_layers", Range{0, 1});
  if (!rope.empty() && static_cast<std::int64_t>(rope.size()) != layers)
    hf.fail("no_rope_layers", "expected one entry per layer (num_hidden_layers: " + std::to_string(layers) + "), got " +
                                  std::to_string(rope.size()));
  const std::int64_t chunk = hf.get_non_negative_count("attention_chunk_size", 0);
  std::int64_t interval = 0;
  if (rope.empty()) {
    interval = hf.get_count("no_rope_layer_interval", 4);
  } else {
    std::vector<std::size_t> full;
    for (std::size_t i = 0; i < rope.size(); ++i)
      if (rope[i] == 0) full.push_back(i);
    if (full.size() == rope.size()) return;  // no RoPE layer: nothing is chunked
    interval = full.empty() ? 1 : static_cast<std::int64_t>(full.front() + 1);
    for (std::size_t i = 0; i < rope.size() && !full.empty(); ++i)
      if ((static_cast<std::int64_t>(i + 1) % interval == 0) != (rope[i] == 0))
        hf.fail("no_rope_layers", "NoPE (0) layers must recur at a fixed interval (every n-th layer)");
  }
  if (chunk <= 0) return;
  node["attention_chunk"] = chunk;
  if (interval > 1) node["full_attention_interval"] = interval;
}

}  // namespace trainplan
