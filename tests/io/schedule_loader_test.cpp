// Schedules and batch laws: the bundled example loads, dates are real dates, bad fields name themselves.
#include "planner/io/schedule_loader.hpp"

#include <gtest/gtest.h>

#include "planner/io/embedded_data.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

namespace {

// The message of the InputError that parsing `text` throws ("" if none).
std::string error_of(const std::string& text) {
  try {
    parse_schedule(parse_yaml_text(text, "s.yaml"), "s.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kPhases = "name: t\nphases:\n  - {date: 2026-01-05, gpus: 1024}\n";

}  // namespace

TEST(ScheduleLoader, IsoDatesRoundTripAndRejectImpossibleDays) {
  EXPECT_EQ(parse_iso_date("1970-01-01"), 0);
  EXPECT_EQ(parse_iso_date("2026-01-05"), 20458);
  EXPECT_EQ(format_iso_date(20458), "2026-01-05");
  EXPECT_EQ(format_iso_date(*parse_iso_date("2028-02-29")), "2028-02-29");
  EXPECT_FALSE(parse_iso_date("2026-02-29"));
  EXPECT_FALSE(parse_iso_date("2026-13-01"));
  EXPECT_FALSE(parse_iso_date("5 Jan 2026"));
}

TEST(ScheduleLoader, BundledExampleLoadsWithItsPhasesRampAndLaw) {
  const LoadedSchedule s = load_schedule("gpt5-buildout-schedule");
  EXPECT_EQ(s.name, "gpt5-buildout");
  EXPECT_EQ(format_iso_date(s.start_date), "2026-01-05");
  ASSERT_EQ(s.schedule.phases.size(), 3u);
  EXPECT_EQ(s.schedule.phases[1].day, 21);
  EXPECT_EQ(s.schedule.granularity_gpus, 1024);
  EXPECT_EQ(usable_gpus(s.schedule, 0), 12288);
  EXPECT_EQ(usable_gpus(s.schedule, 1), 24576);
  EXPECT_EQ(usable_gpus(s.schedule, 2), 49152);
  ASSERT_EQ(s.schedule.batch_ramp.size(), 2u);
  EXPECT_EQ(s.schedule.batch_ramp[1].from_tokens, 469e9);
  EXPECT_TRUE(s.ramp_given);
  EXPECT_EQ(s.batch_law.law.kind, BatchLawKind::deepseek_llm);
  EXPECT_DOUBLE_EQ(s.batch_law.law.coefficient, 0.2920);
  EXPECT_DOUBLE_EQ(s.batch_law.law.exponent, 0.3271);
  EXPECT_NE(s.batch_law.source.find("arXiv:2401.02954"), std::string::npos);
  // Bundled schedules are named *schedule*.
  for (const std::string& name : embedded_names(bundled_schedules_folder, ".yaml"))
    EXPECT_NE(name.find("schedule"), std::string::npos) << name;
}

TEST(ScheduleLoader, LawsByNameAndTheirRequiredFields) {
  EXPECT_EQ(parse_schedule(parse_yaml_text(kPhases + "batch_law: off\n", "s"), "s").batch_law.law.kind, BatchLawKind::off);
  const LoadedSchedule m = parse_schedule(parse_yaml_text(kPhases + "batch_law: mccandlish\ncritical_batch_tokens: 60M\n", "s"), "s");
  EXPECT_EQ(m.batch_law.law.kind, BatchLawKind::mccandlish);
  // A token batch, read as --global-batch-tokens is: K/M/G/T count powers of 1024 (60M = 62,914,560).
  EXPECT_EQ(m.batch_law.law.critical_batch_tokens, 60.0 * 1024 * 1024);
  const LoadedSchedule digits = parse_schedule(parse_yaml_text(kPhases + "batch_law: mccandlish\ncritical_batch_tokens: 16e6\n", "s"), "s");
  EXPECT_EQ(digits.batch_law.law.critical_batch_tokens, 16e6);  // digits and exponents as written
  EXPECT_NE(error_of(kPhases + "batch_law: mccandlish\ncritical_batch_tokens: lots\n").find("s.yaml: critical_batch_tokens: expected"),
            std::string::npos);
  EXPECT_NE(error_of(kPhases + "batch_law: mccandlish\n").find("needs critical_batch_tokens"), std::string::npos);
  EXPECT_NE(error_of(kPhases + "critical_batch_tokens: 60M\n").find("only the mccandlish law"), std::string::npos);
  EXPECT_NE(error_of(kPhases + "batch_law: kaplan\n").find("s.yaml: batch_law: expected one of"), std::string::npos);
}

TEST(ScheduleLoader, BadFieldsNameTheFileTheFieldAndWhatWasExpected) {
  EXPECT_EQ(error_of(kPhases), "");
  EXPECT_NE(error_of("name: t\n").find("s.yaml: phases: expected a list"), std::string::npos);
  EXPECT_NE(error_of("name: t\nphases:\n  - {date: 2026-02-30, gpus: 8}\n").find("phases[0].date: expected an ISO date"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nphases:\n  - {date: 2026-02-01, gpus: 8}\n  - {date: 2026-01-01, gpus: 8}\n")
                .find("phases[1].date: expected a date after the previous phase's (2026-02-01)"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nphases:\n  - {date: 2026-02-01, gpus: 8, spare_gpus: 8}\n").find("phases[0].spare_gpus"),
            std::string::npos);
  EXPECT_NE(error_of("name: t\nphases:\n  - {date: 2026-02-01, gpus: -8}\n").find("phases[0].gpus"), std::string::npos);
  EXPECT_NE(error_of(kPhases + "phase_length: 3\n").find("s.yaml: phase_length: unknown key"), std::string::npos);
  EXPECT_NE(error_of(kPhases + "batch_ramp:\n  - {from_tokens: 1B, global_batch: 8}\n").find("batch_ramp[0].from_tokens: expected 0"),
            std::string::npos);
  EXPECT_NE(error_of(kPhases + "batch_ramp:\n  - {global_batch: 8}\n  - {from_tokens: 0, global_batch: 16}\n")
                .find("batch_ramp[1].from_tokens: expected more tokens"),
            std::string::npos);
  EXPECT_NE(error_of(kPhases + "batch_ramp:\n  - {global_batch: 8}\n  - {global_batch: 16}\n").find("batch_ramp[1].from_tokens: missing"),
            std::string::npos);
  EXPECT_NE(error_of(kPhases + "elastic_shrink: 1\n").find("elastic_shrink: expected a fraction"), std::string::npos);
  EXPECT_THROW(load_schedule("no-such-schedule"), InputError);
}

}  // namespace trainplan
