// plan --schedule, size --schedule: the calendar run, its searches and its reports.
#include "calendar_options.hpp"

#include <cmath>
#include <fstream>
#include <memory>
#include <ostream>

#include "planner/core/calendar/training_schedule.hpp"
#include "planner/core/calendar/useful_scale.hpp"
#include "planner/io/calendar_report.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/input_limits.hpp"
#include "planner/io/schedule_loader.hpp"
#include "planner/io/number_text.hpp"
#include "planner/io/row_writer.hpp"
#include "planner/io/sweep_report.hpp"
#include "planner/io/token_batch.hpp"  // grouped_digits
#include "flag_values.hpp"
#include "output_path.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "result_check.hpp"
#include "scenario_at_count.hpp"

namespace po = boost::program_options;

namespace trainplan {

void add_schedule_options(po::options_description& options, ScheduleFlags& f, bool for_size) {
  options.add_options()
      ("schedule", po::value(&f.schedule),
       "a training schedule over calendar time (YAML file or bundled name, e.g. gpt5-buildout-schedule): GPU arrival phases, "
       "a batch ramp, a batch law; reports the finish date and tokens by date, re-planning the layout at each phase")
      ("svg", po::value(&f.svg), "with --schedule: also write the tokens-by-date chart to this SVG file");
  if (!for_size) return;
  options.add_options()
      ("finish-by", po::value(&f.finish_by), "with --schedule: the date (YYYY-MM-DD) the run must finish by")
      ("solve", po::value(&f.solve)->default_value(f.solve),
       "with --finish-by: gpus (the fewest GPUs the phase must bring) | arrival (the latest date the phase may arrive)")
      ("phase", po::value(&f.phase), "with --finish-by: the phase solved for, 1-based (default: the last)")
      ("largest-useful", po::value(&f.largest_useful),
       "with --schedule: GPU counts a:b (doubling); the largest count whose every doubling still cuts the time to the target by "
       "a quarter under the schedule's batch law (the critical batch, docs/calendar.md)")
      ("batches", po::value(&f.batches),
       "with --largest-useful: candidate global batches in sequences, a,b,c (default: the reference batch x 1/16 .. 16, doubling)");
}

bool schedule_requested(const ScheduleFlags& f) {
  if (!f.schedule.empty()) return true;
  if (!f.svg.empty()) throw InputError("command line", "--svg", "needs --schedule (the chart is the schedule's tokens by date)");
  if (!f.finish_by.empty()) throw InputError("command line", "--finish-by", "needs --schedule");
  if (!f.phase.empty()) throw InputError("command line", "--phase", "needs --schedule");
  if (f.solve != "gpus") throw InputError("command line", "--solve", "needs --schedule");
  if (!f.largest_useful.empty()) throw InputError("command line", "--largest-useful", "needs --schedule (for its batch law)");
  if (!f.batches.empty()) throw InputError("command line", "--batches", "needs --schedule and --largest-useful");
  return false;
}

namespace {

// Everything a calendar run needs: the scenario, the schedule, the cached searches, the batch law.
struct CalendarSetup {
  SearchSetup search;
  LoadedSchedule schedule;
  std::unique_ptr<RateCache> rates;
  BatchEfficiency efficiency;
  double training_tokens = 0;
};

CalendarSetup build_calendar_setup(const PlanFlags& flags, const SearchFlags& search_flags, const ScheduleFlags& sf,
                                   ProgressBar& bar) {
  if (!flags.given("gpus").empty()) throw InputError("command line", "--gpus", "not with --schedule: the schedule's phases give the GPU counts");
  if (flags.given("tokens").empty()) throw InputError("command line", "--tokens", "missing: how many tokens does the run train on?");
  if (flags.given("global_batch").empty() && flags.given("global_batch_tokens").empty())
    throw InputError("command line", "--global-batch",
                     "missing: with --schedule, the global batch the token count is stated at (the batch of the whole run without a ramp)");
  // The calendar uses the failure model (goodput per stretch) but has no Monte-Carlo run, cost or
  // energy yet: refuse the flags it would otherwise ignore.
  const std::pair<const std::string*, const char*> unused_flags[] = {
      {&flags.runs, "--runs"}, {&flags.seed, "--seed"}, {&flags.cost_basis, "--cost-basis"}, {&flags.gpu_price, "--gpu-price"},
      {&flags.rent_price, "--rent-price"}, {&flags.amortization_years, "--amortization-years"}, {&flags.pue, "--pue"},
      {&flags.electricity_price, "--electricity-price"}};
  for (const auto& [value, name] : unused_flags)
    if (!value->empty())
      throw InputError("command line", name, "not with --schedule: the calendar reports no Monte-Carlo spread, cost or energy yet (docs/calendar.md)");
  if (!search_flags.max_global_batch.empty() || !search_flags.max_global_batch_tokens.empty())
    throw InputError("command line", "--max-global-batch", "not with --schedule: the schedule's batch_ramp (or --global-batch) sets the batch");
  CalendarSetup c;
  c.schedule = load_schedule(sf.schedule);
  c.search = build_search_setup(flags, search_flags, false);
  const Scenario& base = c.search.plan_setup.scenario;
  TrainingSchedule& schedule = c.schedule.schedule;
  if (schedule.granularity_gpus == 0) schedule.granularity_gpus = std::max(1, base.job.gpus_per_node);
  const std::int64_t command_batch = c.search.plan_setup.plan.global_batch;
  if (!c.schedule.ramp_given) schedule.batch_ramp = {{0.0, command_batch}};
  c.training_tokens = base.job.training_tokens;

  const ScenarioAtGpus scenario_at = scenario_at_gpus(c.search);
  EconomicsModel economics = load_plan_economics(flags, c.search.plan_setup.overrides).model;
  const int reach = fabric_reach_gpus(c.search);
  const SearchSpace space = c.search.space;
  SearchOptions options = c.search.options;
  options.top = 1;
  auto label = std::make_shared<std::string>();
  if (bar.enabled())
    options.progress = [&bar, label](const SearchProgress& p) {
      bar.show(*label, p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0);
    };
  c.rates = std::make_unique<RateCache>([=](int gpus, std::int64_t batch) {
    Rate rate;
    if (gpus <= 0 || beyond_reach(gpus, reach)) return rate;
    *label = "planning " + std::to_string(gpus) + " GPUs at a batch of " + std::to_string(batch);
    SearchSpace at_batch = space;
    at_batch.global_batch = batch;
    at_batch.max_global_batch = 0;
    const SearchResult found = search_plans(scenario_at(gpus), at_batch, options);
    if (!found.plans.empty()) {
      rate.found = true;
      rate.plan = found.plans.front();
      rate.tokens_per_second = rate.plan.tokens_per_second;
      rate.goodput = plan_economics(scenario_at(gpus), rate.plan, economics).goodput;
    }
    return rate;
  });

  // The batch law: the reference batch the token count is stated at, and (DeepSeek LLM's law) the
  // run's compute C = model FLOPs per token x tokens. FLOPs per token do not depend on the layout or
  // the batch: they come from the first plan found (the reference batch first, then the ramp's).
  const std::int64_t reference_batch = c.schedule.reference_global_batch > 0 ? c.schedule.reference_global_batch : command_batch;
  const double reference_tokens = static_cast<double>(reference_batch) * c.search.plan_setup.plan.seq_len;
  double compute_flops = 0;
  if (c.schedule.batch_law.law.kind == BatchLawKind::deepseek_llm) {
    std::vector<std::int64_t> batches{reference_batch};
    for (const BatchStage& stage : schedule.batch_ramp) batches.push_back(stage.global_batch);
    for (std::int64_t batch : batches)
      for (std::size_t i = schedule.phases.size(); i-- > 0 && compute_flops == 0;) {
        const Rate& r = c.rates->at(usable_gpus(schedule, i), batch);
        if (r.found && r.plan.tokens_per_step > 0) compute_flops = r.plan.model_flops_per_step / r.plan.tokens_per_step * c.training_tokens;
      }
  }
  c.efficiency = resolve_batch_efficiency(c.schedule.batch_law.law, compute_flops, reference_tokens);
  return c;
}

CalendarReport make_report(const CalendarSetup& c, const TrainingSchedule& schedule, const CalendarResult& result,
                           const std::string& command) {
  const Scenario& base = c.search.plan_setup.scenario;
  CalendarReport report;
  report.command = command;
  report.model = base.model.name;
  report.gpu = base.gpu.name;
  report.fabric = base.fabric.name;
  report.training_tokens = c.training_tokens;
  report.seq_len = c.search.plan_setup.plan.seq_len;
  report.schedule = &c.schedule;
  report.efficiency = c.efficiency;
  report.result = result;
  report.with_failures = run_calendar(schedule, c.training_tokens, c.efficiency, c.rates->as_function(), true);
  // The last check on the figures printed (planner/core/result_guard.hpp).
  check_calendar_figures(base, c.schedule.source, report.result);
  check_calendar_figures(base, c.schedule.source, report.with_failures);
  return report;
}

void write_svg(const ScheduleFlags& sf, const CalendarReport& report) {
  if (sf.svg.empty()) return;
  check_output_path(sf.svg, "--svg");
  std::ofstream file(sf.svg);
  if (!file) throw InputError("--svg " + sf.svg, "", "cannot write the file");
  svg::write_line_chart(calendar_chart(report), file);
  if (!file) throw InputError("--svg " + sf.svg, "", "writing the file failed");
}

// ---- decision report (--report FILE.html): the calendar answers at the top; the plan detailed below
// (step time, memory, fabric, failures) is the last stretch's, at its GPU count ----
void write_calendar_decision(const CalendarSetup& c, const CalendarReport& calendar, const PlanFlags& flags, const char* command,
                             const std::vector<std::string>& args, const std::string& path, const std::string& sentence = "") {
  if (path.empty()) return;
  const CalendarSegment* last = nullptr;
  for (const CalendarSegment& s : calendar.result.segments)
    if (s.gpus_used > 0) last = &s;
  const TrainingSchedule& schedule = calendar.schedule->schedule;
  const int gpus = last ? last->gpus_used : std::max(1, usable_gpus(schedule, schedule.phases.size() - 1));
  const Scenario sc = scenario_at_gpus(c.search)(gpus);
  DecisionReport report = start_report(command, args, sc, load_plan_economics(flags, c.search.plan_setup.overrides));
  report.has_calendar = true;
  report.calendar = calendar;
  if (last) {
    report.plans.push_back(report_plan(report, sc, last->plan, "last stretch"));
    report.plans_caption = "The plan of the last stretch (" + std::to_string(last->gpus_used) +
                           " GPUs). Its days, failures and cost, here and below, are those of the whole run at this count alone; "
                           "the calendar's finish dates are above.";
  }
  if (!sentence.empty()) report.answer_notes.push_back(sentence);
  write_report_file(report, path);
}

}  // namespace

int plan_with_schedule(const PlanFlags& flags, const SearchFlags& search_flags, const ScheduleFlags& sf, std::ostream& out,
                       std::ostream& err, const std::vector<std::string>& args, const std::string& report_path) {
  const ReportFormat format = parse_report_format(flags.format);
  ProgressBar bar(err);
  CalendarSetup c = build_calendar_setup(flags, search_flags, sf, bar);
  const CalendarResult result = run_calendar(c.schedule.schedule, c.training_tokens, c.efficiency, c.rates->as_function());
  bar.clear();
  const CalendarReport report = make_report(c, c.schedule.schedule, result, "plan");
  write_calendar_report(report, format, out);
  write_svg(sf, report);
  write_calendar_decision(c, report, flags, "plan", args, report_path);
  return result.finished ? 0 : 1;
}

namespace {

nlohmann::json candidates_json(const ScalePoint& p) {
  nlohmann::json list = nlohmann::json::array();
  for (const BatchCandidate& b : p.candidates)
    list.push_back({{"global_batch", b.global_batch},
                    {"found", b.found},
                    {"token_efficiency", b.efficiency},
                    {"days", b.found ? nlohmann::json(b.days) : nlohmann::json(nullptr)},
                    {"step_time_s", b.found ? nlohmann::json(b.plan.step_time_s) : nlohmann::json(nullptr)},
                    {"mfu", b.found ? nlohmann::json(b.plan.mfu) : nlohmann::json(nullptr)},
                    {"days_failure_free_at_this_batch", b.found ? nlohmann::json(b.plan.time_to_train_days) : nlohmann::json(nullptr)},
                    {"plan", b.found ? plan_settings_json(b.plan.plan) : nlohmann::json(nullptr)}});
  return list;
}

// Every candidate batch of the counts: the batch curve, with the layout at each.
std::vector<std::vector<std::string>> candidate_rows(const std::vector<ScalePoint>& points, int seq_len) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"gpus", "global_batch", "batch_tokens", "token_efficiency", "days_same_tokens", "days_to_target", "step_time_s", "mfu",
                  "tp", "pp", "cp", "dp", "ep", "etp", "vp", "zero"});
  for (const ScalePoint& p : points)
    for (const BatchCandidate& b : p.candidates) {
      const std::string tokens = fixed_decimals(static_cast<double>(b.global_batch) * seq_len / 1e6, 1) + "M";
      if (!b.found) {
        rows.push_back({std::to_string(p.gpus), std::to_string(b.global_batch), tokens, fixed_decimals(b.efficiency, 3), "none fits", "", "",
                        "", "", "", "", "", "", "", "", ""});
        continue;
      }
      const ParallelPlan& l = b.plan.plan;
      rows.push_back({std::to_string(p.gpus), std::to_string(b.global_batch), tokens, fixed_decimals(b.efficiency, 3),
                      fixed_decimals(b.plan.time_to_train_days, 1), fixed_decimals(b.days, 1), fixed_decimals(b.plan.step_time_s, 2),
                      fixed_decimals(b.plan.mfu, 3), std::to_string(l.tp), std::to_string(l.pp), std::to_string(l.cp), std::to_string(l.dp),
                      std::to_string(l.ep), std::to_string(l.routed_expert_tp()), std::to_string(l.vp), std::to_string(l.zero_stage)});
    }
  return rows;
}

int largest_useful(CalendarSetup& c, const PlanFlags& flags, const ScheduleFlags& sf, ProgressBar& bar, std::ostream& out) {
  const ReportFormat format = parse_report_format(flags.format);
  const std::vector<int> counts = parse_gpu_counts(sf.largest_useful, "--largest-useful");
  for (std::size_t i = 1; i < counts.size(); ++i)
    if (counts[i] != 2 * counts[i - 1])
      throw InputError("command line", "--largest-useful", "expected a doubling ladder a:b (each count twice the one before), got '" + sf.largest_useful + "'");
  const int seq_len = c.search.plan_setup.plan.seq_len;
  const std::int64_t reference = static_cast<std::int64_t>(std::llround(c.efficiency.reference_batch_tokens / seq_len));
  std::vector<std::int64_t> batches;
  if (!sf.batches.empty()) {
    for (int b : parse_gpu_counts(sf.batches, "--batches")) batches.push_back(b);
    // Every batch is a layout search at every count of the ladder.
    if (batches.size() > limits::max_candidate_batches)
      throw InputError("command line", "--batches", "expected at most " + std::to_string(limits::max_candidate_batches) +
                                                        " candidate batches, got " + std::to_string(batches.size()));
  } else {
    for (int shift = -4; shift <= 4; ++shift) {
      const std::int64_t b = shift < 0 ? reference >> -shift : reference << shift;
      if (b > 0 && (shift >= 0 || (b << -shift) == reference)) batches.push_back(b);
    }
  }
  const int reach = fabric_reach_gpus(c.search);
  const UsefulScale scale = largest_useful_gpus(counts, batches, seq_len, c.training_tokens, c.efficiency, c.rates->as_function());
  bar.clear();
  const Scenario& base = c.search.plan_setup.scenario;
  if (format == ReportFormat::json) {
    nlohmann::json points = nlohmann::json::array();
    for (const ScalePoint& p : scale.points)
      points.push_back({{"gpus", p.gpus},
                        {"found", p.found},
                        {"global_batch", p.found ? nlohmann::json(p.global_batch) : nlohmann::json(nullptr)},
                        {"days", p.found ? nlohmann::json(p.days) : nlohmann::json(nullptr)},
                        {"token_efficiency", p.efficiency},
                        {"cut", p.cut},
                        {"plan", p.found ? plan_settings_json(p.plan.plan) : nlohmann::json(nullptr)},
                        {"candidates", candidates_json(p)}});
    out << nlohmann::json{{"model", base.model.name},
                          {"gpu", base.gpu.name},
                          {"fabric", base.fabric.name},
                          {"training_tokens", c.training_tokens},
                          {"batch_law",
                           {{"law", to_string(c.efficiency.law.kind)},
                            {"critical_batch_tokens", c.efficiency.critical_tokens},
                            {"reference_batch_tokens", c.efficiency.reference_batch_tokens},
                            {"source", c.schedule.batch_law.source}}},
                          {"min_doubling_cut", 0.25},
                          {"largest_useful_gpus", scale.largest_useful_gpus},
                          {"points", points}}
               .dump(2)
        << "\n";
    return scale.largest_useful_gpus > 0 ? 0 : 1;
  }
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"gpus", "global_batch", "batch_tokens", "token_efficiency", "days", "cut", "step_time_s", "mfu", "tp", "pp", "cp", "dp", "ep", "vp"});
  for (const ScalePoint& p : scale.points) {
    if (!p.found) {
      rows.push_back({std::to_string(p.gpus), beyond_reach(p.gpus, reach) ? "beyond the fabric's reach" : "none fits", "", "", "", "", "",
                      "", "", "", "", "", "", ""});
      continue;
    }
    const ParallelPlan& l = p.plan.plan;
    rows.push_back({std::to_string(p.gpus), std::to_string(p.global_batch), fixed_decimals(static_cast<double>(p.global_batch) * seq_len / 1e6, 1) + "M",
                    fixed_decimals(p.efficiency, 3), fixed_decimals(p.days, 1), fixed_decimals(p.cut, 3), fixed_decimals(p.plan.step_time_s, 2),
                    fixed_decimals(p.plan.mfu, 3), std::to_string(l.tp), std::to_string(l.pp), std::to_string(l.cp), std::to_string(l.dp),
                    std::to_string(l.ep), std::to_string(l.vp)});
  }
  if (format == ReportFormat::table) {
    out << "trainplan size --largest-useful: " << base.model.name << " on " << base.gpu.name << " (" << base.fabric.name << "), batch law "
        << to_string(c.efficiency.law.kind);
    if (c.efficiency.critical_tokens > 0) out << ", critical batch " << grouped_digits(std::llround(c.efficiency.critical_tokens)) << " tokens";
    out << "\n  largest useful GPU count  " << scale.largest_useful_gpus
        << " (every doubling up to it cut the time to the target by more than a quarter)\n";
  }
  write_rows(rows, format == ReportFormat::csv, out);
  if (format == ReportFormat::table) {
    out << "  every candidate batch (days_same_tokens: the tokens at that batch, as plan reports; days_to_target: weighed by the law)\n";
    write_rows(candidate_rows(scale.points, seq_len), false, out);
  }
  return scale.largest_useful_gpus > 0 ? 0 : 1;
}

}  // namespace

int size_with_schedule(const PlanFlags& flags, const SearchFlags& search_flags, const ScheduleFlags& sf, int max_gpus,
                       std::ostream& out, std::ostream& err, const std::vector<std::string>& args, const std::string& report_path) {
  const ReportFormat format = parse_report_format(flags.format);
  if (sf.solve != "gpus" && sf.solve != "arrival")
    throw InputError("command line", "--solve", "expected gpus or arrival, got '" + sf.solve + "'");
  ProgressBar bar(err);
  CalendarSetup c = build_calendar_setup(flags, search_flags, sf, bar);
  TrainingSchedule& schedule = c.schedule.schedule;
  const RateAt rate_at = c.rates->as_function();
  if (!sf.largest_useful.empty()) {
    if (!sf.finish_by.empty()) throw InputError("command line", "--largest-useful", "not with --finish-by: one question at a time");
    if (!report_path.empty()) throw InputError("command line", "--report", "not with --largest-useful: the report draws one calendar run");
    return largest_useful(c, flags, sf, bar, out);
  }
  if (!sf.batches.empty()) throw InputError("command line", "--batches", "needs --largest-useful");
  if (sf.finish_by.empty()) {
    if (!sf.phase.empty() || sf.solve != "gpus") throw InputError("command line", "--finish-by", "missing: the date the run must finish by");
    const CalendarResult result = run_calendar(schedule, c.training_tokens, c.efficiency, rate_at);
    bar.clear();
    const CalendarReport report = make_report(c, schedule, result, "size");
    write_calendar_report(report, format, out);
    write_svg(sf, report);
    write_calendar_decision(c, report, flags, "size", args, report_path);
    return result.finished ? 0 : 1;
  }
  const auto finish_by = parse_iso_date(sf.finish_by);
  if (!finish_by) throw InputError("command line", "--finish-by", "expected an ISO date YYYY-MM-DD, got '" + sf.finish_by + "'");
  // Finishing at any time during the date counts: the deadline is the end of that date.
  const double deadline_day = static_cast<double>(*finish_by - c.schedule.start_date) + 1.0;
  if (deadline_day <= 0)
    throw InputError("command line", "--finish-by", "is before the schedule's first phase (" + format_iso_date(c.schedule.start_date) + ")");
  std::size_t phase = schedule.phases.size() - 1;
  if (!sf.phase.empty()) {
    const int given = parse_positive_int(sf.phase, "--phase");
    if (given > static_cast<int>(schedule.phases.size()))
      throw InputError("command line", "--phase", "the schedule has " + std::to_string(schedule.phases.size()) + " phases, got " + sf.phase);
    phase = static_cast<std::size_t>(given - 1);
  }
  nlohmann::json answer = {{"solve", sf.solve}, {"phase", phase + 1}, {"finish_by", format_iso_date(*finish_by)}};
  bool found = false;
  std::string sentence;
  const std::string phase_label = "phase " + std::to_string(phase + 1);
  const std::string& segment = schedule.phases[phase].segment;
  const std::string phase_name = segment == phase_label ? phase_label : phase_label + " (" + segment + ")";
  // Whether the run finishes by the date without phase K at all (only a later phase can be left out:
  // the first sets the start). Both solves say so rather than name the least they searched.
  bool needed = true;
  if (phase > 0) {
    TrainingSchedule without = schedule;
    without.phases.erase(without.phases.begin() + static_cast<std::ptrdiff_t>(phase));
    const CalendarResult alone = run_calendar(without, c.training_tokens, c.efficiency, rate_at);
    needed = !(alone.finished && alone.finish_day <= deadline_day + 1e-9);
  }
  answer["phase_needed"] = needed;
  if (sf.solve == "gpus" && !needed) {
    found = true;
    answer["phase_gpus"] = 0;
    schedule.phases.erase(schedule.phases.begin() + static_cast<std::ptrdiff_t>(phase));
    sentence = "the run finishes by " + format_iso_date(*finish_by) + " without " + phase_name + ": it need bring no GPUs";
  } else if (sf.solve == "gpus") {
    GpuGrid grid;
    grid.step = schedule.granularity_gpus;
    // GPUs beyond the fabric's reach cannot join the job: the phase brings at most the reach less the others.
    const int reach = fabric_reach_gpus(c.search);
    long long others = 0;
    for (std::size_t i = 0; i < schedule.phases.size(); ++i)
      if (i != phase) others += schedule.phases[i].gpus - schedule.phases[i].spare_gpus;
    grid.max_gpus = max_gpus;
    std::string cap = std::to_string(grid.max_gpus) + " GPUs";
    if (reach > 0 && reach - others < max_gpus) {
      grid.max_gpus = static_cast<int>(std::max(0LL, reach - others));
      cap = std::to_string(grid.max_gpus) + " GPUs (" + beyond_reach_reason(c.search.plan_setup.scenario.fabric.name, reach) + ")";
    }
    if (grid.first() > grid.last() && grid.max_gpus == max_gpus)
      throw InputError("command line", "--max-gpus", "is below the schedule's granularity (" + std::to_string(grid.step) + ")");
    const int gpus = fewest_phase_gpus(schedule, phase, grid, c.training_tokens, c.efficiency, rate_at, deadline_day);
    found = gpus > 0;
    answer["phase_gpus"] = found ? nlohmann::json(gpus) : nlohmann::json(nullptr);
    if (found) {
      schedule.phases[phase].gpus = gpus;
      sentence = "the fewest GPUs " + phase_name + " must bring to finish by " + format_iso_date(*finish_by) + ": " + std::to_string(gpus);
    } else {
      sentence = "no count of " + phase_name + " up to " + cap + " finishes by " + format_iso_date(*finish_by);
    }
  } else {
    if (phase == 0) throw InputError("command line", "--phase", "the first phase sets the start; solve for a later phase's arrival");
    const int earliest = schedule.phases[phase - 1].day + 1;
    int latest = static_cast<int>(deadline_day) - 1;
    if (phase + 1 < schedule.phases.size()) latest = std::min(latest, schedule.phases[phase + 1].day - 1);
    const int day = latest_arrival_day(schedule, phase, earliest, latest, c.training_tokens, c.efficiency, rate_at, deadline_day);
    found = day >= 0;
    answer["latest_arrival_date"] = found ? nlohmann::json(format_iso_date(c.schedule.start_date + day)) : nlohmann::json(nullptr);
    if (found) {
      schedule.phases[phase].day = day;
      sentence = "the latest date " + phase_name + " may arrive to finish by " + format_iso_date(*finish_by) + ": " +
                 format_iso_date(c.schedule.start_date + day) +
                 (needed ? "" : " (the last date considered: the run finishes by then without this phase)");
    } else {
      sentence = "even arriving the day after the previous phase, " + phase_name + " does not let the run finish by " +
                 format_iso_date(*finish_by);
    }
  }
  answer["found"] = found;
  const CalendarResult result = run_calendar(schedule, c.training_tokens, c.efficiency, rate_at);
  bar.clear();
  const CalendarReport report = make_report(c, schedule, result, "size");
  if (format == ReportFormat::json) {
    nlohmann::json j = calendar_json(report);
    j["size"] = answer;
    out << j.dump(2) << "\n";
  } else {
    if (format == ReportFormat::table) out << "trainplan size --schedule: " << sentence << "\n";
    write_calendar_report(report, format, out);
  }
  write_svg(sf, report);
  write_calendar_decision(c, report, flags, "size", args, report_path, "trainplan size --schedule: " + sentence + ".");
  return found ? 0 : 1;
}

}  // namespace trainplan
