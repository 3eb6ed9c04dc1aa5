#include "size_sweep.hpp"

#include <cctype>
#include <stdexcept>

namespace trainplan::probe {

std::optional<std::uint64_t> parse_byte_size(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t multiplier = 1;
  std::string digits = text;
  switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'K': multiplier = 1ull << 10; break;
    case 'M': multiplier = 1ull << 20; break;
    case 'G': multiplier = 1ull << 30; break;
    case 'T': multiplier = 1ull << 40; break;
    default: break;
  }
  if (multiplier != 1) digits.pop_back();
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (value > (1ull << 50)) return std::nullopt;
  }
  // At most 2^50 bytes (1 PiB): far beyond any buffer, and no overflow below.
  if (value > (1ull << 50) / multiplier) return std::nullopt;
  return value * multiplier;
}

std::vector<std::uint64_t> geometric_sweep(std::uint64_t begin, std::uint64_t end, std::uint64_t factor) {
  if (begin == 0) throw std::invalid_argument("the first size (-b) must be at least 1 byte");
  if (end < begin) throw std::invalid_argument("the last size (-e) must not be below the first (-b)");
  if (factor < 2) throw std::invalid_argument("the size factor (-f) must be at least 2");
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t size = begin; size <= end; size *= factor) {
    sizes.push_back(size);
    if (size > end / factor) break;
  }
  return sizes;
}

std::uint64_t round_down_to(std::uint64_t bytes, std::uint64_t granule) {
  if (granule == 0) return bytes;
  return bytes / granule * granule;
}

}  // namespace trainplan::probe
