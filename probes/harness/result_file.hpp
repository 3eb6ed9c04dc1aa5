#pragma once
// A probe result file (schema trainplan-probe/1), written whole after every result so that what
// was measured before a crash, a timeout or a failing rank survives on disk ("complete": false).
#include <nlohmann/json.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace trainplan::probe {

inline constexpr const char* kProbeSchema = "trainplan-probe/1";

// Throws std::runtime_error naming `path` and the reason when a result file cannot be written
// there (missing directory, no permission), or when PATH or PATH.partial exists and is not a
// regular file (a device such as /dev/null, a FIFO, a directory, a symbolic link): the file is
// replaced by a rename, which would put a regular file in a device's place. Creates and removes
// PATH.partial to find out.
void check_result_path(const std::string& path);

// While a ResultFile with a path exists, SIGTERM, SIGINT and SIGHUP (a launcher ending the job
// after a rank died, a batch system's time limit, Ctrl-C) first rewrite the file with
// "complete": false and an "error" saying so, from a copy rendered after every write (the handler
// only calls open/write/rename), then end the process as the signal would.
inline constexpr const char* kSignalError =
    "the job was ended by a signal (SIGTERM, SIGINT or SIGHUP) before it finished: a rank failed or was killed and the launcher "
    "ended the others, or the batch system or a user stopped the job";

class ResultFile {
 public:
  // `header` holds schema, probe, provenance and settings; "results" and "complete" are added.
  // An empty path writes nothing (ranks other than 0, or no --json).
  ResultFile(std::string path, nlohmann::json header);
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  void append(nlohmann::json result);       // adds one result and rewrites the file
  void append_all(std::vector<nlohmann::json> results);  // adds several, rewrites the file once
  void note(const std::string& key, nlohmann::json value);  // e.g. skipped groups
  void merge_provenance(const nlohmann::json& patch);       // e.g. {"gpu": ..., "versions": ...}
  void finish();                            // "complete": true
  void fail(const std::string& error);      // "complete": false, "error": message
  // fail() from another thread (the watchdog, just before it aborts the job): gives up, returning
  // false, when the file is busy for longer than `wait`; never throws.
  bool try_fail(const std::string& error, std::chrono::milliseconds wait) noexcept;
  const nlohmann::json& document() const { return document_; }
  const std::string& path() const { return path_; }

 private:
  void write();  // to PATH.partial, then rename over PATH (a reader never sees half a file)
  std::string path_;
  nlohmann::json document_;
  std::timed_mutex mutex_;   // the probe's thread and the watchdog's
};

}  // namespace trainplan::probe
