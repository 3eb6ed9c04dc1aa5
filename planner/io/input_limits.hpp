#pragma once
// The ranges every field and flag of trainplan's inputs must lie in (docs/formats.md, "Ranges").
// Counts are read as 64-bit numbers and checked against these before they are narrowed to int;
// physical quantities are bounded to what a real model, GPU, fabric or run can have, so that a
// typo (1e308, 4294967296, 1e-300) is an error naming the field and the range, never a wrapped
// count, a division by zero or a NaN in a result.
#include <cstddef>
#include <cstdint>

namespace trainplan {

struct Range {
  double min;
  double max;
};

namespace limits {

// ---- Input files ----
inline constexpr std::uintmax_t max_file_bytes = 4u << 20;  // 4 MiB: the largest input file read
inline constexpr std::size_t max_mapping_keys = 10'000;      // keys of one YAML/JSON mapping
inline constexpr std::size_t max_list_items = 1'000'000;     // items of one YAML/JSON list
inline constexpr int max_nesting = 64;                       // mappings/lists inside each other

// ---- Model ----
inline constexpr Range layers{1, 10'000};
inline constexpr Range hidden{1, 1 << 20};
inline constexpr Range heads{1, 65'536};
inline constexpr Range head_dim{0, 65'536};  // 0: hidden / heads
inline constexpr Range ffn{1, 1 << 24};
inline constexpr Range vocab{1, 1 << 27};
inline constexpr Range learned_positions{0, 1 << 24};
inline constexpr Range mtp_layers{0, 64};
inline constexpr Range mla_rank{0, 65'536};
inline constexpr Range mla_head_dim{1, 65'536};
inline constexpr Range routed_experts{1, 65'536};
inline constexpr Range shared_experts{0, 1'024};
inline constexpr Range expert_groups{0, 65'536};
inline constexpr Range capacity_factor{0.01, 64};
inline constexpr Range load_imbalance{1, 64};

// ---- GPU ----
inline constexpr Range tflops{1, 1e5};            // dense TFLOP/s (an H100 SXM: 989 bf16)
inline constexpr Range fp8_tflops{0, 2e5};        // 0: no fp8
inline constexpr Range tile_fixed_k{0, 1 << 20};  // GEMM tile fixed cost in K-depth units (0: none)
inline constexpr Range hbm_gib{1, 65'536};
inline constexpr Range memory_headroom_gib{0, 65'536};  // GiB kept free per GPU (--memory-headroom-gib)
inline constexpr Range hbm_tb_s{0.01, 1'000};
inline constexpr Range nvlink_gb_s{0, 1e5};       // 0: no NVLink figure
inline constexpr Range tdp_w{10, 1e5};
inline constexpr Range streaming_multiprocessors{0, 100'000};
inline constexpr Range host_link_gb_s{0.1, 1e5};    // GB/s per direction between a GPU and its host memory
inline constexpr Range host_memory_gib{1, 1 << 24};  // host memory per GPU

// ---- Topology ----
inline constexpr Range scale_up_gpus{1, 576};     // the largest published NVLink domain (NVL576)
inline constexpr Range link_gb_s{0.1, 1e6};       // GB/s per direction of a scale-up link
inline constexpr Range link_gbit_s{1, 1e7};       // Gb/s of a NIC or switch link
inline constexpr Range hop_latency_us{0, 1e6};
inline constexpr Range nics_per_gpu{1, 64};
inline constexpr Range planes{1, 64};
inline constexpr Range routing_efficiency{0.01, 1};
inline constexpr Range hash_polarization{0, 0.99};  // fraction of an uplink tier left idle
inline constexpr std::size_t max_tiers = 6;
inline constexpr Range switch_radix{2, 65'536};
inline constexpr Range oversubscription{1, 1'024};
inline constexpr Range tier_max_gpus{0, 1 << 30};
inline constexpr Range sites{2, 64};               // buildings a DCI tier joins
inline constexpr Range cost_usd_per_link{0, 1e9};

// ---- Plan and job ----
inline constexpr Range gpus{1, 10'000'000};
inline constexpr Range gpus_per_node{1, 576};
// An NVLink domain (a job's node) holds 1 or 2 GPUs or a multiple of 4 (8 on HGX, 36/72 on GB200 NVL).
inline constexpr bool is_domain_size(long long domain_gpus) {
  return domain_gpus >= 1 && (domain_gpus <= 2 || domain_gpus % 4 == 0);
}
inline constexpr Range parallel_size{1, 1 << 20};   // tp, pp, cp, ep, vp, expert_tp (also at most --gpus or the layers)
inline constexpr Range micro_batch{1, 1 << 20};
inline constexpr Range seq_len{1, 1 << 24};         // 16,777,216 tokens
inline constexpr Range global_batch_tokens{1, 1e11};  // tokens per optimizer step
inline constexpr Range training_tokens{0, 1e17};
inline constexpr Range zero_stage{0, 3};

// ---- Search, size, sweep ----
inline constexpr std::int64_t max_searched_global_batches = 65'536;  // sequences per step searched over
inline constexpr Range search_threads{1, 1'024};
inline constexpr Range deadline_days{0.001, 36'500};  // size/report --deadline-days: up to a century

// ---- Schedule (plan/size --schedule) ----
// Each phase and each batch stage can need a layout search of its own: a few dozen is a long run.
inline constexpr std::size_t max_schedule_phases = 256;
inline constexpr std::size_t max_batch_ramp_stages = 256;
inline constexpr std::size_t max_candidate_batches = 64;  // size --largest-useful --batches

// ---- Slurm topology.conf ----
// Node and switch names after expanding host ranges, per SwitchName=/BlockName= line: ten times the
// nodes of the largest clusters of 2026 (some 25,000 nodes for 100,000+ GPUs). Each name is a string
// held while the file is read (about 150 bytes in Release, over 1 KB under ASan): a million names
// took 0.5 GB under ASan, which an hour of fuzzing found.
inline constexpr std::size_t max_slurm_names = 250'000;
inline constexpr std::size_t max_slurm_switches = 100'000;  // SwitchName= lines
// Switch levels, leaves included: each level becomes a fabric tier, so no more than max_tiers.
inline constexpr int max_slurm_levels = static_cast<int>(max_tiers);

}  // namespace limits

}  // namespace trainplan
