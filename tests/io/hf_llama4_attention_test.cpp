// Llama 4's chunked attention: the model field, its cost, and the Hugging Face config that sets it.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "planner/core/model/layer_work.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/hf/";
}

TEST(ChunkedAttention, Llama4ConfigChunksThreeLayersOfFour) {
  const ModelShape m = load_model(fixtures + "llama4-maverick-config.json", {});
  EXPECT_EQ(m.attention_chunk, 8192);            // attention_chunk_size
  EXPECT_EQ(m.full_attention_interval, 4);       // the NoPE layers, Llama4TextConfig's default interval
  EXPECT_EQ(m.attention_window, 0);
}

TEST(ChunkedAttention, PairsByHand) {
  ModelShape m = load_model(fixtures + "llama4-maverick-config.json", {});
  // 32768 tokens in chunks of 8192: each chunk keeps 8192^2 / 2 pairs, 4 of them 1/4 of 32768^2 / 2;
  // one layer in four is full: 1/4 + 3/4 x 1/4.
  EXPECT_NEAR(m.attention_pair_fraction(32768), 0.25 + 0.75 * 0.25, 1e-12);
  // A sequence no longer than a chunk is full attention on every layer.
  EXPECT_NEAR(m.attention_pair_fraction(8192), 1.0, 1e-12);
  // 12288 tokens: one whole chunk and a half one: (8192^2 + 4096^2) / 12288^2 on the chunked layers.
  const double chunked = (8192.0 * 8192 + 4096.0 * 4096) / (12288.0 * 12288);
  EXPECT_NEAR(m.attention_pair_fraction(12288), 0.25 + 0.75 * chunked, 1e-12);
  ParallelPlan plan;
  plan.seq_len = 32768;
  const double chunked_flops = dense_layer_work(m, plan).flash_attention_flops;
  m.attention_chunk = 0;
  m.full_attention_interval = 0;
  EXPECT_NEAR(chunked_flops / dense_layer_work(m, plan).flash_attention_flops, 0.4375, 1e-12);
}

TEST(ChunkedAttention, NoRopeListSetsTheInterval) {
  // An explicit no_rope_layers list (0: a NoPE layer, full attention) at every 2nd of 4 layers.
  const std::string path = ::testing::TempDir() + "/trainplan_llama4_no_rope_every_2nd.json";
  {
    std::ofstream out(path);
    out << R"({"architectures": ["Llama4ForCausalLM"], "hidden_size": 512, "intermediate_size": 1024,
               "intermediate_size_mlp": 2048, "num_attention_heads": 8, "num_hidden_layers": 4,
               "num_key_value_heads": 8, "vocab_size": 32000, "num_local_experts": 8, "num_experts_per_tok": 1,
               "interleave_moe_layer_step": 2, "attention_chunk_size": 1024, "no_rope_layers": [1, 0, 1, 0]})";
  }
  const ModelShape m = load_model(path, {});
  std::remove(path.c_str());
  EXPECT_EQ(m.attention_chunk, 1024);
  EXPECT_EQ(m.full_attention_interval, 2);
}

TEST(ChunkedAttention, ChunkAndWindowTogetherNameTheField) {
  try {
    load_model("llama3-8b", {parse_override("model.attention_chunk=1024"), parse_override("model.attention_window=128")});
    FAIL() << "accepted a chunk and a window together";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("attention_chunk"), std::string::npos) << e.what();
  }
}

}  // namespace trainplan
