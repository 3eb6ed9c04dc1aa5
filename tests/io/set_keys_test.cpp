// Every `--set` key of every section either changes what the planner loads or is refused with an
// InputError: none is silently ignored. Walks every leaf field of every bundled description
// (models, GPUs, topologies, economics, calibration), sets it to a different value and compares
// the loaded struct with the one loaded without the --set.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "planner/core/calibration.hpp"
#include "planner/io/calibration_loader.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/economics_loader.hpp"
#include "planner/io/embedded_data.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/scenario_defaults.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {
namespace {

// Dotted paths of the scalar leaves of a YAML mapping (sequences are not addressable by --set).
void leaf_paths(const YAML::Node& node, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& entry : node) {
    const std::string key = prefix + entry.first.as<std::string>();
    if (entry.second.IsMap())
      leaf_paths(entry.second, key + ".", out);
    else if (entry.second.IsScalar())
      out.emplace_back(key, entry.second.as<std::string>());
  }
}

// A value different from `value` that a loader could accept: a flipped bool, a changed number,
// another word (which a closed choice refuses: also an acceptable answer).
std::string other_value(const std::string& value) {
  if (value == "true") return "false";
  if (value == "false") return "true";
  try {
    std::size_t used = 0;
    const double x = std::stod(value, &used);
    if (used == value.size()) {
      if (value.find_first_of(".eE") == std::string::npos) return std::to_string(x == 0 ? 1 : static_cast<long long>(x) * 2);
      return std::to_string(x == 0 ? 0.5 : x * 0.5);
    }
  } catch (const std::exception&) {
  }
  return value + "-changed";
}

// Loads with one --set; true when the result differs from `baseline` or the --set is refused.
template <typename T>
void expect_every_key_counts(const YAML::Node& document, const std::string& scope, const std::string& what,
                             const std::function<T(const std::vector<Override>&)>& load) {
  const T baseline = load({});
  std::vector<std::pair<std::string, std::string>> leaves;
  leaf_paths(document, "", leaves);
  ASSERT_FALSE(leaves.empty()) << what;
  for (const auto& [path, value] : leaves) {
    const std::string text = scope + "." + path + "=" + other_value(value);
    bool refused = false;
    bool changed = false;
    try {
      changed = !(load({parse_override(text)}) == baseline);
    } catch (const InputError&) {
      refused = true;
    }
    EXPECT_TRUE(changed || refused) << what << ": --set " << text << " was silently ignored";
  }
}

YAML::Node bundled(const std::string& path) { return YAML::Load(std::string(*find_embedded(path))); }

TEST(SetKeys, EveryModelFieldChangesTheModelOrIsRefused) {
  for (const auto& name : model_preset_names())
    expect_every_key_counts<ModelShape>(load_document(name, "planner/data/models/", "model").node, "model", name,
                                        [&](const std::vector<Override>& o) { return load_model(name, o); });
}

TEST(SetKeys, EveryGpuFieldChangesTheGpuOrIsRefused) {
  for (const auto& name : gpu_preset_names())
    expect_every_key_counts<GpuSpec>(load_document(name, "planner/data/gpus/", "gpu").node, "gpu", name,
                                     [&](const std::vector<Override>& o) { return load_gpu(name, o); });
}

TEST(SetKeys, EveryFabricFieldChangesTheFabricOrIsRefusedWithAndWithoutTopology) {
  TrainingJob job;
  job.gpus = 1024;
  job.gpus_per_node = 8;
  const GpuSpec gpu = load_gpu("h100-sxm", {});
  for (const auto& name : topology_names()) {
    const YAML::Node document = load_document(name, "topologies/", "topology").node;
    TrainingJob job_here = job;  // a job on the file's own domain size (GB200 NVL72: 72 GPUs)
    job_here.gpus_per_node = document["scale_up"]["gpus"].as<int>();
    job_here.gpus = job_here.gpus_per_node * 128;
    expect_every_key_counts<Fabric>(document, "fabric", name,
                                    [&](const std::vector<Override>& o) { return load_fabric_for(name, job_here, gpu, o, true); });
  }
  // Without --topology the default fabric borrows NVLink from the GPU and the domain size from the
  // job; a --set of those fields must still count.
  expect_every_key_counts<Fabric>(load_document("dgx-h100-superpod-ndr", "topologies/", "topology").node, "fabric",
                                  "(no --topology)",
                                  [&](const std::vector<Override>& o) { return load_fabric_for("", job, gpu, o, true); });
}

TEST(SetKeys, ScaleUpSetWithoutTopologyIsHonouredOrRefusedNamingTheKey) {
  TrainingJob job;
  job.gpus = 1024;
  job.gpus_per_node = 8;
  const GpuSpec gpu = load_gpu("h100-sxm", {});
  EXPECT_EQ(load_fabric_for("", job, gpu, {parse_override("fabric.scale_up.gb_s_per_direction=900")}).scale_up.gb_s_per_direction, 900);
  try {
    load_fabric_for("", job, gpu, {parse_override("fabric.scale_up.gpus=72")});
    FAIL() << "a 72-GPU domain with --gpus-per-node 8 was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scale_up.gpus"), std::string::npos) << e.what();
  }
  job.gpus_per_node = 72;
  job.gpus = 72 * 64;
  EXPECT_EQ(load_fabric_for("", job, gpu, {parse_override("fabric.scale_up.gpus=72")}).scale_up.gpus, 72);
  // Keys the default file does not write are honoured too: hosts per domain, hash polarization.
  EXPECT_EQ(load_fabric_for("", job, gpu, {parse_override("fabric.scale_up.gpus_per_host=4")}).scale_up.gpus_per_host, 4);
  EXPECT_EQ(load_fabric_for("", job, gpu, {parse_override("fabric.hash_polarization=0.5")}).hash_polarization, 0.5);
  try {
    load_fabric_for("", job, gpu, {parse_override("fabric.scale_up.gpus_per_host=5")});
    FAIL() << "5 GPUs per host in a 72-GPU domain was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("scale_up.gpus_per_host"), std::string::npos) << e.what();
  }
}

TEST(SetKeys, EveryEconomicsFieldChangesTheModelOrIsRefused) {
  expect_every_key_counts<std::pair<EconomicsModel, std::map<std::string, Provenance>>>(bundled(bundled_economics_path), "economics", "economics",
                                          [](const std::vector<Override>& o) {
                                            const LoadedEconomics e = load_economics("", o);
                                            return std::make_pair(e.model, e.provenance);  // sources are reported
                                          });
}

TEST(SetKeys, EveryCalibrationFieldChangesTheCalibrationOrIsRefused) {
  // Calibration has no document: its keys are the defaults' fields.
  const Calibration c = default_calibration();
  YAML::Node fields(YAML::NodeType::Map);
  fields["kernel_overhead_s"] = c.kernel_overhead_s;
  fields["nvlink_efficiency"] = c.nvlink_efficiency;
  fields["network_efficiency"] = c.network_efficiency;
  fields["overlap_efficiency"] = c.overlap_efficiency;
  fields["overlapped_comm_sm_share"] = c.overlapped_comm_sm_share;
  fields["sustained_kernel_fraction"] = c.sustained_kernel_fraction;
  fields["memory_overhead_gib"] = c.memory_overhead_bytes / double(1ull << 30);
  expect_every_key_counts<Calibration>(fields, "calibration", "calibration",
                                       [](const std::vector<Override>& o) { return load_calibration(o); });
}

TEST(SetKeys, DocumentationFieldsAreRefused) {
  EXPECT_THROW(load_model("llama3-8b", {parse_override("model.notes=x")}), InputError);
  EXPECT_THROW(load_topology("dgx-h100-superpod-ndr", {parse_override("fabric.tiers.spine.top=true")}), InputError);
}

}  // namespace
}  // namespace trainplan
