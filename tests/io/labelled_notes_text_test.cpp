#include "planner/io/labelled_notes_text.hpp"

#include <gtest/gtest.h>

namespace trainplan {

// A note every plan has is said once; one that only some have names them, in the order listed; a
// plan that repeats a label (compare over the same fabric twice) still counts as a plan of its own.
TEST(LabelledNotesText, SharedNotesOnceOthersNameTheirPlans) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> plans = {
      {"1", {"shared", "only one and three"}}, {"2", {"shared"}}, {"3", {"only one and three", "shared"}}};
  const std::vector<std::string> lines = labelled_notes_lines(plans, "plans");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "note: shared");
  EXPECT_EQ(lines[1], "note (plans 1, 3): only one and three");

  const std::vector<std::pair<std::string, std::vector<std::string>>> same_label = {{"ndr", {"n"}}, {"ndr", {}}};
  EXPECT_EQ(labelled_notes_lines(same_label, "variants"), std::vector<std::string>{"note (variants ndr): n"});
  EXPECT_TRUE(labelled_notes_lines({}, "plans").empty());
  EXPECT_TRUE(labelled_notes_lines({{"1", {}}}, "plans").empty());
}

}  // namespace trainplan
