#include "plan_options.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <string_view>

#include "planner/core/calibration.hpp"
#include "planner/io/calibration_loader.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_option_table.hpp"
#include "planner/io/scenario_defaults.hpp"
#include "planner/io/slurm_fabric.hpp"
#include "planner/io/input_limits.hpp"
#include "planner/io/yaml_fields.hpp"
#include "planner/io/topology_loader.hpp"
#include "framework_options.hpp"
#include "result_check.hpp"
#include "cli_notes.hpp"
#include "planner/io/token_batch.hpp"
#include "typed_plan_errors.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// One table row as a command-line option bound to flags.plan_values[key]; a boolean is a switch.
void add_table_option(po::options_description& options, PlanFlags& f, const PlanOption& o, const std::string& help) {
  std::string& value = f.plan_values[o.key];
  if (o.kind == OptionKind::boolean)
    options.add_options()(o.flag, po::value(&value)->zero_tokens()->implicit_value("true"), help.c_str());
  else
    options.add_options()(o.flag, po::value(&value), help.c_str());
}

// The bundled presets of planner/data (and topologies/), for the flags' help.
std::string preset_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  return list;
}

std::string table_help(const PlanOption& o) {
  const std::string default_text = o.default_text;
  if (default_text.rfind("required", 0) == 0) return std::string(o.help) + " (" + default_text + ")";
  return std::string(o.help) + " (default: " + default_text + ")";
}

}  // namespace

const std::string& PlanFlags::given(const std::string& key) const {
  static const std::string none;
  const auto it = plan_values.find(key);
  return it == plan_values.end() ? none : it->second;
}

void add_scenario_options(po::options_description& options, PlanFlags& f) {
  options.add_options()
      ("model", po::value(&f.model)->default_value(f.model),
       ("model preset name (" + preset_list(model_preset_names()) + "), a trainplan model YAML, or a Hugging Face config.json").c_str())
      ("gpu", po::value(&f.gpu)->default_value(f.gpu), ("GPU preset name (" + preset_list(gpu_preset_names()) + ") or a GPU YAML file").c_str());
  for (const PlanOption& o : plan_option_table())
    if (o.job && o.has_flag()) add_table_option(options, f, o, table_help(o));
  options.add_options()
      ("topology", po::value(&f.topology),
       ("fabric: a bundled topology (" + preset_list(topology_names()) + ") or a topology YAML file; default dgx-h100-superpod-ndr").c_str())
      ("slurm", po::value(&f.slurm),
       "the cluster's Slurm topology.conf (switch tree or blocks) instead of --topology; GPUs, NICs and speeds not in it from the "
       "default fabric and --set fabric.*; without --gpus, every node it lists")
      ("probes", po::value(&f.probes)->multitoken(), "probe result files (trainplan-probe JSON or nccl-tests -J JSON) replacing published figures")
      ("set", po::value(&f.sets)->composing(), "override any description field: model.layers=96, gpu.hbm_gib=96, plan.zero=1, fabric.... (repeatable)");
}

void add_layout_options(po::options_description& options, PlanFlags& f) {
  for (const PlanOption& o : plan_option_table())
    if (!o.job && o.has_flag()) add_table_option(options, f, o, table_help(o));
  add_framework_options(options, f);  // ---- Megatron-LM / NeMo names ----
}

void add_search_layout_options(po::options_description& searched, po::options_description& fixed, PlanFlags& f) {
  for (const PlanOption& o : plan_option_table()) {
    if (o.job || !o.has_flag()) continue;
    const std::string key = o.key;
    if (o.searched[0] != '\0')
      add_table_option(searched, f, o, std::string(o.help) + " (searched: " + o.searched + ")");
    else if (key == "global_batch" || key == "global_batch_tokens")
      add_table_option(fixed, f, o, std::string(o.help) + " (this or --global-batch(-tokens) is required, or --max-global-batch(-tokens) to search the batch)");
    else
      add_table_option(fixed, f, o, table_help(o));
  }
  add_framework_options(fixed, f);  // ---- Megatron-LM / NeMo names (a given one fixes its knob) ----
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

std::string_view long_option_name(std::string_view arg) {
  if (arg.substr(0, 2) != "--") return {};
  return arg.substr(2, arg.find('=') == std::string_view::npos ? std::string_view::npos : arg.find('=') - 2);
}

namespace {
// The options of `all` that an argument of `args` can name: "--NAME[=...]" with NAME the start of
// the option's long name (Boost takes an unambiguous prefix), "-X..." its short name, or a wildcard
// name. Boost matches every argument against every option of the description it parses with (with
// a few string copies each); this one holds only the candidates, so the parse is the same (the
// same matches, ambiguities and unknown options) at a tenth of the cost. An option left out keeps
// its bound variable's value, which is its default: every default here is the variable's own value.
po::options_description options_named(const std::vector<std::string>& args, const po::options_description& all) {
  po::options_description named;
  for (const auto& option : all.options()) {
    const std::string& long_name = option->long_name();
    const std::string short_name = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
    const bool wanted = (!long_name.empty() && long_name.back() == '*') ||
                        std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
                          if (arg.rfind("--", 0) == 0) {
                            const std::string_view name = long_option_name(arg);
                            return !name.empty() && std::string_view(long_name).rfind(name, 0) == 0;
                          }
                          // "-X", or short switches run together ("-hv"): any of its letters.
                          return arg.size() >= 2 && arg[0] == '-' && short_name.size() == 2 && short_name[0] == '-' &&
                                 arg.find(short_name[1], 1) != std::string::npos;
                        });
    if (wanted) named.add(option);
  }
  return named;
}
}  // namespace

bool parse_command_line(const std::vector<std::string>& args, const po::options_description& options, const char* usage,
                        std::ostream& out, const char* command) {
  po::options_description all(options);
  all.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options_named(args, all)).run(), vm);
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

namespace {
// --slurm without --gpus: the job takes every node the file lists. The plan is read once with the
// largest count (every size check passes) to learn its GPUs per node, then the file's nodes. The
// cluster read is returned: the plan's GPUs per node are the same, so it is the job's fabric too.
SlurmCluster default_gpus_from_slurm(const PlanFlags& f, const Scenario& sc, PlanSetup& setup, YAML::Node& plan_node) {
  YAML::Node provisional = YAML::Clone(plan_node);
  provisional["gpus"] = static_cast<long long>(limits::gpus.max);
  ParallelPlan plan;
  TrainingJob job;
  parse_plan(FieldReader(provisional, "command line", "plan"), plan, job);
  const SlurmCluster cluster = load_slurm_cluster_for(f.slurm, job, sc.gpu, setup.overrides);
  const long long gpus = static_cast<long long>(cluster.nodes) * job.gpus_per_node;
  if (gpus > static_cast<long long>(limits::gpus.max))
    throw InputError("--slurm " + f.slurm, "Nodes", "its " + std::to_string(cluster.nodes) + " nodes hold " + std::to_string(gpus) +
                                                        " GPUs, more than a job may have (" + range_text(limits::gpus) + "); give --gpus");
  plan_node["gpus"] = gpus;
  setup.note = "--gpus not given: " + std::to_string(gpus) + " GPUs, the " + std::to_string(cluster.nodes) + " nodes of " + f.slurm +
               " x " + std::to_string(job.gpus_per_node) + " GPUs per node";
  return cluster;
}
}  // namespace

void print_setup_note(const PlanSetup& setup, const char* command, std::ostream& err) {
  if (!setup.note.empty()) err << "trainplan " << command << ": note: " << setup.note << "\n";
}

PlanSetup build_plan_setup(const PlanFlags& f, bool allow_unreachable_fabric) {
  PlanSetup setup;
  if (!f.framework_resolved && framework_names_given(f))
    throw std::logic_error("build_plan_setup: resolve_framework_names was not called");
  // ---- Megatron-LM / NeMo names: their model fields first, so --set model.* wins over them ----
  setup.overrides = f.framework_model_fields;
  for (const auto& text : f.sets) setup.overrides.push_back(parse_override(text));
  for (const auto& o : setup.overrides) {
    if (o.scope != "model" && o.scope != "gpu" && o.scope != "plan" && o.scope != "fabric" && o.scope != "economics" &&
        o.scope != "calibration")
      throw InputError("--set " + o.text, o.scope, "unknown scope (expected model, gpu, plan, fabric, economics or calibration)");
  }
  Scenario& sc = setup.scenario;
  sc.model = load_plan_model(f, setup.overrides);  // ---- Megatron-LM / NeMo names: --model or the imported model ----
  sc.gpu = load_gpu(f.gpu, setup.overrides);

  // The plan flags become one mapping, so --set plan.x and --x are checked by the same code.
  YAML::Node plan_node(YAML::NodeType::Map);
  for (const auto& [key, value] : f.plan_values)
    if (!value.empty()) plan_node[key] = value;
  for (const auto& o : setup.overrides)
    if (o.scope == "plan") apply_override(plan_node, o);
  // ---- --slurm topology.conf: the cluster's own fabric; without --gpus, all its nodes ----
  if (!f.slurm.empty() && !f.topology.empty())
    throw InputError("command line", "--slurm", "give either --topology or --slurm (a Slurm topology.conf), not both");
  std::optional<SlurmCluster> cluster;  // read once
  if (!f.slurm.empty() && !plan_node["gpus"].IsDefined()) cluster = default_gpus_from_slurm(f, sc, setup, plan_node);
  // ---- sequence length: the model's training_seq_len when --seq-len is not given, said in a note ----
  if (!plan_node["seq_len"].IsDefined()) {
    if (sc.model.training_seq_len > 0) {
      plan_node["seq_len"] = std::to_string(sc.model.training_seq_len);
      add_cli_note("--seq-len not given: " + std::to_string(sc.model.training_seq_len) + "-token sequences, the length " +
                   sc.model.name + " was pre-trained with (its model file's training_seq_len)");
    } else {
      add_cli_note("--seq-len not given: " + std::to_string(ParallelPlan{}.seq_len) + "-token sequences, the default (" +
                   sc.model.name + "'s model file gives no training_seq_len)");
    }
  }
  // ---- GPUs per node when --gpus-per-node is not given: a --topology file's NVLink domain, else the
  // GPU file's (GB200: an NVL72 rack) on the default fabric, else 8; said in a note when not 8 ----
  std::optional<Fabric> topology_fabric;  // the --topology file, when read here: read once
  if (f.slurm.empty() && !plan_node["gpus_per_node"].IsDefined()) {
    int domain = 0;
    std::string whose;
    if (!f.topology.empty()) {
      topology_fabric = load_topology(f.topology, setup.overrides);
      domain = topology_fabric->scale_up.gpus;
      if (!limits::is_domain_size(domain))  // the job's node would be refused: name where it came from
        throw InputError("--topology " + f.topology, "scale_up.gpus",
                         "a domain of 1, 2 or a multiple of 4 GPUs (the job's --gpus-per-node when that flag is not given), got " +
                             std::to_string(domain));
      whose = "the NVLink domain of --topology " + f.topology;
    } else if (sc.gpu.nvlink_domain_gpus > 0) {
      domain = sc.gpu.nvlink_domain_gpus;
      whose = "the NVLink domain " + sc.gpu.name + " is built into (its file's nvlink_domain_gpus), on the default fabric's "
              "scale-out (--topology gives the racks' own)";
    }
    if (domain > 0) {
      plan_node["gpus_per_node"] = std::to_string(domain);
      if (domain != TrainingJob{}.gpus_per_node)
        add_cli_note("--gpus-per-node not given: " + std::to_string(domain) + ", " + whose);
    }
  }
  if (!plan_node["gpus"].IsDefined()) throw InputError("command line", "--gpus", "missing: how many GPUs does the job use?");
  if (!plan_node["global_batch"].IsDefined() && !plan_node["global_batch_tokens"].IsDefined())
    throw InputError("command line", "--global-batch", "missing: give --global-batch (sequences) or --global-batch-tokens");
  try {
    parse_plan_naming_origins(FieldReader(plan_node, "command line", "plan"), setup.plan, sc.job, f.plan_value_origins);
  } catch (const InputError& e) {  // ---- name the flag or --set typed, not the internal key ----
    throw name_typed_plan_option(e, "command line", f.plan_values, setup.overrides);
  }
  // ---- token batch: say how a token batch was read and rounded (planner/io/token_batch.hpp) ----
  if (plan_node["global_batch_tokens"].IsDefined() && plan_node["global_batch_tokens"].IsScalar()) {
    const std::string text = plan_node["global_batch_tokens"].Scalar();
    const std::string what = f.given("global_batch_tokens") == text ? "--global-batch-tokens" : "plan.global_batch_tokens";
    if (const auto tokens = parse_token_batch(text)) add_cli_note(token_batch_note(what, text, *tokens, setup.plan.seq_len));
  }

  if (!f.slurm.empty()) {  // ---- --slurm ----
    if (!cluster) cluster = load_slurm_cluster_for(f.slurm, sc.job, sc.gpu, setup.overrides);
    check_job_fits_slurm(*cluster, f.slurm, sc.job, allow_unreachable_fabric);
    sc.fabric = cluster->fabric;
  } else {
    sc.fabric = topology_fabric ? fabric_for_job(std::move(*topology_fabric), f.topology, sc.job, sc.gpu, setup.overrides,
                                                 allow_unreachable_fabric)
                                : load_fabric_for(f.topology, sc.job, sc.gpu, setup.overrides, allow_unreachable_fabric);
  }
  for (const auto& path : f.probes)
    if (path.empty()) throw InputError("command line", "--probes", "expected probe result files");
  sc.profile = load_profile_for(sc.gpu, f.probes);
  sc.calibration = load_calibration(setup.overrides);
  if (f.framework_warning && !f.framework_warning->empty() && f.warning_stream) {  // ---- Megatron-LM / NeMo names ----
    *f.warning_stream << *f.framework_warning;
    f.framework_warning->clear();
  }
  return setup;
}

RunEconomics plan_economics(const Scenario& scenario, const PlanResult& result, const EconomicsModel& model) {
  const FabricSize size = size_fabric(scenario.fabric, scenario.job.gpus);
  const NetworkCounts counts{static_cast<double>(size.total_switches), static_cast<double>(size.total_cables),
                             static_cast<double>(size.nics), network_tiers_of(scenario.fabric, size)};  // ---- network capital by tier ----
  // Every command shows its plans through here: the last check on their figures.
  check_result_figures(scenario, result);
  RunEconomics economics = evaluate_run_economics(scenario, result, counts, model);
  check_economics_figures(scenario, result, economics, model);
  return economics;
}

}  // namespace trainplan
