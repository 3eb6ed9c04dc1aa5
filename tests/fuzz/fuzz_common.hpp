#pragma once
// Shared by the libFuzzer harnesses: every loader must either accept an input or refuse it with an
// InputError (exit status 2 in the CLI). Any other exception escapes the harness and libFuzzer
// reports it as a crash, as it does a sanitizer finding, a timeout or running out of memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "planner/io/input_error.hpp"

#define TRAINPLAN_FUZZ_TARGET(...)  /* the body: a braced block, commas allowed */       \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    const std::string text(reinterpret_cast<const char*>(data), size);             \
    try {                                                                           \
      __VA_ARGS__                                                                   \
    } catch (const trainplan::InputError&) {                                        \
    }                                                                               \
    return 0;                                                                       \
  }
