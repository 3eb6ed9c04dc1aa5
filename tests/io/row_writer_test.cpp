#include "planner/io/row_writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "planner/io/number_text.hpp"

namespace trainplan {

TEST(CsvCell, QuotesOnlyCellsHoldingACommaAQuoteOrALineBreak) {
  EXPECT_EQ(csv_cell("meta-roce-24k"), "meta-roce-24k");
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("fabric.nic_gbit_s=800;fabric.x=1"), "fabric.nic_gbit_s=800;fabric.x=1");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
}

TEST(WriteRows, CsvRowsAreCommaSeparatedAndTableColumnsRightAligned) {
  std::ostringstream csv, table;
  const TextRows rows = {{"gpus", "problem"}, {"8", "none fits, at all"}};
  write_rows(rows, true, csv);
  EXPECT_EQ(csv.str(), "gpus,problem\n8,\"none fits, at all\"\n");
  write_rows(rows, false, table);
  EXPECT_EQ(table.str(), "gpus            problem\n   8  none fits, at all\n");
}

TEST(FixedDecimals, RoundsToTheGivenDecimals) {
  EXPECT_EQ(fixed_decimals(3.14159, 2), "3.14");
  EXPECT_EQ(fixed_decimals(2.5, 0), "2");  // printf rounds half to even
  EXPECT_EQ(fixed_decimals(-0.04, 1), "-0.0");
}

}  // namespace trainplan
