#include "result_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace trainplan::probe {

namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void cannot_write(const std::string& path, const std::string& what, int error) {
  throw std::runtime_error("cannot write the result file " + path + " (" + what + ": " + std::strerror(error) + ")");
}

}  // namespace

void check_result_path(const std::string& path) {
  if (path.empty()) return;
  const std::string partial = path + ".partial";
  std::FILE* probe = std::fopen(partial.c_str(), "w");
  if (!probe) cannot_write(path, "in " + directory_of(path), errno);
  std::fclose(probe);
  std::remove(partial.c_str());
}

ResultFile::ResultFile(std::string path, nlohmann::json header) : path_(std::move(path)), document_(std::move(header)) {
  document_["schema"] = kProbeSchema;
  document_["complete"] = false;
  document_["results"] = nlohmann::json::array();
  write();
}

void ResultFile::append(nlohmann::json result) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  document_["results"].push_back(std::move(result));
  write();
}

void ResultFile::append_all(std::vector<nlohmann::json> results) {
  if (results.empty()) return;
  std::lock_guard<std::timed_mutex> lock(mutex_);
  for (auto& result : results) document_["results"].push_back(std::move(result));
  write();
}

void ResultFile::note(const std::string& key, nlohmann::json value) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  document_["notes"][key] = std::move(value);
  write();
}

void ResultFile::merge_provenance(const nlohmann::json& patch) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  document_["provenance"].merge_patch(patch);
  write();
}

void ResultFile::finish() {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  document_["complete"] = true;
  write();
}

void ResultFile::fail(const std::string& error) {
  std::lock_guard<std::timed_mutex> lock(mutex_);
  document_["complete"] = false;
  document_["error"] = error;
  write();
}

bool ResultFile::try_fail(const std::string& error, std::chrono::milliseconds wait) noexcept {
  std::unique_lock<std::timed_mutex> lock(mutex_, std::defer_lock);
  if (!lock.try_lock_for(wait)) return false;
  try {
    document_["complete"] = false;
    document_["error"] = error;
    write();
    return true;
  } catch (...) {
    return false;
  }
}

void ResultFile::write() const {
  if (path_.empty()) return;
  const std::string partial = path_ + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    if (!out) cannot_write(path_, "creating " + partial, errno);
    out << document_.dump(2) << '\n';
    if (!out.flush()) cannot_write(path_, "writing " + partial, errno);
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0) cannot_write(path_, "renaming " + partial, errno);
}

}  // namespace trainplan::probe
