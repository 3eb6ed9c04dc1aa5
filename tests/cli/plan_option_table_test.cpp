// Every row of the plan option table round-trips: YAML, --set plan.KEY, its flag, the JSON writer
// and the CSV writer all carry the same value to the same field.
#include "planner/io/plan_option_table.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "planner/cli/plan_options.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
#include "planner/io/plan_row.hpp"
#include "planner/io/row_writer.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {
namespace {

struct Parsed {
  ParallelPlan plan;
  TrainingJob job;
};

Parsed parse(const YAML::Node& node) {
  Parsed p;
  parse_plan(FieldReader(node, "test", "plan"), p.plan, p.job);
  return p;
}

// Every written option at its example value (input-only options are left to their own test).
YAML::Node every_example(const std::string& skip = "") {
  YAML::Node node(YAML::NodeType::Map);
  for (const PlanOption& o : plan_option_table())
    if (o.written() && o.key != skip) node[o.key] = o.example;
  return node;
}

void expect_same_options(const Parsed& a, const Parsed& b, const std::string& how) {
  for (const PlanOption& o : plan_option_table())
    if (o.written()) {
      EXPECT_EQ(o.get(a.plan, a.job), o.get(b.plan, b.job)) << o.key << " through " << how;
    }
}

TEST(PlanOptionTable, EveryOptionHasAKindAHelpAndAnExampleThatChangesItsField) {
  const Parsed all = parse(every_example());
  for (const PlanOption& o : plan_option_table()) {
    EXPECT_NE(std::string(o.help), "") << o.key;
    EXPECT_NE(std::string(o.default_text), "") << o.key;
    if (o.kind == OptionKind::choice) {
      EXPECT_GE(o.choices.size(), 2u) << o.key;
    }
    if (!o.written()) {
      EXPECT_NE(find_plan_option(o.written_as), nullptr) << o.key << " is written as an option of the table";
      continue;
    }
    EXPECT_TRUE(o.set != nullptr) << o.key;
    // Without the option the plan differs, or is refused by a rule that needs it (recompute_layers
    // needs recompute: full).
    try {
      const Parsed without = parse(every_example(o.key));
      EXPECT_NE(o.get(all.plan, all.job), o.get(without.plan, without.job)) << o.key << "'s example is its default";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(o.key), std::string::npos) << o.key << ": " << e.what();
    }
  }
}

TEST(PlanOptionTable, KeysAndFlagsAreUnique) {
  const auto& table = plan_option_table();
  for (std::size_t i = 0; i < table.size(); ++i)
    for (std::size_t k = i + 1; k < table.size(); ++k) {
      EXPECT_NE(std::string(table[i].key), table[k].key);
      if (table[i].has_flag()) {
        EXPECT_NE(std::string(table[i].flag), table[k].flag);
      }
    }
}

TEST(PlanOptionTable, EveryOptionRoundTripsThroughTheJsonWriter) {
  const Parsed original = parse(every_example());
  nlohmann::json written = plan_options_json(original.plan, original.job, false);
  written.update(plan_options_json(original.plan, original.job, true));
  for (const PlanOption& o : plan_option_table())
    if (o.written()) {
      EXPECT_TRUE(written.contains(o.key)) << o.key;
    }
  expect_same_options(original, parse(parse_yaml_text(written.dump(2), "written JSON")), "JSON");
}

TEST(PlanOptionTable, EveryOptionRoundTripsThroughItsCells) {
  // The CSV and table cells of an option read back as YAML scalars.
  const Parsed original = parse(every_example());
  YAML::Node cells(YAML::NodeType::Map);
  for (const PlanOption& o : plan_option_table())
    if (o.written()) cells[o.key] = option_cell(o.get(original.plan, original.job));
  expect_same_options(original, parse(cells), "cells");
}

std::vector<std::string> csv_line(std::istream& in) {
  std::string line, cell;
  std::getline(in, line);
  std::vector<std::string> cells;
  std::istringstream cut(line);
  while (std::getline(cut, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

TEST(PlanOptionTable, EveryPlanOptionRoundTripsThroughThePlanRowCsv) {
  // The plan row (plan, search, size, sweep and compare CSV) carries the plan's options; the job's
  // (gpus, gpus_per_node, tokens, memory_headroom_gib) are the command's own columns or the JSON's job object.
  const Parsed original = parse(every_example());
  PlanResult result;
  result.valid = true;
  result.plan = original.plan;
  std::ostringstream csv;
  write_rows({plan_csv_header(false), plan_csv_cells(result, nullptr)}, true, csv);
  std::istringstream in(csv.str());
  const std::vector<std::string> header = csv_line(in), row = csv_line(in);
  ASSERT_EQ(header.size(), row.size());
  YAML::Node read(YAML::NodeType::Map);
  for (const PlanOption& o : plan_option_table())
    if (o.written() && o.job) read[o.key] = option_cell(o.get(original.plan, original.job));
  for (std::size_t i = 0; i < header.size(); ++i)
    if (const PlanOption* o = find_plan_option(header[i])) read[o->key] = row[i];
  for (const PlanOption& o : plan_option_table())
    if (o.written() && !o.job) {
      EXPECT_TRUE(read[o.key].IsDefined()) << o.key << " has no CSV column";
    }
  expect_same_options(original, parse(read), "CSV");
}

PlanSetup setup_from(std::vector<std::string> args) {
  PlanFlags flags;
  boost::program_options::options_description options;
  add_scenario_options(options, flags);
  add_layout_options(options, flags);
  std::ostringstream help;
  EXPECT_TRUE(parse_command_line(args, options, "", help, "plan"));
  return build_plan_setup(flags);
}

TEST(PlanOptionTable, EveryOptionRoundTripsThroughSetAndThroughItsFlag) {
  const Parsed original = parse(every_example());
  std::vector<std::string> sets, flags;
  for (const PlanOption& o : plan_option_table()) {
    if (!o.written()) continue;
    sets.push_back("--set");
    sets.push_back(std::string("plan.") + o.key + "=" + o.example);
    if (!o.has_flag()) {
      flags.push_back("--set");
      flags.push_back(std::string("plan.") + o.key + "=" + o.example);
    } else if (o.kind == OptionKind::boolean) {
      ASSERT_EQ(std::string(o.example), "true") << o.key << ": a flag can only switch a boolean on";
      flags.push_back(std::string("--") + o.flag);
    } else {
      flags.push_back(std::string("--") + o.flag);
      flags.push_back(o.example);
    }
  }
  const PlanSetup by_set = setup_from(sets);
  expect_same_options(original, {by_set.plan, by_set.scenario.job}, "--set");
  const PlanSetup by_flag = setup_from(flags);
  expect_same_options(original, {by_flag.plan, by_flag.scenario.job}, "flags");
}

TEST(PlanOptionTable, APlanReportInJsonReadsBackAsThePlanItReports) {
  // The report's settings and job objects, laid together, are a plan mapping.
  std::vector<std::string> sets;
  for (const PlanOption& o : plan_option_table())
    if (o.written()) {
      sets.push_back("--set");
      sets.push_back(std::string("plan.") + o.key + "=" + o.example);
    }
  const PlanSetup setup = setup_from(sets);
  const PlanResult result = evaluate(setup.scenario, setup.plan);
  std::ostringstream report;
  write_plan_report(setup.scenario, result, nullptr, ReportFormat::json, report);
  const nlohmann::json written = nlohmann::json::parse(report.str());
  nlohmann::json plan = written["settings"];
  plan.update(written["job"]);
  expect_same_options({result.plan, setup.scenario.job}, parse(parse_yaml_text(plan.dump(), "report JSON")), "the plan report");
}

TEST(PlanOptionTable, AnInputOnlyOptionReadsAsTheOptionItIsWrittenAs) {
  const Parsed original = parse(every_example());
  for (const PlanOption& o : plan_option_table()) {
    if (o.written()) continue;
    YAML::Node node = every_example(o.written_as);
    node[o.key] = o.example;
    expect_same_options(original, parse(node), o.key);
  }
}

TEST(PlanOptionTable, DocsFormatsNamesEveryOption) {
  std::ifstream file(std::string(TRAINPLAN_GOLDEN_DIR) + "/../../docs/formats.md");
  ASSERT_TRUE(file) << "docs/formats.md not found";
  const std::string docs((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const PlanOption& o : plan_option_table())
    EXPECT_NE(docs.find(std::string("`") + o.key + "`"), std::string::npos) << o.key << " is not in docs/formats.md";
}

TEST(PlanOptionTable, AnUnknownKeyIsAnErrorNamingItAndTheKnownOnes) {
  YAML::Node node(YAML::NodeType::Map);
  node["tpp"] = "2";
  try {
    parse(node);
    FAIL() << "an unknown key was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("plan.tpp"), std::string::npos) << what;
    EXPECT_NE(what.find("expected one of: gpus, "), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace trainplan
