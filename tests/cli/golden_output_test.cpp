// Golden outputs: the README's examples, the commands of docs/gpt5-on-h100.md and validate, run
// in-process and compared byte for byte with tests/golden/NAME.golden. Refactors must leave them
// unchanged; an intended change regenerates them (TRAINPLAN_UPDATE_GOLDEN=1) in the same commit.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace trainplan::testing {
namespace {

struct GoldenCase {
  std::string name;
  std::vector<std::string> args;
};

// gtest prints a case by its name (not its bytes) in test listings and failures.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> load_cases() {
  std::ifstream in(std::string(TRAINPLAN_GOLDEN_DIR) + "/cases.txt");
  std::vector<GoldenCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    GoldenCase c{line.substr(0, colon), {}};
    std::istringstream words(line.substr(colon + 1));
    for (std::string w; words >> w;) c.args.push_back(w);
    cases.push_back(std::move(c));
  }
  return cases;
}

// Wall-clock figures of a search differ from run to run; everything else must not.
std::string mask_timings(std::string text) {
  static const std::regex table_timing(R"re(in [0-9.eE+-]+ s( on|\n))re");
  static const std::regex json_seconds(R"re("(seconds|search_seconds)": ?[0-9.eE+-]+)re");
  text = std::regex_replace(text, table_timing, "in <t> s$1");
  return std::regex_replace(text, json_seconds, "\"$1\": <t>");
}

std::string render(const CliRun& r) {
  return "status: " + std::to_string(r.status) + "\n--- stdout\n" + mask_timings(r.out) + "--- stderr\n" +
         mask_timings(r.err);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class GoldenOutput : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenOutput, IsByteIdenticalToTheKeptOutput) {
  const auto& c = GetParam();
  const std::string path = std::string(TRAINPLAN_GOLDEN_DIR) + "/" + c.name + ".golden";
  const std::string actual = render(run(c.args));
  if (std::getenv("TRAINPLAN_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "regenerated " << path;
  }
  const std::string expected = read_file(path);
  ASSERT_FALSE(expected.empty()) << "no golden output at " << path;
  EXPECT_EQ(actual, expected) << "output of '" << c.name << "' changed";
}

INSTANTIATE_TEST_SUITE_P(ReadmeDocsAndValidate, GoldenOutput, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& case_info) {
                           std::string n = case_info.param.name;
                           for (auto& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

}  // namespace
}  // namespace trainplan::testing
