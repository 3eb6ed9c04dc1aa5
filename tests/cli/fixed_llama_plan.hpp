#pragma once
// Llama 3 8B with every knob fixed, for the CLI tests: each command finds this one plan at any GPU
// count that divides the batch (fast: a search is a single layout).
#include <string>
#include <vector>

namespace trainplan::testing {

inline const std::vector<std::string> kFixedLlama8b = {"--model", "llama3-8b", "--seq-len", "4096", "--tokens", "1T", "--tp", "1",
                                                       "--pp", "1", "--cp", "1", "--vp", "1", "--micro-batch", "1", "--zero", "1",
                                                       "--recompute", "full", "--global-batch", "128"};

}  // namespace trainplan::testing
