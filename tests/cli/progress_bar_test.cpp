// Progress on stderr, driven by a fake clock: lines off a terminal, a bar with the time left on one.
#include <gtest/gtest.h>

#include <sstream>

#include "planner/cli/progress_bar.hpp"

namespace trainplan {

TEST(ProgressLines, ALineEveryTenSecondsWithTheTimeLeftAndOneWhenDone) {
  std::ostringstream err;
  double now = 100;
  {
    ProgressBar progress(err, ProgressBar::Style::lines, [&] { return now; });
    ASSERT_TRUE(progress.enabled());
    progress.show("sweep 8192 GPUs", 0.0);
    now = 105;
    progress.show("sweep 8192 GPUs", 0.05);  // 5 s: no line yet
    EXPECT_EQ(err.str(), "");
    now = 120;
    progress.show("sweep 16384 GPUs", 0.25);  // 20 s for a quarter: 60 s left
    EXPECT_EQ(err.str(), "progress: sweep 16384 GPUs 25% after 20s, about 1m00s left\n");
    now = 125;
    progress.show("sweep 16384 GPUs", 0.3);  // 5 s after the last line: none
    now = 573;
    progress.show("sweep 65536 GPUs", 0.5);
    progress.clear();
  }
  EXPECT_EQ(err.str(),
            "progress: sweep 16384 GPUs 25% after 20s, about 1m00s left\n"
            "progress: sweep 65536 GPUs 50% after 7m53s, about 7m53s left\n"
            "progress: sweep 65536 GPUs done after 7m53s\n");
}

TEST(ProgressLines, AShortJobPrintsNothingAndANewStageIsEstimatedAfresh) {
  std::ostringstream quiet;
  double now = 0;
  {
    ProgressBar progress(quiet, ProgressBar::Style::lines, [&] { return now; });
    progress.show("searching", 0.0);
    now = 9;
    progress.show("searching", 1.0);
  }
  EXPECT_EQ(quiet.str(), "");

  std::ostringstream err;
  now = 0;
  ProgressBar progress(err, ProgressBar::Style::lines, [&] { return now; });
  progress.show("searching 1024 GPUs", 0.0);
  now = 30;
  progress.show("searching 1024 GPUs", 0.9);
  progress.show("searching 2048 GPUs", 0.0);  // the next count: its own stage
  now = 40;
  progress.show("searching 2048 GPUs", 0.5);  // 10 s for half of this stage: 10 s left
  EXPECT_NE(err.str().find("progress: searching 2048 GPUs 50% after 40s, about 10s left\n"), std::string::npos) << err.str();
}

TEST(ProgressBarOnATerminal, ShowsTheTimeLeftOnceItCanBeTold) {
  std::ostringstream err;
  double now = 0;
  ProgressBar bar(err, ProgressBar::Style::bar, [&] { return now; });
  bar.show("searching", 0.0);
  EXPECT_EQ(err.str().find("left"), std::string::npos);
  now = 30;
  bar.show("searching", 0.75);
  EXPECT_NE(err.str().find("] 75%, about 10s left"), std::string::npos) << err.str();
  bar.clear();
  EXPECT_EQ(err.str().substr(err.str().size() - 4), "\r\033[K");
}

TEST(ProgressBarOnATerminal, OtherStreamsGetNothing) {
  std::ostringstream err;
  ProgressBar bar(err);
  EXPECT_FALSE(bar.enabled());
  bar.show("searching", 0.5);
  EXPECT_EQ(err.str(), "");
}

TEST(ProgressText, DurationsAndTimeLeft) {
  EXPECT_EQ(duration_text(12.4), "12s");
  EXPECT_EQ(duration_text(473), "7m53s");
  EXPECT_EQ(duration_text(7500), "2h05m");
  EXPECT_DOUBLE_EQ(seconds_left(20, 0.25), 60);
  EXPECT_LT(seconds_left(20, 0.001), 0);  // too little done to tell
  EXPECT_LT(seconds_left(0.5, 0.5), 0);
}

}  // namespace trainplan
