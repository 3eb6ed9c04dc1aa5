// Training schedules and batch laws: bundled data or YAML files, every field checked.
#include "schedule_loader.hpp"

#include <chrono>
#include <cstdio>
#include <regex>

#include "description_loader.hpp"
#include "bundled_tree.hpp"  // ---- start-up: the tree parsed at build time ----
#include "embedded_data.hpp"
#include "input_error.hpp"
#include "input_limits.hpp"
#include "token_batch.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

constexpr const char* kBundledBatchLaws = "planner/data/batch_laws.yaml";

const YAML::Node& bundled_batch_laws() {
  static const YAML::Node document = [] {
    const auto laws = bundled_yaml(kBundledBatchLaws, kBundledBatchLaws);  // ---- start-up ----
    if (!laws) throw InputError(kBundledBatchLaws, "", "missing from the binary");
    return *laws;
  }();
  return document;
}

// A `{value, kind, source}` entry of the bundled laws.
double published_value(const FieldReader& law, const std::string& key) {
  const FieldReader entry = law.child(key);
  entry.reject_unknown_keys({"value", "kind", "source"});
  entry.get_choice("kind", {"published", "measured", "assumption"});
  entry.get_string("source");
  return entry.get_double("value");
}

}  // namespace

std::optional<std::int64_t> parse_iso_date(const std::string& text) {
  static const std::regex pattern(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  using namespace std::chrono;
  const year_month_day date{year{std::stoi(m[1])}, month{static_cast<unsigned>(std::stoi(m[2]))},
                            day{static_cast<unsigned>(std::stoi(m[3]))}};
  if (!date.ok()) return std::nullopt;
  return sys_days(date).time_since_epoch().count();
}

std::string format_iso_date(std::int64_t days_since_epoch) {
  using namespace std::chrono;
  const year_month_day date{sys_days{days{days_since_epoch}}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buffer;
}

LoadedBatchLaw load_batch_law(const std::string& name, double critical_batch_tokens, const std::string& source,
                              const std::string& field) {
  const FieldReader top(bundled_batch_laws(), kBundledBatchLaws);
  const FieldReader laws = top.child("laws");
  if (!laws.has(name)) {
    std::string names;
    for (const auto& entry : laws.node()) names += (names.empty() ? "" : " | ") + entry.first.as<std::string>();
    throw InputError(source, field, "expected one of " + names + ", got '" + name + "'");
  }
  const FieldReader law = laws.child(name);
  LoadedBatchLaw loaded;
  loaded.name = name;
  loaded.source = law.get_string("source");
  if (name == "off") {
    loaded.law.kind = BatchLawKind::off;
  } else if (name == "mccandlish") {
    loaded.law.kind = BatchLawKind::mccandlish;
    if (!(critical_batch_tokens > 0))
      throw InputError(source, field, "the mccandlish law needs critical_batch_tokens (the critical batch in tokens, e.g. 60M)");
    loaded.law.critical_batch_tokens = critical_batch_tokens;
    loaded.source += "; B_crit " + std::to_string(static_cast<long long>(critical_batch_tokens)) + " tokens set by " + source;
  } else if (name == "deepseek-llm") {
    loaded.law.kind = BatchLawKind::deepseek_llm;
    loaded.law.coefficient = published_value(law, "coefficient");
    loaded.law.exponent = published_value(law, "exponent");
  } else {
    throw InputError(kBundledBatchLaws, "laws." + name, "a law this planner does not implement");
  }
  if (critical_batch_tokens > 0 && name != "mccandlish")
    throw InputError(source, "critical_batch_tokens", "only the mccandlish law takes a fixed critical batch (the law is " + name + ")");
  return loaded;
}

namespace {

// critical_batch_tokens is a token batch: read by the token-batch rule (planner/io/token_batch.hpp,
// K/M/G/T count powers of 1024, so 16M = 16,777,216 as in Llama 3's "16M tokens"). It is a constant
// of the batch law, not a batch that runs, so it is not rounded to whole sequences.
double critical_batch_tokens_of(const FieldReader& top) {
  const YAML::Node value = top.node()["critical_batch_tokens"];
  const std::string text = value.IsScalar() ? value.Scalar() : "";
  const auto tokens = parse_token_batch(text);
  if (!tokens || !(*tokens >= limits::global_batch_tokens.min && *tokens <= limits::global_batch_tokens.max))
    top.fail("critical_batch_tokens", "expected " + range_text(limits::global_batch_tokens) +
                                          " tokens (in a token batch K, M, G, T count powers of 1024: 16M = 16,777,216), got '" +
                                          text + "'");
  return *tokens;
}

}  // namespace

LoadedSchedule load_schedule(const std::string& name_or_path) {
  const Document document = load_document(name_or_path, bundled_schedules_folder, "schedule");
  return parse_schedule(document.node, document.source);
}

LoadedSchedule parse_schedule(const YAML::Node& node, const std::string& source) {
  const FieldReader top(node, source);
  top.reject_unknown_keys({"name", "description", "sources", "phases", "batch_ramp", "granularity_gpus", "elastic_shrink",
                           "batch_law", "critical_batch_tokens", "reference_global_batch"});
  LoadedSchedule s;
  s.source = source;
  s.name = top.get_string("name");
  top.get_string("description", "");
  if (top.has("sources")) {
    const YAML::Node list = top.node()["sources"];
    if (!list.IsSequence()) top.fail("sources", "expected a list of publications (strings)");
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!list[i].IsScalar()) top.fail("sources[" + std::to_string(i) + "]", "expected a string");
  }
  TrainingSchedule& schedule = s.schedule;
  schedule.granularity_gpus = top.get_int("granularity_gpus", Range{0, limits::gpus.max}, 0);
  schedule.elastic_shrink = top.get_number("elastic_shrink", Range{0, 1}, 0);
  if (schedule.elastic_shrink >= 1) top.fail("elastic_shrink", "expected a fraction >= 0 and below 1");
  s.reference_global_batch = top.get_whole("reference_global_batch", Range{1, limits::global_batch_tokens.max}, 0);

  const YAML::Node phases = top.node()["phases"];
  if (!phases.IsDefined() || !phases.IsSequence() || phases.size() == 0)
    top.fail("phases", "expected a list of arrival phases ({date, gpus, spare_gpus, segment})");
  if (phases.size() > limits::max_schedule_phases)
    top.fail("phases", "expected at most " + std::to_string(limits::max_schedule_phases) + " phases, got " + std::to_string(phases.size()));
  for (std::size_t i = 0; i < phases.size(); ++i) {
    const std::string path = "phases[" + std::to_string(i) + "]";
    if (!phases[i].IsMap()) throw InputError(source, path, "expected a mapping {date, gpus, spare_gpus, segment}");
    const FieldReader p(phases[i], source, path);
    p.reject_unknown_keys({"date", "gpus", "spare_gpus", "segment", "source"});
    const std::string date_text = p.get_string("date");
    const auto date = parse_iso_date(date_text);
    if (!date) p.fail("date", "expected an ISO date YYYY-MM-DD, got '" + date_text + "'");
    if (i == 0) s.start_date = *date;
    ArrivalPhase phase;
    const std::int64_t day = *date - s.start_date;
    if (i > 0 && day <= schedule.phases.back().day)
      p.fail("date", "expected a date after the previous phase's (" + format_iso_date(s.start_date + schedule.phases.back().day) + ")");
    if (day > 100000) p.fail("date", "more than 100,000 days after the first phase");
    phase.day = static_cast<int>(day);
    const std::int64_t gpus = p.get_whole("gpus", limits::gpus);
    phase.gpus = static_cast<int>(gpus);
    const std::int64_t spares = p.get_whole("spare_gpus", Range{0, limits::gpus.max}, 0);
    if (spares >= gpus) p.fail("spare_gpus", "expected fewer spares than the phase's GPUs (" + std::to_string(gpus) + ")");
    phase.spare_gpus = static_cast<int>(spares);
    phase.segment = p.get_string("segment", "phase " + std::to_string(i + 1));
    p.get_string("source", "");
    schedule.phases.push_back(phase);
  }

  if (top.has("batch_ramp")) {
    const YAML::Node ramp = top.node()["batch_ramp"];
    if (!ramp.IsSequence() || ramp.size() == 0) top.fail("batch_ramp", "expected a list of stages ({from_tokens, global_batch})");
    if (ramp.size() > limits::max_batch_ramp_stages)
      top.fail("batch_ramp", "expected at most " + std::to_string(limits::max_batch_ramp_stages) + " stages, got " + std::to_string(ramp.size()));
    for (std::size_t i = 0; i < ramp.size(); ++i) {
      const std::string path = "batch_ramp[" + std::to_string(i) + "]";
      if (!ramp[i].IsMap()) throw InputError(source, path, "expected a mapping {from_tokens, global_batch}");
      const FieldReader r(ramp[i], source, path);
      r.reject_unknown_keys({"from_tokens", "global_batch"});
      BatchStage stage;
      stage.from_tokens = r.get_number("from_tokens", limits::training_tokens, i == 0 ? 0.0 : -1.0);
      if (stage.from_tokens < 0) r.fail("from_tokens", "missing (required after the first stage)");
      if (i == 0 && stage.from_tokens != 0) r.fail("from_tokens", "expected 0 for the first stage (the ramp starts with the run)");
      if (i > 0 && stage.from_tokens <= schedule.batch_ramp.back().from_tokens)
        r.fail("from_tokens", "expected more tokens than the previous stage's");
      stage.global_batch = r.get_whole("global_batch", Range{1, limits::global_batch_tokens.max});
      schedule.batch_ramp.push_back(stage);
    }
    s.ramp_given = true;
  }

  const std::string default_law = FieldReader(bundled_batch_laws(), kBundledBatchLaws).get_string("default");
  const std::string law_name = top.get_string("batch_law", default_law);
  const double critical = top.has("critical_batch_tokens") ? critical_batch_tokens_of(top) : 0.0;
  s.batch_law = load_batch_law(law_name, critical, source, "batch_law");
  return s;
}

}  // namespace trainplan
