#include "output_path.hpp"

#include <filesystem>

#include "planner/io/input_error.hpp"

namespace trainplan {

void check_output_path(const std::string& path, const char* flag) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return;  // a new file: the open says whether it can be written
  if (fs::is_regular_file(status) || fs::is_character_file(status)) return;
  const char* what = fs::is_directory(status) ? "a directory" : fs::is_fifo(status) ? "a FIFO" : fs::is_socket(status) ? "a socket" : "not a regular file";
  throw InputError(std::string(flag) + " " + path, "", std::string("is ") + what + ", expected a file to write");
}

}  // namespace trainplan
