#pragma once
// Summary statistics over a probe's per-iteration samples (times in microseconds, or any unit).
#include <cstddef>
#include <vector>

namespace trainplan::probe {

struct Summary {
  std::size_t count = 0;
  double median = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double p10 = 0;   // 10th percentile
  double p90 = 0;   // 90th percentile
};

// Percentile q in [0, 1] by linear interpolation between closest ranks (the "linear" method of
// Hyndman & Fan 1996, type 7; numpy's default): position q*(n-1) in the sorted samples.
double percentile(std::vector<double> samples, double q);

// All fields of Summary; an empty input gives count 0 and zeros.
Summary summarize(const std::vector<double>& samples);

}  // namespace trainplan::probe
