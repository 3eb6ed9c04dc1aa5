// The shared edge checks of planner/io/yaml_fields: ranges before narrowing, whole-document checks
// (duplicate keys, UTF-8, sizes) and the file checks made before reading.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>

#include "planner/io/input_error.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {
namespace {

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

FieldReader reader(const std::string& text) { return FieldReader(parse_yaml_text(text, "f.yaml"), "f.yaml"); }

TEST(EdgeChecks, CountsAreRangeCheckedBeforeNarrowing) {
  EXPECT_EQ(reader("n: 4096").get_int("n", Range{1, 65536}), 4096);
  for (const char* value : {"4294967296", "4294967297", "2147483648", "9223372036854775808", "0", "-1", "1.5", "1e308"}) {
    const std::string error = error_of([&] { reader(std::string("n: ") + value).get_int("n", Range{1, 65536}); });
    EXPECT_NE(error.find("f.yaml: n: expected a whole number from 1 to 65536, got '" + std::string(value) + "'"), std::string::npos)
        << error;
  }
}

TEST(EdgeChecks, NumbersAreBoundedAndFinite) {
  EXPECT_DOUBLE_EQ(reader("x: 989.4").get_number("x", Range{1, 1e5}), 989.4);
  for (const char* value : {"1e-300", "1e308", "1e308T", "nan", ".inf", "-5"})
    EXPECT_NE(error_of([&] { reader(std::string("x: ") + value).get_number("x", Range{1, 1e5}); }).find("f.yaml: x: expected"),
              std::string::npos)
        << value;
}

TEST(EdgeChecks, DuplicateKeysAreRefusedAtAnyDepth) {
  EXPECT_NE(error_of([] { parse_yaml_text("a: 1\nb: 2\na: 3\n", "f.yaml"); }).find("f.yaml: a: given twice"), std::string::npos);
  EXPECT_NE(error_of([] { parse_yaml_text(R"({"m": {"layers": 32, "layers": 64}})", "c.json"); }).find("c.json: m.layers: given twice"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_yaml_text("l: [{a: 1, a: 2}]", "f.yaml"); }).find("l[0].a: given twice"), std::string::npos);
}

TEST(EdgeChecks, TextMustBeValidUtf8) {
  EXPECT_NO_THROW(parse_yaml_text("name: \"Gr\xc3\xb6\xc3\x9f\xc3\xa9\"", "f.yaml"));
  EXPECT_NE(error_of([] { parse_yaml_text("name: \"a\xff\"", "f.yaml"); }).find("f.yaml: name: not valid UTF-8"), std::string::npos);
  EXPECT_NE(error_of([] { parse_yaml_text("name: \"\xed\xa0\x80\"", "f.yaml"); }).find("not valid UTF-8"), std::string::npos);  // a surrogate
}

TEST(EdgeChecks, SizesAndNestingAreBounded) {
  std::string many;
  for (std::size_t i = 0; i <= limits::max_mapping_keys; ++i) many += "k" + std::to_string(i) + ": 1\n";
  EXPECT_NE(error_of([&] { parse_yaml_text(many, "f.yaml"); }).find("more than 10000 keys"), std::string::npos);
  const std::string deep = "a: " + std::string(100, '[') + std::string(100, ']');
  EXPECT_NE(error_of([&] { parse_yaml_text(deep, "f.yaml"); }).find("nested more than 64 levels"), std::string::npos);
  EXPECT_NE(error_of([] { parse_yaml_text("? [a, b]\n: 1\n", "f.yaml"); }).find("a key that is a list or mapping"), std::string::npos);
}

TEST(EdgeChecks, SpecialAndOversizedFilesAreRefusedBeforeReading) {
  EXPECT_NE(error_of([] { read_text_file("/dev/zero"); }).find("/dev/zero: expected a regular file, got a device"), std::string::npos);
  EXPECT_NE(error_of([] { read_text_file("/tmp"); }).find("got a directory"), std::string::npos);
  const std::string fifo = ::testing::TempDir() + "edge_checks_fifo";
  std::remove(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(error_of([&] { read_text_file(fifo); }).find("got a FIFO"), std::string::npos);  // would block forever if opened
  std::remove(fifo.c_str());
  const std::string big = ::testing::TempDir() + "edge_checks_big.yaml";
  { std::ofstream(big).close(); }
  ASSERT_EQ(::truncate(big.c_str(), static_cast<off_t>(limits::max_file_bytes) + 1), 0);
  EXPECT_NE(error_of([&] { read_text_file(big); }).find("more than the 4 MiB"), std::string::npos);
  std::remove(big.c_str());
}

}  // namespace
}  // namespace trainplan
