#include "plan_options.hpp"

#include <algorithm>
#include <ostream>

#include "planner/core/calibration.hpp"
#include "planner/io/calibration_loader.hpp"
#include "planner/core/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/scenario_defaults.hpp"
#include "result_check.hpp"

namespace po = boost::program_options;

namespace trainplan {

void add_scenario_options(po::options_description& options, PlanFlags& f) {
  options.add_options()
      ("model", po::value(&f.model)->default_value(f.model), "model preset name, a trainplan model YAML, or a Hugging Face config.json")
      ("gpu", po::value(&f.gpu)->default_value(f.gpu), "GPU preset name (h100-sxm, h800-sxm, h100-pcie, h200, b200, a100-sxm-80gb) or a GPU YAML file")
      ("gpus", po::value(&f.gpus), "number of GPUs in the job (required)")
      ("gpus-per-node", po::value(&f.gpus_per_node), "GPUs per node / NVLink domain (default 8)")
      ("tokens", po::value(&f.tokens), "training tokens, for time-to-train (e.g. 15.6T)")
      ("topology", po::value(&f.topology), "fabric: a bundled topology name or a topology YAML file")
      ("probes", po::value(&f.probes)->multitoken(), "probe result files (trainplan-probe JSON or nccl-tests -J JSON) replacing published figures")
      ("set", po::value(&f.sets)->composing(), "override any description field: model.layers=96, gpu.hbm_gib=96, plan.zero=1, fabric.... (repeatable)");
}

void add_layout_options(po::options_description& options, PlanFlags& f) {
  options.add_options()
      ("tp", po::value(&f.tp), "tensor-parallel size (default 1)")
      ("pp", po::value(&f.pp), "pipeline-parallel stages (default 1)")
      ("dp", po::value(&f.dp), "data-parallel size (default: gpus / (tp*pp*cp))")
      ("cp", po::value(&f.cp), "context-parallel size (default 1)")
      ("ep", po::value(&f.ep), "expert-parallel size, MoE models (default 1)")
      ("expert-tp", po::value(&f.expert_tp), "tensor parallelism of the routed experts (MoE parallel folding; default: --tp)")
      ("vp", po::value(&f.vp), "virtual pipeline stages per GPU; > 1 selects the interleaved 1F1B schedule (default 1)")
      ("micro-batch", po::value(&f.micro_batch), "sequences per micro-batch (default 1)")
      ("global-batch", po::value(&f.global_batch), "sequences per optimizer step")
      ("global-batch-tokens", po::value(&f.global_batch_tokens), "tokens per optimizer step (e.g. 16M); alternative to --global-batch")
      ("seq-len", po::value(&f.seq_len), "sequence length in tokens (default 2048)")
      ("precision", po::value(&f.precision), "bf16 | fp8 (default bf16)")
      ("recompute", po::value(&f.recompute), "activation recomputation: none | selective | full (default none)")
      ("recompute-layers", po::value(&f.recompute_layers), "with --recompute full: layers per pipeline stage that recompute; the rest keep activations (default: all)")
      ("sequence-parallel", po::bool_switch(&f.sequence_parallel), "use sequence parallelism with tensor parallelism")
      ("zero", po::value(&f.zero), "ZeRO stage 0-3 (1 = Megatron's distributed optimizer; default 0)");
}

void add_economics_options(po::options_description& options, PlanFlags& f) {
  options.add_options()
      ("economics", po::value(&f.economics), "failure/cost/energy settings YAML laid over the bundled planner/data/economics.yaml")
      ("failure-rate", po::value(&f.failure_rate), "unexpected interruptions per GPU per day, or llama3 (4.7e-4, default) | meta_research_clusters (8.14e-4)")
      ("checkpoint-interval", po::value(&f.checkpoint_interval), "minutes between checkpoints, or optimal (Young/Daly, default)")
      ("restart-minutes", po::value(&f.restart_minutes), "time from an interruption until training runs again (default 10)")
      ("storage-gb-s", po::value(&f.storage_gb_s), "aggregate checkpoint write bandwidth, GB/s (default 2000)")
      ("hot-spares", po::value(&f.hot_spares), "hot-spare nodes (default 0)")
      ("runs", po::value(&f.runs), "Monte-Carlo runs of the whole training run, for p10/p50/p90 time-to-train (default 0: none)")
      ("seed", po::value(&f.seed), "Monte-Carlo seed (default 1)")
      ("cost-basis", po::value(&f.cost_basis), "buy (amortised capital + energy, default) | rent")
      ("gpu-price", po::value(&f.gpu_price), "USD per GPU (default 35000, range 25000-40000)")
      ("rent-price", po::value(&f.rent_price), "USD per GPU-hour (default 3.1, 2025 range 1.7-4.5)")
      ("amortization-years", po::value(&f.amortization_years), "years the capital is written off over (default 4)")
      ("pue", po::value(&f.pue), "power usage effectiveness (default 1.1)")
      ("electricity-price", po::value(&f.electricity_price), "USD per kWh (default 0.08)");
}

LoadedEconomics load_plan_economics(const PlanFlags& f, const std::vector<Override>& overrides) {
  std::vector<Override> all = overrides;
  auto flag = [&](const char* name, const std::string& value, std::initializer_list<const char*> path) {
    if (value.empty()) return;
    Override o;
    o.scope = "economics";
    o.path.assign(path.begin(), path.end());
    o.value = value;
    o.text = std::string("--") + name + " " + value;
    all.push_back(o);
  };
  flag("failure-rate", f.failure_rate, {"failures", "per_gpu_day"});
  flag("checkpoint-interval", f.checkpoint_interval, {"checkpoint", "interval_minutes"});
  flag("restart-minutes", f.restart_minutes, {"recovery", "restart_minutes"});
  flag("storage-gb-s", f.storage_gb_s, {"checkpoint", "storage_gb_s"});
  flag("hot-spares", f.hot_spares, {"recovery", "hot_spare_nodes"});
  flag("runs", f.runs, {"monte_carlo", "runs"});
  flag("seed", f.seed, {"monte_carlo", "seed"});
  flag("cost-basis", f.cost_basis, {"cost", "basis"});
  flag("gpu-price", f.gpu_price, {"cost", "gpu_usd"});
  flag("rent-price", f.rent_price, {"cost", "rent_usd_per_gpu_hour"});
  flag("amortization-years", f.amortization_years, {"cost", "amortization_years"});
  flag("pue", f.pue, {"energy", "pue"});
  flag("electricity-price", f.electricity_price, {"energy", "electricity_usd_per_kwh"});
  return load_economics(f.economics, all);
}

void add_format_option(po::options_description& options, PlanFlags& f, const char* formats) {
  options.add_options()("format", po::value(&f.format)->default_value(f.format), formats);
}

bool parse_command_line(const std::vector<std::string>& args, const po::options_description& options, const char* usage,
                        std::ostream& out, const char* command) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).run(), vm);
    if (vm.count("help")) {
      out << usage << "\n" << all << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    // Boost's what() substitutes %original_token% and the like into its message until none is left:
    // an argument holding such a placeholder loops forever (found by fuzzing). Name the argument
    // ourselves when any holds a '%'.
    const auto percent = std::find_if(args.begin(), args.end(), [](const std::string& a) { return a.find('%') != std::string::npos; });
    const std::string why = percent == args.end() ? std::string(e.what())
                                                  : "cannot parse the argument '" + *percent + "' (an unknown option, or a bad value)";
    throw InputError(std::string("trainplan ") + command + " command line", "", why + " (see 'trainplan " + command + " --help')");
  }
  return true;
}

PlanSetup build_plan_setup(const PlanFlags& f, bool allow_unreachable_fabric) {
  PlanSetup setup;
  for (const auto& text : f.sets) setup.overrides.push_back(parse_override(text));
  for (const auto& o : setup.overrides) {
    if (o.scope != "model" && o.scope != "gpu" && o.scope != "plan" && o.scope != "fabric" && o.scope != "economics" &&
        o.scope != "calibration")
      throw InputError("--set " + o.text, o.scope, "unknown scope (expected model, gpu, plan, fabric, economics or calibration)");
  }
  Scenario& sc = setup.scenario;
  sc.model = load_model(f.model, setup.overrides);
  sc.gpu = load_gpu(f.gpu, setup.overrides);

  // The plan flags become one mapping, so --set plan.x and --x are checked by the same code.
  YAML::Node plan_node(YAML::NodeType::Map);
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) plan_node[key] = value;
  };
  put("gpus", f.gpus);
  put("gpus_per_node", f.gpus_per_node);
  put("tokens", f.tokens);
  put("tp", f.tp);
  put("pp", f.pp);
  put("dp", f.dp);
  put("cp", f.cp);
  put("ep", f.ep);
  put("expert_tp", f.expert_tp);
  put("vp", f.vp);
  put("micro_batch", f.micro_batch);
  put("global_batch", f.global_batch);
  put("global_batch_tokens", f.global_batch_tokens);
  put("seq_len", f.seq_len);
  put("precision", f.precision);
  put("recompute", f.recompute);
  put("recompute_layers", f.recompute_layers);
  put("zero", f.zero);
  if (f.sequence_parallel) plan_node["sequence_parallel"] = "true";
  for (const auto& o : setup.overrides)
    if (o.scope == "plan") apply_override(plan_node, o);
  if (!plan_node["gpus"].IsDefined()) throw InputError("command line", "--gpus", "missing: how many GPUs does the job use?");
  if (!plan_node["global_batch"].IsDefined() && !plan_node["global_batch_tokens"].IsDefined())
    throw InputError("command line", "--global-batch", "missing: give --global-batch (sequences) or --global-batch-tokens");
  parse_plan(FieldReader(plan_node, "command line", "plan"), setup.plan, sc.job);

  sc.fabric = load_fabric_for(f.topology, sc.job, sc.gpu, setup.overrides, allow_unreachable_fabric);
  for (const auto& path : f.probes)
    if (path.empty()) throw InputError("command line", "--probes", "expected probe result files");
  sc.profile = load_profile_for(sc.gpu, f.probes);
  sc.calibration = load_calibration(setup.overrides);
  return setup;
}

RunEconomics plan_economics(const Scenario& scenario, const PlanResult& result, const EconomicsModel& model) {
  const FabricSize size = size_fabric(scenario.fabric, scenario.job.gpus);
  const NetworkCounts counts{static_cast<double>(size.total_switches), static_cast<double>(size.total_cables),
                             static_cast<double>(size.nics)};
  // Every command shows its plans through here: the last check on their figures.
  check_result_figures(scenario, result);
  RunEconomics economics = evaluate_run_economics(scenario, result, counts, model);
  check_economics_figures(scenario, result, economics, model);
  return economics;
}

}  // namespace trainplan
