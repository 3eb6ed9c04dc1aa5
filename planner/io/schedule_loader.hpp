#pragma once
// Loads a training schedule (docs/formats.md, "Schedule"): GPU arrival phases with dates, a batch
// ramp, spares, the elastic shrink and the batch law; a bundled name (planner/data/schedules/) or a
// YAML file. Every field is checked; errors name the file and the field. Also the bundled batch laws
// (planner/data/batch_laws.yaml) and ISO dates.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>

#include "planner/core/calendar/batch_efficiency.hpp"
#include "planner/core/calendar/training_schedule.hpp"

namespace trainplan {

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (a real calendar date), or nullopt.
std::optional<std::int64_t> parse_iso_date(const std::string& text);
std::string format_iso_date(std::int64_t days_since_epoch);

struct LoadedBatchLaw {
  BatchLaw law;
  std::string name;     // off | mccandlish | deepseek-llm
  std::string source;   // the publication of the law (and of B_crit when the user set it)
};

// A bundled law by name; `critical_batch_tokens` (> 0) sets mccandlish's B_crit, which that law
// requires. `source`/`field` name where the choice was made, for errors.
LoadedBatchLaw load_batch_law(const std::string& name, double critical_batch_tokens, const std::string& source,
                              const std::string& field);

struct LoadedSchedule {
  std::string name;
  std::string source;                  // the file or "preset NAME"
  std::int64_t start_date = 0;         // days since 1970-01-01 of the first phase
  TrainingSchedule schedule;           // phase days counted from start_date
  bool ramp_given = false;             // false: the command's global batch throughout
  std::int64_t reference_global_batch = 0;  // 0: the command's global batch
  LoadedBatchLaw batch_law;
};

// Where the bundled schedules live (compiled into the binary).
inline constexpr const char* bundled_schedules_folder = "planner/data/schedules/";

// `name_or_path`: a YAML file, or the name of a bundled schedule. InputError on bad input.
LoadedSchedule load_schedule(const std::string& name_or_path);
LoadedSchedule parse_schedule(const YAML::Node& document, const std::string& source);

}  // namespace trainplan
