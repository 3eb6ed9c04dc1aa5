#include "result_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
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

// Refuses an existing path that is not a regular file (lstat: a symbolic link is refused too).
void require_regular_or_absent(const std::string& path, const std::string& shown) {
  struct stat info {};
  if (lstat(path.c_str(), &info) != 0) return;  // absent: it will be created
  if (S_ISREG(info.st_mode)) return;
  const char* what = S_ISDIR(info.st_mode) ? "a directory" : S_ISFIFO(info.st_mode) ? "a FIFO" : S_ISLNK(info.st_mode) ? "a symbolic link"
                     : S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)                 ? "a device"
                                                                                        : "not a regular file";
  throw std::runtime_error("cannot write the result file " + shown + " (" + path + " is " + what +
                           "; results are written only to regular files: give a file path)");
}

// The signal handler's copy of the file: path, its .partial, and the document as it would read
// after a signal. Two slots, swapped by the writer; the handler reads the current one.
struct SignalCopy {
  std::string path, partial, text, message;
};
SignalCopy g_copies[2];
std::atomic<int> g_current{-1};   // -1: no file to rewrite
std::atomic<int> g_open_files{0};

extern "C" void write_on_signal(int signal_number) {
  const int slot = g_current.load();
  if (slot >= 0) {
    const SignalCopy& copy = g_copies[slot];
    const int fd = ::open(copy.partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
    if (fd >= 0) {
      std::size_t written = 0;
      while (written < copy.text.size()) {
        const ssize_t n = ::write(fd, copy.text.data() + written, copy.text.size() - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
      }
      ::close(fd);
      if (written == copy.text.size()) ::rename(copy.partial.c_str(), copy.path.c_str());
    }
    if (::write(STDERR_FILENO, copy.message.data(), copy.message.size()) < 0) {
      // nothing more can be done inside a signal handler
    }
  }
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_signal_handlers() {
  for (int s : {SIGTERM, SIGINT, SIGHUP}) {
    struct sigaction action {};
    action.sa_handler = write_on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(s, &action, nullptr);
  }
}

}  // namespace

void check_result_path(const std::string& path) {
  if (path.empty()) return;
  const std::string partial = path + ".partial";
  require_regular_or_absent(path, path);
  require_regular_or_absent(partial, path);
  std::FILE* probe = std::fopen(partial.c_str(), "w");
  if (!probe) cannot_write(path, "in " + directory_of(path), errno);
  std::fclose(probe);
  std::remove(partial.c_str());
}

ResultFile::ResultFile(std::string path, nlohmann::json header) : path_(std::move(path)), document_(std::move(header)) {
  document_["schema"] = kProbeSchema;
  document_["complete"] = false;
  document_["results"] = nlohmann::json::array();
  if (!path_.empty() && g_open_files.fetch_add(1) == 0) install_signal_handlers();
  write();
}

ResultFile::~ResultFile() {
  if (path_.empty()) return;
  g_current.store(-1);
  g_open_files.fetch_sub(1);
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

void ResultFile::write() {
  if (path_.empty()) return;
  const std::string partial = path_ + ".partial";
  require_regular_or_absent(path_, path_);
  require_regular_or_absent(partial, path_);
  {
    std::ofstream out(partial, std::ios::trunc);
    if (!out) cannot_write(path_, "creating " + partial, errno);
    out << document_.dump(2) << '\n';
    if (!out.flush()) cannot_write(path_, "writing " + partial, errno);
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0) cannot_write(path_, "renaming " + partial, errno);
  // What a signal would leave: this document, incomplete, with the signal's error unless it has one.
  nlohmann::json on_signal = document_;
  on_signal["complete"] = false;
  if (!on_signal.contains("error")) on_signal["error"] = kSignalError;
  const int next = g_current.load() == 0 ? 1 : 0;
  g_copies[next] = SignalCopy{path_, partial, on_signal.dump(2) + "\n",
                             "trainplan-probe: ended by a signal before finishing; the results measured so far are in " + path_ +
                                 " (\"complete\": false)\n"};
  g_current.store(next);
}

}  // namespace trainplan::probe
