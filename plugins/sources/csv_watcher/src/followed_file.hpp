#pragma once
// One CSV file being followed: an open descriptor, the reader with its position, and the
// checks that notice truncation (the file got shorter than what was read) and replacement
// (the first line changed). Bytes after the last newline wait for their newline.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "file_position_store.hpp"
#include "meterd/csv_table/table_reader.hpp"

namespace meterd::csv_plugins {

// What a followed file reports to the source.
class FileEvents {
 public:
  virtual ~FileEvents() = default;
  virtual void row(const std::string& path, const csv_table::TableRow& row) = 0;
  virtual void bad_line(const std::string& path, std::uint64_t line, const csv_table::RowProblem& problem) = 0;
  virtual void notice(const std::string& path, std::string_view code, std::string_view message) = 0;
};

class FollowedFile {
 public:
  // Takes ownership of `fd`. Resumes at `saved` when given and still valid for this file.
  FollowedFile(std::string path, int fd, FileKey key, const csv_table::TableMapping& mapping,
               std::shared_ptr<const TimeZone> zone, FileEvents& events, const SavedPosition* saved);
  ~FollowedFile();
  FollowedFile(const FollowedFile&) = delete;
  FollowedFile& operator=(const FollowedFile&) = delete;

  // Reads everything the file holds now and hands complete lines on. False on a read error
  // (reported) - the caller then drops the file.
  bool read_available();

  const std::string& path() const { return path_; }
  void rename(std::string path) { path_ = std::move(path); }
  const FileKey& key() const { return key_; }
  SavedPosition saved_position() const;
  // True when what was handled changed since the last call (so the position should be saved).
  bool take_dirty();

 private:
  class Forwarder : public csv_table::TableReader::Handler {
   public:
    explicit Forwarder(FollowedFile& file) : file_(file) {}
    void row(const csv_table::TableRow& row) override { file_.events_.row(file_.path_, row); }
    void bad_line(std::uint64_t line, const csv_table::RowProblem& p, std::string_view) override {
      file_.events_.bad_line(file_.path_, line, p);
    }

   private:
    FollowedFile& file_;
  };
  void restart(std::string_view code, std::string_view why);

  std::string path_;
  int fd_;
  FileKey key_;
  const csv_table::TableMapping& mapping_;
  std::shared_ptr<const TimeZone> zone_;
  FileEvents& events_;
  Forwarder forwarder_;
  std::unique_ptr<csv_table::TableReader> reader_;
  std::uint64_t read_offset_ = 0;  // next byte to read: handled lines plus the pending tail
  std::uint64_t first_line_hash_ = 0;
  bool dirty_ = false;
};

}  // namespace meterd::csv_plugins
