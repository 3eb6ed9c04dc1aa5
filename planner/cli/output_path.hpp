#pragma once
// The files the CLI writes (--report, --svg): refused before opening when the path is a directory,
// a FIFO, a socket or a block device (a FIFO would block the run until something reads it).
#include <string>

namespace trainplan {

// InputError naming the flag and the path when `path` exists and is not a regular file or a
// character device (/dev/null stays allowed).
void check_output_path(const std::string& path, const char* flag);

}  // namespace trainplan
