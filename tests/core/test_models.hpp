#pragma once
// Small shared fixtures for the core tests: model shapes and a scenario built in code (no files).
#include "planner/core/calibration.hpp"
#include "planner/core/evaluate.hpp"

namespace trainplan::testing {

// GPT-3 175B as in Brown et al. 2020 and Megatron's validation runs (biases, learned positions).
inline ModelShape gpt3_175b() {
  ModelShape m;
  m.name = "gpt3-175b";
  m.layers = 96;
  m.hidden = 12288;
  m.heads = 96;
  m.kv_heads = 96;
  m.ffn = 4 * 12288;
  m.mlp = MlpKind::gelu;
  m.vocab = 50257;
  m.tied_embeddings = true;
  m.linear_biases = true;
  m.learned_positions = 2048;
  m.dropout = true;
  return m;
}

inline ModelShape llama3_8b() {
  ModelShape m;
  m.name = "llama3-8b";
  m.layers = 32;
  m.hidden = 4096;
  m.heads = 32;
  m.kv_heads = 8;
  m.ffn = 14336;
  m.mlp = MlpKind::swiglu;
  m.vocab = 128256;
  return m;
}

// Mixtral 8x7B (Jiang et al. 2024): Llama 3 8B's trunk with a 32K vocabulary, 8 SwiGLU experts of
// the dense FFN's size per layer, top-2 routing.
inline ModelShape mixtral_8x7b() {
  ModelShape m = llama3_8b();
  m.name = "mixtral-8x7b";
  m.vocab = 32000;
  m.moe.routed_experts = 8;
  m.moe.top_k = 2;
  m.moe.expert_ffn = 14336;
  return m;
}

inline GpuSpec h100() {
  GpuSpec g;
  g.name = "H100-SXM5-80GB";
  g.bf16_dense_tflops = 989.4;
  g.fp8_dense_tflops = 1978.9;
  g.hbm_gib = 80;
  g.hbm_tb_s = 3.35;
  g.nvlink_gb_s_per_direction = 450;
  g.tdp_w = 700;
  return g;
}

// A flat profile: every GEMM at 80% of peak, HBM at 90%, no measured curves.
inline PerformanceProfile flat_profile() {
  PerformanceProfile p;
  p.gemm_bf16_fraction_by_flops = {{1.0, 1e18}, {0.8, 0.8}};
  p.gemm_fp8_fraction_by_flops = {{1.0, 1e18}, {0.7, 0.7}};
  p.hbm_fraction = 0.9;
  p.fused_attention = {0.35, 0.55};
  return p;
}

// A two-tier rail-optimized fat tree of 64-port switches (32 down, 32 up at the leaf; 64 down at
// the spine) under 8-GPU NVLink nodes with one 400 Gb/s NIC per GPU.
inline Fabric two_tier_fabric() {
  Fabric f;
  f.name = "test fabric";
  f.scale_up.gpus = 8;
  f.scale_up.gb_s_per_direction = 450;
  f.nic_gbit_s = 400;
  FabricTier leaf;
  leaf.name = "leaf";
  leaf.switch_radix = 64;
  leaf.ports_down = 32;
  leaf.ports_up = 32;
  FabricTier spine = leaf;
  spine.name = "spine";
  spine.ports_down = 64;
  spine.ports_up = 0;
  f.tiers = {leaf, spine};
  return f;
}

inline Scenario scenario(const ModelShape& model, int gpus) {
  Scenario s;
  s.model = model;
  s.gpu = h100();
  s.fabric = two_tier_fabric();
  s.job.gpus = gpus;
  s.job.gpus_per_node = 8;
  s.job.training_tokens = 1e12;
  s.profile = flat_profile();
  s.calibration = default_calibration();
  return s;
}

}  // namespace trainplan::testing
