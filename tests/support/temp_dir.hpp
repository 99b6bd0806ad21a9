#pragma once
// A fresh folder under the system temp directory, removed with everything in it.
#include <filesystem>

namespace meterd::test_support {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace meterd::test_support
