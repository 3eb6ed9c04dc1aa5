#pragma once
// Message sizes for a sweep, as nccl-tests takes them: -b BEGIN -e END -f FACTOR (sizes such as
// 8, 1K, 128M, 8G with binary multiples K=2^10, M=2^20, G=2^30).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trainplan::probe {

// Parses "8", "64K", "128M", "8G" (binary multiples, as nccl-tests' parsesize). nullopt if
// malformed or above 2^50 bytes (1 PiB).
std::optional<std::uint64_t> parse_byte_size(const std::string& text);

// begin, begin*factor, ... up to and including end. factor >= 2; begin <= end; begin > 0.
std::vector<std::uint64_t> geometric_sweep(std::uint64_t begin, std::uint64_t end, std::uint64_t factor);

// Rounds bytes down to a whole number of `granule` bytes (e.g. ranks * element size), the way
// nccl-tests adjusts the count so every rank holds the same number of elements. 0 if smaller.
std::uint64_t round_down_to(std::uint64_t bytes, std::uint64_t granule);

}  // namespace trainplan::probe
