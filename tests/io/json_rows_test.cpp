// json_array_rows: a JSON report with an array of records as CSV rows whose headers are the JSON keys.
#include <gtest/gtest.h>

#include <sstream>

#include "planner/io/json_rows.hpp"

namespace trainplan {

TEST(JsonArrayRows, OneRowPerRecordHeadersAreTheKeysAndCellsAreQuoted) {
  const nlohmann::json j = {{"topology", "Spectrum-X, 400G"},
                            {"gpus", 64},
                            {"nested", {{"left", "out"}}},
                            {"tiers", {{{"name", "leaf"}, {"switches", 2}}, {{"name", "spine"}, {"switches", 1}, {"extra", nullptr}}}}};
  const TextRows rows = json_array_rows(j, "tiers");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"gpus", "topology", "tiers.name", "tiers.switches", "tiers.extra"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"64", "Spectrum-X, 400G", "leaf", "2", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"64", "Spectrum-X, 400G", "spine", "1", ""}));
  std::ostringstream csv;
  write_rows(rows, true, csv);
  EXPECT_NE(csv.str().find("64,\"Spectrum-X, 400G\",leaf,2,\n"), std::string::npos) << csv.str();
}

TEST(JsonArrayRows, NoArrayGivesTheHeaderOnly) {
  const TextRows rows = json_array_rows({{"gpus", 8}}, "tiers");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], std::vector<std::string>{"gpus"});
}

}  // namespace trainplan
