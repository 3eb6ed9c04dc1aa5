#include "planner/io/bundled_profiles.hpp"

#include <gtest/gtest.h>

#include "planner/io/description_loader.hpp"

namespace trainplan {

TEST(BundledProfiles, EveryGpuPresetGetsGemmAndHbmEfficiencies) {
  for (const std::string& preset : gpu_preset_names()) {
    const GpuSpec gpu = load_gpu(preset, {});
    const PerformanceProfile p = bundled_profile_for(gpu.name);
    EXPECT_FALSE(p.gemm_bf16_fraction_by_flops.empty()) << preset;
    EXPECT_GT(p.hbm_fraction, 0) << preset;
    EXPECT_FALSE(p.sources.empty()) << preset;
  }
}

TEST(BundledProfiles, APresetWithItsOwnProfileIsMatchedByItAndOthersBorrowAndSaySo) {
  EXPECT_TRUE(bundled_profile_matches("probes/data/h100-sxm-published.yaml", load_gpu("h100-sxm", {}).name));
  EXPECT_TRUE(bundled_profile_matches("probes/data/a100-sxm-published.yaml", load_gpu("a100-sxm-80gb", {}).name));
  EXPECT_FALSE(bundled_profile_matches("probes/data/h100-sxm-published.yaml", load_gpu("h100-pcie", {}).name));
  const PerformanceProfile h200 = bundled_profile_for(load_gpu("h200", {}).name);
  ASSERT_FALSE(h200.sources.empty());
  EXPECT_NE(h200.sources.front().find("assumption: no published profile for 'H200"), std::string::npos) << h200.sources.front();
  EXPECT_NE(h200.sources.front().find("h100-sxm-published.yaml"), std::string::npos) << h200.sources.front();
}

}  // namespace trainplan
