// --set calibration.KEY=VALUE: the calibration constants a planner may refit to their own stack.
#include "planner/io/calibration_loader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
std::string calibration_error(const std::string& text) {
  try {
    load_calibration({parse_override(text)});
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}
}  // namespace

TEST(CalibrationLoader, DefaultsWithoutOverridesAndOneFieldWithOne) {
  const Calibration d = default_calibration();
  const Calibration same = load_calibration({parse_override("model.layers=12")});  // other scopes are not its business
  EXPECT_DOUBLE_EQ(same.sustained_kernel_fraction, d.sustained_kernel_fraction);
  const Calibration c = load_calibration({parse_override("calibration.sustained_kernel_fraction=0.85"),
                                          parse_override("calibration.memory_overhead_gib=6")});
  EXPECT_DOUBLE_EQ(c.sustained_kernel_fraction, 0.85);
  EXPECT_DOUBLE_EQ(c.memory_overhead_bytes, 6.0 * (1ull << 30));
  EXPECT_DOUBLE_EQ(c.nvlink_efficiency, d.nvlink_efficiency);  // untouched fields keep their defaults
}

TEST(CalibrationLoader, BadValuesNameTheField) {
  const std::string unknown = calibration_error("calibration.sustained_fraction=0.9");
  EXPECT_NE(unknown.find("sustained_fraction"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("sustained_kernel_fraction"), std::string::npos) << unknown;  // lists what is known
  const std::string above_one = calibration_error("calibration.overlap_efficiency=1.2");
  EXPECT_NE(above_one.find("overlap_efficiency"), std::string::npos) << above_one;
  const std::string negative = calibration_error("calibration.kernel_overhead_s=-1");
  EXPECT_NE(negative.find("kernel_overhead_s"), std::string::npos) << negative;
  const std::string share = calibration_error("calibration.overlapped_comm_sm_share=1");
  EXPECT_NE(share.find("overlapped_comm_sm_share"), std::string::npos) << share;
  const std::string text = calibration_error("calibration.nvlink_efficiency=fast");
  EXPECT_NE(text.find("nvlink_efficiency"), std::string::npos) << text;
}

}  // namespace trainplan
