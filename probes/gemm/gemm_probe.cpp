// trainplan-probe gemm: cuBLASLt matmul throughput per shape and dtype, best of the heuristic's
// candidate algorithms, with raw per-iteration times and the chosen algorithm.
#include <algorithm>
#include <iostream>
#include <sstream>

#include "cuda/cuda_probes.hpp"
#include "gemm_shapes.hpp"
#include "harness/options.hpp"
#include "harness/summary_json.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan::probe {

namespace {

struct GemmSettings {
  std::string model, shapes, grid, dtypes = "bf16,fp8";
  int tp = 1, cp = 1, ep = 1, expert_tp = 0, micro_batch = 1, seq_len = 4096;
  bool sequence_parallel = false;
  double warmup_seconds = 2.0;
  GemmRunSettings run;
};

std::vector<GemmDtype> parse_dtypes(const std::string& list) {
  std::vector<GemmDtype> dtypes;
  std::stringstream stream(list);
  std::string name;
  while (std::getline(stream, name, ',')) {
    if (name == "bf16") dtypes.push_back(GemmDtype::bf16);
    else if (name == "fp8") dtypes.push_back(GemmDtype::fp8);
    else throw ProbeError("--dtype: expected bf16 and/or fp8, got '" + name + "'");
  }
  if (dtypes.empty()) throw ProbeError("--dtype: expected bf16 and/or fp8");
  return dtypes;
}

std::vector<GemmCase> choose_shapes(const GemmSettings& s) {
  const int sources = !s.model.empty() + !s.shapes.empty() + !s.grid.empty();
  if (sources != 1) throw ProbeError("give exactly one of --model, --shapes, --grid");
  try {
    if (!s.shapes.empty()) return parse_shape_list(s.shapes);
    if (!s.grid.empty()) return parse_shape_grid(s.grid);
    ParallelPlan plan;
    plan.tp = s.tp;
    plan.cp = s.cp;
    plan.ep = s.ep;
    plan.expert_tp = s.expert_tp;
    plan.micro_batch = s.micro_batch;
    plan.seq_len = s.seq_len;
    plan.sequence_parallel = s.sequence_parallel;
    const ModelShape model = load_model(s.model, {});
    const auto problems = gemm_plan_problems(model, plan);
    if (!problems.empty()) throw ProbeError("--model " + s.model + ": " + problems.front());
    return model_gemm_cases(model, plan);
  } catch (const std::invalid_argument& e) {
    throw ProbeError(e.what());
  } catch (const InputError& e) {
    throw ProbeError(e.what());   // names the model file (or preset) and the field
  }
}

}  // namespace

int gemm_probe(const std::vector<std::string>& args, ProbeContext& context) {
  CommonSettings common;
  common.warmup = 10;
  common.iterations = 50;
  GemmSettings g;
  po::options_description options("gemm options");
  add_common_options(options, common);
  options.add_options()
      ("model", po::value(&g.model), "a bundled model name or a model file: measure its per-layer GEMMs")
      ("tp", po::value(&g.tp)->default_value(g.tp), "tensor-parallel degree the model's GEMMs are split by")
      ("cp", po::value(&g.cp)->default_value(g.cp), "context-parallel degree (splits the tokens)")
      ("ep", po::value(&g.ep)->default_value(g.ep), "expert-parallel degree (MoE: experts per GPU and their tokens)")
      ("expert-tp", po::value(&g.expert_tp)->default_value(g.expert_tp), "tensor parallelism of the routed experts (0: --tp)")
      ("micro-batch", po::value(&g.micro_batch)->default_value(g.micro_batch), "sequences per micro-batch")
      ("seq-len", po::value(&g.seq_len)->default_value(g.seq_len), "tokens per sequence")
      ("sequence-parallel", po::bool_switch(&g.sequence_parallel), "Megatron sequence parallelism")
      ("shapes", po::value(&g.shapes), "list of MxNxK, comma-separated")
      ("grid", po::value(&g.grid), "every combination of m=...;n=...;k=... (comma-separated values)")
      ("dtype", po::value(&g.dtypes)->default_value(g.dtypes), "bf16, fp8 or both (comma-separated)")
      ("candidates", po::value(&g.run.candidates)->default_value(g.run.candidates), "heuristic algorithms to try (>= 8)")
      ("search-iters", po::value(&g.run.search_iterations)->default_value(g.run.search_iterations), "timed runs per candidate")
      ("workspace-mib", po::value<int>()->default_value(32), "cuBLASLt workspace, MiB")
      ("no-flush-l2", "do not flush L2 between iterations")
      ("warmup-seconds", po::value(&g.warmup_seconds)->default_value(g.warmup_seconds),
       "before each dtype, run the largest shape back to back this long (the GPU reaches its sustained clock)")
      ("fp8-fast-accum", po::bool_switch(&g.run.fp8_fast_accumulation), "fp8: cuBLASLt fast accumulation (as fp8 forward GEMMs in training)")
      ("tn-only", "bf16: every shape in the TN layout (default: dgrad NN, wgrad NT, as bf16 training runs them)");
  po::variables_map values;
  if (!parse_options(args, options, "usage: trainplan-probe gemm (--model M | --shapes LIST | --grid SPEC) [options] --json FILE",
                     values, context.world.rank() == 0))
    return 0;
  check_common_settings(common);
  check_range("--candidates", g.run.candidates, 8, 1024);
  check_range("--search-iters", g.run.search_iterations, 1, 10000);
  const int workspace_mib = values["workspace-mib"].as<int>();
  check_range("--workspace-mib", workspace_mib, 0, 65536);
  check_range("--tp", g.tp, 1, 65536);
  check_range("--cp", g.cp, 1, 65536);
  check_range("--ep", g.ep, 1, 65536);
  check_range("--expert-tp", g.expert_tp, 0, 65536);
  check_range("--micro-batch", g.micro_batch, 1, 65536);
  check_range("--seq-len", g.seq_len, 1, 16 << 20);
  if (!(g.warmup_seconds >= 0 && g.warmup_seconds <= 600))
    throw ProbeError("--warmup-seconds: expected seconds from 0 to 600, got " + std::to_string(g.warmup_seconds));
  g.run.training_layouts = values.count("tn-only") == 0;
  g.run.workspace_bytes = static_cast<std::size_t>(workspace_mib) << 20;
  g.run.flush_l2 = values.count("no-flush-l2") == 0;
  g.run.warmup = common.warmup;
  g.run.iterations = common.iterations;
  const std::vector<GemmCase> shapes = choose_shapes(g);
  std::vector<GemmDtype> dtypes = parse_dtypes(g.dtypes);
  const bool dtypes_defaulted = values["dtype"].defaulted();
  require_cuda("the gemm probe");
  confirm_arguments(context, common);

  nlohmann::json header;
  header["probe"] = "gemm";
  header["provenance"] = base_provenance(context.run);
  header["settings"] = {{"layout", g.run.training_layouts ? "fp8: TN; bf16: fwd TN, dgrad NN, wgrad NT" : "TN"},
                        {"operands", "random, uniform in [-1, 1)"}, {"warmup_seconds", g.warmup_seconds},
                        {"fp8_fast_accumulation", g.run.fp8_fast_accumulation},
                        {"timing", "queued runs behind a delay kernel, a pair of CUDA events per run"}, {"output_dtype", "bf16"}, {"compute", "fp32"}, {"warmup", common.warmup},
                        {"iterations", common.iterations}, {"candidates_requested", g.run.candidates},
                        {"search_iterations", g.run.search_iterations}, {"workspace_bytes", g.run.workspace_bytes},
                        {"flush_l2", g.run.flush_l2}, {"model", g.model}, {"tp", g.tp}, {"cp", g.cp}, {"ep", g.ep},
                        {"expert_tp", g.expert_tp}, {"micro_batch", g.micro_batch}, {"seq_len", g.seq_len},
                        {"sequence_parallel", g.sequence_parallel}};
  ResultFile file = open_result_file(context, common, header);
  auto watchdog = start_watchdog(context.world, common.timeout_s, &file);
  const bool printer = context.world.rank() == 0;
  try {
    watchdog->kick("opening the GPU");
    const nlohmann::json gpu = open_gpu(context.world.local_rank(), context.world.ranks_on_host());
    file.merge_provenance(gpu);
    const int capability = gpu["gpu"].value("compute_capability", 0);
    if (std::find(dtypes.begin(), dtypes.end(), GemmDtype::fp8) != dtypes.end() &&
        !gemm_dtype_supported(GemmDtype::fp8, capability)) {
      const std::string why = gpu["gpu"].value("model", std::string("this GPU")) + " has compute capability " +
                              std::to_string(capability / 10) + "." + std::to_string(capability % 10) +
                              "; fp8 GEMMs need 8.9 or higher (Ada, Hopper, Blackwell)";
      if (!dtypes_defaulted) throw ProbeError("--dtype fp8: " + why + " (use --dtype bf16)");
      dtypes.erase(std::remove(dtypes.begin(), dtypes.end(), GemmDtype::fp8), dtypes.end());
      file.note("fp8", "skipped: " + why);
      if (printer) std::cout << "# fp8 skipped: " << why << "\n";
    }
    nlohmann::json unsupported = nlohmann::json::array();
    // The largest shape warms the GPU up before each dtype.
    const GemmCase largest = *std::max_element(shapes.begin(), shapes.end(), [](const GemmCase& a, const GemmCase& b) { return a.flops() < b.flops(); });
    for (GemmDtype dtype : dtypes) {
      watchdog->kick(std::string("gemm warm-up ") + to_string(dtype) + " " + largest.name);
      try {
        warm_up_gemm(largest, dtype, g.run, g.warmup_seconds);
      } catch (const GemmUnsupported&) {
        // the per-shape loop notes it
      }
      for (const GemmCase& shape : shapes) {
        watchdog->kick(std::string("gemm ") + to_string(dtype) + " " + shape.name);
        GemmTiming timing;
        try {
          timing = time_gemm(shape, dtype, g.run);
        } catch (const GemmUnsupported& e) {
          const std::string what = std::string(to_string(dtype)) + " " + shape.name + " (" + std::to_string(shape.m) + "x" +
                                   std::to_string(shape.n) + "x" + std::to_string(shape.k) + "): " + e.what();
          unsupported.push_back(what);
          file.note("unsupported", unsupported);
          if (printer) std::cout << "# skipped " << what << "\n";
          continue;
        }
        std::vector<double> microseconds, tflops;
        for (double s : timing.iteration_seconds) {
          microseconds.push_back(s * 1e6);
          tflops.push_back(shape.flops() / s / 1e12);
        }
        const Summary time_us = summarize(microseconds);
        const Summary throughput = summarize(tflops);
        nlohmann::json result = {{"name", shape.name}, {"dtype", to_string(dtype)}, {"layout", gemm_layout(shape, dtype, g.run)},
                                 {"m", shape.m}, {"n", shape.n},
                                 {"k", shape.k}, {"per_layer", shape.per_layer}, {"flops", shape.flops()},
                                 {"time_us", summary_json(time_us)},
                                 {"tflops", {{"median", shape.flops() / (time_us.median * 1e-6) / 1e12}, {"max", throughput.max}}},
                                 {"algorithm", timing.algorithm}, {"candidates_returned", timing.candidates_returned},
                                 {"candidates", timing.candidates}, {"iterations_us", microseconds}};
        file.append(result);
        if (printer)
          std::cout << to_string(dtype) << " " << shape.name << " (" << shape.m << "x" << shape.n << "x" << shape.k
                    << "): median " << result["tflops"]["median"].get<double>() << " TFLOP/s, max "
                    << throughput.max << " TFLOP/s, algorithm id " << timing.algorithm.value("id", -1) << "\n";
      }
    }
  } catch (const std::exception& e) {
    file.fail(e.what());
    throw;
  }
  file.finish();
  if (printer && !common.json_path.empty()) std::cout << "# wrote " << common.json_path << "\n";
  return 0;
}

}  // namespace trainplan::probe
