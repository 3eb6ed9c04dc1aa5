#include "planner/io/uncertainty_loader.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "planner/core/economics/model_error_fit.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/validation_loader.hpp"

namespace trainplan {

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const UncertaintyFlags& flags) {
  try {
    load_uncertainty(flags);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(UncertaintyLoader, BundledDefaultsLoadWithSources) {
  const LoadedUncertainty u = load_uncertainty({});
  EXPECT_TRUE(u.enabled);
  EXPECT_EQ(u.model.samples, 256);
  EXPECT_EQ(u.model.seed, 1u);
  for (const InputDistribution& d : u.model.inputs) {
    EXPECT_FALSE(d.source.empty());
    EXPECT_LE(d.low, d.mode);
    EXPECT_LE(d.mode, d.high);
  }
  EXPECT_EQ(u.model[UncertainInput::model_error_moe].kind, DistributionKind::empirical);
  EXPECT_EQ(u.model[UncertainInput::failure_rate].kind, DistributionKind::triangular);
}

TEST(UncertaintyLoader, ShippedModelErrorMatchesValidateResiduals) {
  // The bundled model-error distributions were fitted from the validation rows with the group term of
  // planner/core/economics/model_error_fit.hpp; if the model or the rows change, refit them (the 21
  // quantiles to ship are printed below on failure).
  const ValidationSet set = bundled_validation_set();
  std::vector<ValidationRow> rows;
  for (const auto& c : set.cases) rows.push_back(run_validation_case(c));
  const UncertaintyModel shipped = load_uncertainty({}).model;
  for (bool moe : {false, true}) {
    const ModelErrorFit fit = fit_model_error(set.cases, rows, moe);
    ASSERT_FALSE(fit.factors.empty());
    std::string list;
    char number[32];
    for (double f : fit.quantile_list(21)) std::snprintf(number, sizeof number, "%.3f, ", f), list += number;
    const InputDistribution& d = shipped[moe ? UncertainInput::model_error_moe : UncertainInput::model_error_dense];
    for (double q : {0.1, 0.5, 0.9})
      EXPECT_NEAR(d.quantile(q), fit.quantile(q), 0.03) << (moe ? "moe" : "dense") << " q" << q << ", fitted now: " << list << " (" << fit.rows << " rows, "
                                                   << fit.groups << " groups, between " << fit.between_sd << ", within "
                                                   << fit.within_sd << ")";
  }
}

TEST(UncertaintyLoader, UserFileReplacesADistributionAndErrorsNameIt) {
  const std::string good = write_temp("unc_good.yaml",
                                      "samples: 10\ninputs:\n  model_error_moe: {kind: fixed, value: 1.1, source: mine}\n");
  const LoadedUncertainty u = load_uncertainty({good, "", ""});
  EXPECT_EQ(u.model.samples, 10);
  EXPECT_EQ(u.model[UncertainInput::model_error_moe].kind, DistributionKind::fixed);
  EXPECT_DOUBLE_EQ(u.model[UncertainInput::model_error_moe].quantile(0.3), 1.1);
  EXPECT_NE(u.source.find(good), std::string::npos);

  const std::string bad_kind = write_temp("unc_bad_kind.yaml", "inputs:\n  restart_time: {kind: normal, source: x}\n");
  const std::string e1 = error_of({bad_kind, "", ""});
  EXPECT_NE(e1.find(bad_kind), std::string::npos) << e1;
  EXPECT_NE(e1.find("inputs.restart_time.kind"), std::string::npos) << e1;

  const std::string bad_order =
      write_temp("unc_bad_order.yaml", "inputs:\n  gpu_price: {kind: triangular, low: 1.2, mode: 1, high: 1.3, source: x}\n");
  EXPECT_NE(error_of({bad_order, "", ""}).find("low <= mode <= high"), std::string::npos);

  const std::string unknown = write_temp("unc_unknown.yaml", "inputs:\n  moon_phase: {kind: fixed, value: 1, source: x}\n");
  EXPECT_NE(error_of({unknown, "", ""}).find("inputs.moon_phase"), std::string::npos);

  EXPECT_NE(error_of({"", "-3", ""}).find("--uncertainty-samples"), std::string::npos);
  EXPECT_NE(error_of({"", "", "x"}).find("--uncertainty-seed"), std::string::npos);
  EXPECT_NE(error_of({"/nonexistent/unc.yaml", "", ""}).find("/nonexistent/unc.yaml"), std::string::npos);
  EXPECT_FALSE(load_uncertainty({"", "0", ""}).enabled);
}

}  // namespace trainplan
