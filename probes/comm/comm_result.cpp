#include "comm_result.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "comm_backend.hpp"
#include "harness/summary_json.hpp"

namespace trainplan::probe {

std::optional<Collective> collective_from_name(const std::string& name) {
  for (Collective kind : {Collective::all_reduce, Collective::reduce_scatter, Collective::all_gather,
                          Collective::all_to_all, Collective::send_recv})
    if (name == to_string(kind)) return kind;
  return std::nullopt;
}

std::uint64_t collective_bytes(Collective kind, std::uint64_t size, int ranks) {
  const auto n = static_cast<std::uint64_t>(ranks > 0 ? ranks : 1);
  if (kind == Collective::all_reduce || kind == Collective::send_recv) return size / sizeof(float) * sizeof(float);
  constexpr std::uint64_t kChunkAlignment = 16;
  return size / (n * kChunkAlignment) * (n * kChunkAlignment);
}

double algorithm_bandwidth_gb_s(std::uint64_t bytes, double seconds) {
  return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e9 : 0.0;
}

nlohmann::json comm_point_json(const CommPoint& point) {
  std::vector<double> microseconds;
  microseconds.reserve(point.iteration_seconds.size());
  for (double s : point.iteration_seconds) microseconds.push_back(s * 1e6);
  const Summary time_us = summarize(microseconds);
  const double factor = bus_bandwidth_factor(point.collective, point.group_ranks);
  const double algbw = algorithm_bandwidth_gb_s(point.bytes, time_us.median * 1e-6);
  const double algbw_best = algorithm_bandwidth_gb_s(point.bytes, time_us.min * 1e-6);
  nlohmann::json row = {{"collective", to_string(point.collective)},
                        {"group", point.group},
                        {"group_id", point.group_id.empty() ? point.group : point.group_id},
                        {"level", point.level},
                        {"group_ranks", point.group_ranks},
                        {"ranks_per_node", point.ranks_per_node},
                        {"bytes", point.bytes},
                        {"count", point.count},
                        {"dtype", point.dtype},
                        {"batch", point.batch},
                        {"time_us", summary_json(time_us)},
                        {"algbw_gb_s", algbw},
                        {"busbw_gb_s", algbw * factor},
                        {"busbw_gb_s_max", algbw_best * factor},
                        {"iterations_us", microseconds}};
  if (!point.host.empty()) row["host"] = point.host;
  if (point.rail >= 0) row["rail"] = point.rail;
  if (point.wrong_elements >= 0) row["nwrong"] = point.wrong_elements;
  row["placement"] = point.placement;
  return row;
}

std::vector<std::string> slow_groups(const std::vector<nlohmann::json>& rows, double factor) {
  std::vector<std::string> slow;
  if (rows.size() < 3) return slow;
  std::vector<double> busbw;
  for (const auto& row : rows) busbw.push_back(row.value("busbw_gb_s", 0.0));
  std::vector<double> sorted = busbw;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  if (!(median > 0)) return slow;
  auto fixed1 = [](double v) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(1) << v;
    return text.str();
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (busbw[i] >= factor * median) continue;
    slow.push_back(rows[i].value("collective", std::string("?")) + " " + std::to_string(rows[i].value("bytes", std::uint64_t{0})) +
                   " bytes: " + rows[i].value("group_id", std::string("?")) + " at " + fixed1(busbw[i]) + " GB/s, " +
                   fixed1(100.0 * busbw[i] / median) + "% of the median of " + std::to_string(n) + " groups (" + fixed1(median) + " GB/s)");
  }
  return slow;
}

std::vector<nlohmann::json> gathered_rows(const std::vector<std::string>& texts) {
  std::vector<nlohmann::json> rows;
  for (std::size_t rank = 0; rank < texts.size(); ++rank) {
    if (texts[rank].empty()) continue;
    nlohmann::json row = nlohmann::json::parse(texts[rank], nullptr, false);
    if (!row.is_object())
      throw std::runtime_error("the result gathered from rank " + std::to_string(rank) + " is not a JSON object");
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace trainplan::probe
