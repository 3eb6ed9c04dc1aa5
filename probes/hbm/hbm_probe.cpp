// trainplan-probe hbm: device memory bandwidth with BabelStream's copy and triad kernels.
#include <iostream>

#include "cuda/cuda_probes.hpp"
#include "harness/options.hpp"
#include "harness/size_sweep.hpp"
#include "harness/summary_json.hpp"

namespace trainplan::probe {

int hbm_probe(const std::vector<std::string>& args, ProbeContext& context) {
  CommonSettings common;
  common.iterations = 100;
  std::string array_size = "1G";
  bool grid_stride = false;
  po::options_description options("hbm options");
  add_common_options(options, common);
  options.add_options()("array-bytes", po::value(&array_size)->default_value(array_size),
                        "bytes per array (three arrays for triad); far above L2 (50 MiB on H100)")
      ("grid-stride", po::bool_switch(&grid_stride), "a grid of 4 blocks per SM looping over the arrays (default: one element per thread, as BabelStream's CUDA version)");
  po::variables_map values;
  if (!parse_options(args, options, "usage: trainplan-probe hbm [options] --json FILE", values, context.world.rank() == 0))
    return 0;
  check_common_settings(common);
  const auto array_bytes = parse_byte_size(array_size);
  if (!array_bytes || *array_bytes < (1u << 20) || *array_bytes > (64ull << 30))
    throw ProbeError("--array-bytes: expected a size from 1M to 64G, got '" + array_size + "'");

  require_cuda("the hbm probe");
  confirm_arguments(context, common);

  nlohmann::json header;
  header["probe"] = "hbm";
  header["provenance"] = base_provenance(context.run);
  header["settings"] = {{"array_bytes", *array_bytes}, {"element", "double"}, {"warmup", common.warmup},
                        {"iterations", common.iterations}, {"counting", "BabelStream: copy 2 arrays, triad 3 arrays"},
                        {"kernel_form", grid_stride ? "grid-stride loop, 4 blocks per SM" : "one element per thread"},
                        {"timing", "queued runs behind a delay kernel, a pair of CUDA events per run"},
                        {"headline", "max (BabelStream reports each kernel's best run)"}};
  ResultFile file = open_result_file(context, common, header);
  auto watchdog = start_watchdog(context.world, common.timeout_s, &file);
  try {
    watchdog->kick("opening the GPU");
    const nlohmann::json gpu = open_gpu(context.world.local_rank(), context.world.ranks_on_host());
    file.merge_provenance(gpu);
    try {
      check_hbm_array_size(static_cast<std::size_t>(*array_bytes), gpu["gpu"].value("l2_bytes", std::size_t{0}));
    } catch (const std::invalid_argument& e) {
      throw ProbeError(e.what());
    }
    for (HbmKernel kernel : {HbmKernel::copy, HbmKernel::triad}) {
      watchdog->kick(std::string("hbm ") + to_string(kernel));
      const HbmTiming timing = time_hbm(kernel, static_cast<std::size_t>(*array_bytes), common.warmup, common.iterations, grid_stride);
      if (timing.wrong_elements > 0)
        throw ProbeError(std::string("hbm ") + to_string(kernel) + ": " + std::to_string(timing.wrong_elements) +
                         " elements do not hold the expected value after the runs (BabelStream's check): the GPU's memory or kernels are faulty");
      const std::vector<double>& seconds = timing.seconds;
      const double moved = hbm_bytes_moved(kernel, static_cast<std::size_t>(*array_bytes));
      std::vector<double> microseconds;
      for (double s : seconds) microseconds.push_back(s * 1e6);
      const Summary time_us = summarize(microseconds);
      nlohmann::json result = {{"kernel", to_string(kernel)}, {"array_bytes", *array_bytes}, {"bytes_moved", moved},
                               {"time_us", summary_json(time_us)},
                               {"gb_s", {{"median", moved / (time_us.median * 1e-6) / 1e9}, {"max", moved / (time_us.min * 1e-6) / 1e9}}},
                               {"iterations_us", microseconds}, {"checked", true}};
      file.append(result);
      if (context.world.rank() == 0)
        std::cout << to_string(kernel) << ": median " << result["gb_s"]["median"].get<double>() << " GB/s, max "
                  << result["gb_s"]["max"].get<double>() << " GB/s\n";
    }
  } catch (const std::exception& e) {
    file.fail(e.what());
    throw;
  }
  file.finish();
  if (context.world.rank() == 0 && !common.json_path.empty()) std::cout << "# wrote " << common.json_path << "\n";
  return 0;
}

}  // namespace trainplan::probe
