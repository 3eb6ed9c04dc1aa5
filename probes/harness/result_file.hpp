#pragma once
// A probe result file (schema trainplan-probe/1), written whole after every result so that what
// was measured before a crash, a timeout or a failing rank survives on disk ("complete": false).
#include <nlohmann/json.hpp>

#include <string>

namespace trainplan::probe {

inline constexpr const char* kProbeSchema = "trainplan-probe/1";

class ResultFile {
 public:
  // `header` holds schema, probe, provenance and settings; "results" and "complete" are added.
  // An empty path writes nothing (ranks other than 0, or no --json).
  ResultFile(std::string path, nlohmann::json header);

  void append(nlohmann::json result);       // adds one result and rewrites the file
  void note(const std::string& key, nlohmann::json value);  // e.g. skipped groups
  void merge_provenance(const nlohmann::json& patch);       // e.g. {"gpu": ..., "versions": ...}
  void finish();                            // "complete": true
  void fail(const std::string& error);      // "complete": false, "error": message
  const nlohmann::json& document() const { return document_; }

 private:
  void write() const;  // to PATH.partial, then rename over PATH (a reader never sees half a file)
  std::string path_;
  nlohmann::json document_;
};

}  // namespace trainplan::probe
