#pragma once
// Every plan and job option, once: its key (YAML, --set plan.KEY, JSON, CSV), the field it sets,
// its kind, its default, its help and its command-line flag. The plan loader, the JSON and CSV
// writers and the CLI flags all read this table; adding an option is one row here, the code that
// uses the field, and docs (docs/cli.md). tests/io/plan_option_table_test.cpp checks that every row
// round-trips through YAML, --set, its flag, JSON and CSV.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "planner/core/parallel_plan.hpp"

namespace trainplan {

class FieldReader;

enum class OptionKind {
  positive_count,  // a whole number >= 1 (suffixes: 16M, 15.6T)
  whole_or_zero,   // a whole number >= 0
  number,          // a number >= 0
  boolean,         // true | false
  choice,          // one of `choices`
};

struct PlanOption {
  const char* key;
  const char* flag;           // "--FLAG" without the dashes; "" when only --set plan.KEY sets it
  OptionKind kind;
  std::vector<const char*> choices;  // kind choice: the accepted words
  const char* default_text;   // for help and docs ("1", "gpus / (tp*pp*cp)")
  const char* help;
  const char* example;        // a valid value other than the default (docs, tests)
  bool job = false;           // a TrainingJob field (gpus, gpus_per_node, tokens); otherwise the plan's
  // The value as evaluated (expert_tp resolved to the attention's tp when 0). Null for an option
  // that is input only: `written_as` names the option the writers give instead.
  nlohmann::json (*get)(const ParallelPlan&, const TrainingJob&) = nullptr;
  // Sets the field from a value of the option's kind (read and checked by read_plan_options).
  void (*set)(const nlohmann::json&, ParallelPlan&, TrainingJob&) = nullptr;
  const char* written_as = "";
  // How search, size and sweep treat the option when its flag is not given: the space they search
  // ("divisors of the layers ..."), or "" when it stays at its default (docs/search.md).
  const char* searched = "";
  // Kind choice: a check for words beyond `choices` (which then list the common ones), for options
  // whose accepted words are a rule rather than a list (rank_order: any order of the dimensions).
  // Returns "" for a word it accepts, otherwise what was expected (the error's text after the key).
  std::string (*accepts)(const std::string& word) = nullptr;

  bool written() const { return get != nullptr; }
  bool has_flag() const { return flag[0] != '\0'; }
};

// The table, in the order of the CSV columns.
const std::vector<PlanOption>& plan_option_table();
const PlanOption* find_plan_option(const std::string& key);

// Reads every option present in the mapping `fields` into plan/job (unknown keys are errors), then
// the rules between options (global_batch or global_batch_tokens, recompute_layers with full
// recomputation). InputError naming the field on bad input.
void read_plan_options(const FieldReader& fields, ParallelPlan& plan, TrainingJob& job);

// The written options as JSON: the plan's (`job` false) or the job's.
nlohmann::json plan_options_json(const ParallelPlan& plan, const TrainingJob& job, bool job_options);
// One option's value as a CSV/table cell: numbers as JSON writes them, true/false, words as they are.
std::string option_cell(const nlohmann::json& value);

}  // namespace trainplan

// ---- Megatron-LM and NeMo / Megatron-Bridge names (docs/formats.md "Megatron-LM and NeMo names") ----
namespace trainplan {

// How a framework setting's value becomes the trainplan value.
enum class FrameworkValue {
  same,   // the value as given (a count, a number)
  words,  // one of `words` (for a switch: "true" / "false", as a NeMo YAML boolean gives them)
};

// One Megatron-LM argument (`--megatron`) or NeMo / Megatron-Bridge config key (`nemo`) that means
// the same as a trainplan plan option (target "plan.KEY", KEY a row of plan_option_table) or a
// model field (target "model.PATH", docs/formats.md "Model"). A Megatron switch (no value) gives
// "true". The `--megatron` names are also flags of plan/search/size/sweep/compare/report.
struct FrameworkName {
  const char* megatron;  // without "--"; "" when only NeMo names it this way
  const char* nemo;      // "" when only Megatron-LM names it this way
  const char* target;    // "plan.tp", "model.moe.top_k", or "plan.layers_per_virtual_stage" (vp = layers / (pp * it))
  FrameworkValue value;
  std::vector<std::pair<const char*, const char*>> words;  // value words -> trainplan value ("" = no change)
  bool megatron_switch;  // the Megatron-LM argument takes no value
};

const std::vector<FrameworkName>& framework_names();
const FrameworkName* find_megatron_name(const std::string& name);  // "tensor-model-parallel-size"
const FrameworkName* find_nemo_name(const std::string& key);        // "tensor_model_parallel_size"

}  // namespace trainplan
