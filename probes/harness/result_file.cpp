#include "result_file.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace trainplan::probe {

ResultFile::ResultFile(std::string path, nlohmann::json header) : path_(std::move(path)), document_(std::move(header)) {
  document_["schema"] = kProbeSchema;
  document_["complete"] = false;
  document_["results"] = nlohmann::json::array();
  write();
}

void ResultFile::append(nlohmann::json result) {
  document_["results"].push_back(std::move(result));
  write();
}

void ResultFile::note(const std::string& key, nlohmann::json value) {
  document_["notes"][key] = std::move(value);
  write();
}

void ResultFile::merge_provenance(const nlohmann::json& patch) {
  document_["provenance"].merge_patch(patch);
  write();
}

void ResultFile::finish() {
  document_["complete"] = true;
  write();
}

void ResultFile::fail(const std::string& error) {
  document_["complete"] = false;
  document_["error"] = error;
  write();
}

void ResultFile::write() const {
  if (path_.empty()) return;
  const std::string partial = path_ + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write the result file " + partial);
    out << document_.dump(2) << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write the result file " + partial);
  }
  if (std::rename(partial.c_str(), path_.c_str()) != 0)
    throw std::runtime_error("cannot move " + partial + " to " + path_);
}

}  // namespace trainplan::probe
