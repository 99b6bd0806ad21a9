#include "seen_ids.hpp"

#include <fstream>
#include <system_error>

namespace meterd::mqtt_source {

SeenIds::SeenIds(std::filesystem::path file, std::size_t capacity) : file_(std::move(file)), capacity_(capacity) {
  std::ifstream in(file_);
  std::string id;
  while (std::getline(in, id)) {
    ++lines_in_file_;
    if (!id.empty()) admit(id);
  }
  unsaved_.clear();
}

bool SeenIds::admit(const std::string& id) {
  if (capacity_ == 0) return true;
  if (!ids_.insert(id).second) return false;
  order_.push_back(id);
  if (id.find('\n') == std::string::npos) unsaved_.push_back(id);
  while (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

void SeenIds::save() {
  if (unsaved_.empty()) return;
  if (lines_in_file_ + unsaved_.size() <= 2 * capacity_) {
    std::ofstream out(file_, std::ios::app);
    for (const auto& id : unsaved_) out << id << '\n';
    lines_in_file_ += unsaved_.size();
    unsaved_.clear();
    return;
  }
  unsaved_.clear();
  lines_in_file_ = order_.size();
  const auto temporary = file_.string() + ".new";
  {
    std::ofstream out(temporary, std::ios::trunc);
    for (const auto& id : order_) out << id << '\n';
    if (!out) return;  // the old file stays; duplicates after a restart are then only fewer dropped
  }
  std::error_code ignored;
  std::filesystem::rename(temporary, file_, ignored);
}

}  // namespace meterd::mqtt_source
