#include "answer_cache.hpp"

namespace meterd::dashboard {

void AnswerCache::forget_older_locked(std::uint64_t generation) {
  if (generation <= generation_) return;
  entries_.clear();
  order_.clear();
  bytes_ = 0;
  generation_ = generation;
}

std::shared_ptr<const std::string> AnswerCache::get(const std::string& key, std::uint64_t generation,
                                                    const std::function<std::string()>& make) {
  {
    std::lock_guard lock(mutex_);
    forget_older_locked(generation);
    if (generation == generation_) {
      if (auto it = entries_.find(key); it != entries_.end()) return it->second;
    }
  }
  // Made outside the lock: other answers are served meanwhile.
  auto body = std::make_shared<const std::string>(make());
  std::lock_guard lock(mutex_);
  forget_older_locked(generation);
  if (generation != generation_ || body->size() > max_bytes_ || entries_.count(key)) return body;
  while (bytes_ + body->size() > max_bytes_ && !order_.empty()) {
    auto it = entries_.find(order_.front());
    bytes_ -= it->second->size();
    entries_.erase(it);
    order_.pop_front();
  }
  order_.push_back(key);
  entries_.emplace(key, body);
  bytes_ += body->size();
  return body;
}

std::size_t AnswerCache::entries() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace meterd::dashboard
