// trainplan-probe gemm: cuBLASLt matmul throughput per shape and dtype, best of the heuristic's
// candidate algorithms, with raw per-iteration times and the chosen algorithm.
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
  int tp = 1, micro_batch = 1, seq_len = 4096;
  bool sequence_parallel = false;
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
    if (s.tp < 1 || s.micro_batch < 1 || s.seq_len < 1) throw ProbeError("--tp, --micro-batch, --seq-len: expected positive");
    ParallelPlan plan;
    plan.tp = s.tp;
    plan.micro_batch = s.micro_batch;
    plan.seq_len = s.seq_len;
    plan.sequence_parallel = s.sequence_parallel;
    return model_gemm_cases(load_model(s.model, {}), plan);
  } catch (const std::invalid_argument& e) {
    throw ProbeError(e.what());
  } catch (const InputError& e) {
    throw ProbeError(std::string("--model: ") + e.what());
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
      ("micro-batch", po::value(&g.micro_batch)->default_value(g.micro_batch), "sequences per micro-batch")
      ("seq-len", po::value(&g.seq_len)->default_value(g.seq_len), "tokens per sequence")
      ("sequence-parallel", po::bool_switch(&g.sequence_parallel), "Megatron sequence parallelism")
      ("shapes", po::value(&g.shapes), "list of MxNxK, comma-separated")
      ("grid", po::value(&g.grid), "every combination of m=...;n=...;k=... (comma-separated values)")
      ("dtype", po::value(&g.dtypes)->default_value(g.dtypes), "bf16, fp8 or both (comma-separated)")
      ("candidates", po::value(&g.run.candidates)->default_value(g.run.candidates), "heuristic algorithms to try (>= 8)")
      ("search-iters", po::value(&g.run.search_iterations)->default_value(g.run.search_iterations), "timed runs per candidate")
      ("workspace-mib", po::value<int>()->default_value(32), "cuBLASLt workspace, MiB")
      ("no-flush-l2", "do not flush L2 between iterations");
  po::variables_map values;
  if (!parse_options(args, options, "usage: trainplan-probe gemm (--model M | --shapes LIST | --grid SPEC) [options] --json FILE", values))
    return 0;
  check_common_settings(common);
  if (g.run.candidates < 8) throw ProbeError("--candidates: expected at least 8");
  if (g.run.search_iterations < 1) throw ProbeError("--search-iters: expected at least 1");
  const int workspace_mib = values["workspace-mib"].as<int>();
  if (workspace_mib < 0) throw ProbeError("--workspace-mib: expected 0 or more");
  g.run.workspace_bytes = static_cast<std::size_t>(workspace_mib) << 20;
  g.run.flush_l2 = values.count("no-flush-l2") == 0;
  g.run.warmup = common.warmup;
  g.run.iterations = common.iterations;
  const std::vector<GemmCase> shapes = choose_shapes(g);
  const std::vector<GemmDtype> dtypes = parse_dtypes(g.dtypes);

  auto watchdog = start_watchdog(context.world, common.timeout_s);
  nlohmann::json header;
  header["probe"] = "gemm";
  header["provenance"] = base_provenance(context.run);
  header["settings"] = {{"layout", "TN"}, {"output_dtype", "bf16"}, {"compute", "fp32"}, {"warmup", common.warmup},
                        {"iterations", common.iterations}, {"candidates_requested", g.run.candidates},
                        {"search_iterations", g.run.search_iterations}, {"workspace_bytes", g.run.workspace_bytes},
                        {"flush_l2", g.run.flush_l2}, {"model", g.model}, {"tp", g.tp},
                        {"micro_batch", g.micro_batch}, {"seq_len", g.seq_len}, {"sequence_parallel", g.sequence_parallel}};
  ResultFile file = open_result_file(context, common, header);
  try {
    watchdog->kick("opening the GPU");
    file.merge_provenance(open_gpu(context.world.local_rank()));
    for (GemmDtype dtype : dtypes) {
      for (const GemmCase& shape : shapes) {
        watchdog->kick(std::string("gemm ") + to_string(dtype) + " " + shape.name);
        const GemmTiming timing = time_gemm(shape, dtype, g.run);
        std::vector<double> microseconds, tflops;
        for (double s : timing.iteration_seconds) {
          microseconds.push_back(s * 1e6);
          tflops.push_back(shape.flops() / s / 1e12);
        }
        const Summary time_us = summarize(microseconds);
        const Summary throughput = summarize(tflops);
        nlohmann::json result = {{"name", shape.name}, {"dtype", to_string(dtype)}, {"m", shape.m}, {"n", shape.n},
                                 {"k", shape.k}, {"flops", shape.flops()}, {"time_us", summary_json(time_us)},
                                 {"tflops", {{"median", shape.flops() / (time_us.median * 1e-6) / 1e12}, {"max", throughput.max}}},
                                 {"algorithm", timing.algorithm}, {"candidates_returned", timing.candidates_returned},
                                 {"candidates", timing.candidates}, {"iterations_us", microseconds}};
        file.append(result);
        if (context.world.rank() == 0)
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
  return 0;
}

}  // namespace trainplan::probe
