// trainplan validate: the model against published training runs, with the error it finds.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "planner/core/economics/band_coverage.hpp"
#include <ostream>

#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
#include "planner/io/validation_loader.hpp"
#include "planner/io/yaml_fields.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json summary_json(const ValidationSummary& s) {
  return {{"cases", s.cases},
          {"mean_abs_error_pct", number_or_null(s.mean_abs_error_pct)},
          {"max_abs_error_pct", number_or_null(s.max_abs_error_pct)},
          {"worst_case", s.worst_case}};
}

std::string format_value(double v, ValidationMetric metric) {
  char buffer[64];
  if (!std::isfinite(v)) return "-";
  if (is_parameter_metric(metric))
    std::snprintf(buffer, sizeof buffer, "%.2fB", v / 1e9);
  else if (is_memory_metric(metric))
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", v);
  else
    std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

// Why the coverage says little, or empty: a band fitted on one other group has no between-group
// spread, so it is the scatter of one source's rows, not the band a new cluster would get; a row
// whose class has no other group has no band at all and counts as outside.
std::string coverage_caveat(const BandCoverage& coverage) {
  if (coverage.rows == 0 || coverage.fewest_other_groups() >= 2) return "";
  const std::string why =
      coverage.fewest_other_groups() == 0
          ? "some rows have no other group of their class to fit a band on (no band: they count as outside)"
          : "some bands were fitted on 1 other group of their class: no between-group spread to estimate";
  return why + ", so this coverage says little about a new cluster (the bundled validation set gives it with every band fitted "
               "on 2 or more groups)";
}

}  // namespace

int validate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  std::string format = "table";
  std::string file;
  bool calibration = false;
  po::options_description options("Options");
  options.add_options()
      ("format", po::value(&format)->default_value(format), "table | json | csv")
      ("cases", po::value(&file), "a validation file of the bundled format (default: the bundled set)")
      ("calibration", po::bool_switch(&calibration), "the bundled calibration set instead: the runs the one fitted constant "
                                                    "(sustained_kernel_fraction) was fit to, kept apart from the validation set");
  if (!parse_command_line(args, options,
                          "usage: trainplan validate [--format table|json|csv] [--cases FILE | --calibration]\n\n"
                          "Predicts published training runs from their configurations with one set of model constants\n"
                          "and prints the error for each, then per group the mean |error| and the speed bias (how much\n"
                          "faster the model is than the run: > 0 optimistic). A row whose plan the model finds too large\n"
                          "for memory says so. The bundled set is followed by published per-GPU memory peaks\n"
                          "(memory_per_gpu_gib rows), summarised on their own line. Exit status 0 whatever the errors are;\n"
                          "2 on bad input.",
                          out, "validate"))
    return 0;
  const ReportFormat report = parse_report_format(format);
  if (calibration && !file.empty())
    throw InputError("command line", "--calibration", "give --cases FILE or --calibration, not both");
  const ValidationSet set = calibration    ? bundled_calibration_set()
                            : file.empty() ? bundled_validation_set()
                                           : load_validation_set(read_text_file(file), file);

  std::vector<ValidationRow> rows;
  for (const auto& c : set.cases) rows.push_back(run_validation_case(c));
  const BandCoverage coverage = leave_one_group_out_coverage(set.cases, rows);  // how honest the p10..p90 band is
  // The bundled memory peaks follow the bundled validation set (timing means do not include them).
  if (!calibration && file.empty())
    for (const auto& c : bundled_memory_validation_set().cases) rows.push_back(run_validation_case(c));
  const ValidationSummary timing = summarize(rows, false);
  const ValidationSummary parameters = summarize(rows, true);
  const ValidationSummary memory = summarize_memory(rows);

  if (report == ReportFormat::json) {
    nlohmann::json j;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rows)
      j["rows"].push_back({{"case", r.group + "/" + r.name},
                           {"metric", to_string(r.metric)},
                           {"published", r.published},
                           {"predicted", number_or_null(r.predicted)},
                           {"error_pct", number_or_null(r.error_pct)},
                           {"speed_bias_pct", number_or_null(speed_bias_pct(r))},
                           {"problem", r.problem},
                           {"fits_in_memory", r.fits_in_memory},
                           {"memory_per_gpu_gib", is_parameter_metric(r.metric) ? nlohmann::json(nullptr) : nlohmann::json(r.memory_per_gpu_gib)},
                           {"settings", is_parameter_metric(r.metric) ? nlohmann::json(nullptr)
                                                                                  : plan_settings_json(r.plan)}});
    j["summary"] = summary_json(timing);
    j["parameter_summary"] = summary_json(parameters);
    j["memory_summary"] = summary_json(memory);
    j["groups"] = nlohmann::json::array();
    for (const GroupSummary& g : summarize_groups(rows))
      j["groups"].push_back({{"group", g.group},
                             {"cases", g.cases},
                             {"mean_abs_error_pct", number_or_null(g.mean_abs_error_pct)},
                             {"speed_bias_pct", number_or_null(g.mean_speed_bias_pct)}});
    nlohmann::json coverage_groups = nlohmann::json::array();
    for (const GroupCoverage& g : coverage.groups)
      coverage_groups.push_back({{"group", g.group}, {"moe", g.moe}, {"rows", g.rows}, {"inside", g.inside},
                                 {"band_low", g.other_groups > 0 ? nlohmann::json(g.band_low) : nlohmann::json(nullptr)},  // null: no band
                                 {"band_high", g.other_groups > 0 ? nlohmann::json(g.band_high) : nlohmann::json(nullptr)},
                                 {"groups_fitted", g.other_groups}});
    j["band_coverage"] = {{"method", "leave one group out: each row against the p10..p90 of the model error (with its between-group term) "
                                     "fitted on the other groups of its class"},
                          {"fewest_groups_fitted", coverage.fewest_other_groups()},
                          {"caveat", coverage_caveat(coverage)},
                          {"rows", coverage.rows},
                          {"inside", coverage.inside},
                          {"fraction", coverage.fraction()},
                          {"dense", {{"rows", coverage.dense_rows}, {"inside", coverage.dense_inside}}},
                          {"moe", {{"rows", coverage.moe_rows}, {"inside", coverage.moe_inside}}},
                          {"groups", coverage_groups}};
    out << j.dump(2) << "\n";
    return 0;
  }
  if (report == ReportFormat::csv) {
    out << "case,metric,published,predicted,error_pct,speed_bias_pct\n";
    for (const auto& r : rows)
      out << r.group << "/" << r.name << "," << to_string(r.metric) << "," << r.published << "," << r.predicted << ","
          << r.error_pct << "," << speed_bias_pct(r) << "\n";
    return 0;
  }
  char line[512];
  std::snprintf(line, sizeof line, "%-40s %-30s %10s %10s %8s  %s\n", "case", "metric", "published", "predicted", "error",
                "micro-batch/vp");
  out << line;
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%-40s %-30s %10s %10s %+7.1f%%", (r.group + "/" + r.name).c_str(), to_string(r.metric),
                  format_value(r.published, r.metric).c_str(), format_value(r.predicted, r.metric).c_str(), r.error_pct);
    out << line;
    if (is_timing_metric(r.metric) && r.problem.empty()) {
      out << "  " << r.plan.micro_batch << "/" << r.plan.vp;
      if (!r.fits_in_memory) {
        std::snprintf(line, sizeof line, "  (model: needs %.1f of %.0f GiB, does not fit)", r.memory_per_gpu_gib, r.memory_capacity_gib);
        out << line;
      }
    }
    out << (r.problem.empty() ? "" : "  (" + r.problem + ")") << "\n";
  }
  std::snprintf(line, sizeof line,
                "\ntiming rows: %d, mean |error| %.2f%%, max |error| %.2f%% (%s)\n"
                "parameter counts: %d, mean |error| %.2f%%, max |error| %.2f%%\n",
                timing.cases, timing.mean_abs_error_pct, timing.max_abs_error_pct, timing.worst_case.c_str(), parameters.cases,
                parameters.mean_abs_error_pct, parameters.max_abs_error_pct);
  out << line;
  if (memory.cases > 0) {
    std::snprintf(line, sizeof line,
                  "memory rows: %d, mean |error| %.2f%%, max |error| %.2f%% (%s)\n"
                  "(peak memory per GPU the run's allocator held, against the model's tensors without its fixed overhead)\n",
                  memory.cases, memory.mean_abs_error_pct, memory.max_abs_error_pct, memory.worst_case.c_str());
    out << line;
  }
  const std::vector<GroupSummary> groups = summarize_groups(rows);
  if (!groups.empty()) {
    std::snprintf(line, sizeof line, "\n%-40s %5s %12s %12s\n", "group", "rows", "mean |error|", "speed bias");
    out << line;
    for (const GroupSummary& g : groups) {
      std::snprintf(line, sizeof line, "%-40s %5d %11.1f%% %+11.1f%%\n", g.group.c_str(), g.cases, g.mean_abs_error_pct,
                    g.mean_speed_bias_pct);
      out << line;
    }
    out << "(speed bias > 0: the model is faster than the published run, i.e. optimistic)\n";
  }
  if (coverage.rows > 0) {
    std::snprintf(line, sizeof line,
                  "\np10..p90 band coverage, leave one group out: %d of %d timing rows inside (%.0f%%; dense %d of %d, MoE %d of %d)\n",
                  coverage.inside, coverage.rows, 100 * coverage.fraction(), coverage.dense_inside, coverage.dense_rows,
                  coverage.moe_inside, coverage.moe_rows);
    out << line;
    out << "(each row against the p10..p90 of the model error fitted, with its between-group term, on the other groups\n"
           " of its class, as planner/data/uncertainty.yaml's is fitted on all; an honest 80% band covers about 80%)\n";
    const std::string caveat = coverage_caveat(coverage);
    if (!caveat.empty()) out << "caveat: " << caveat << "\n";
  }
  return 0;
}

}  // namespace trainplan
