#pragma once
// An error that becomes an HTTP reply: validators throw it, the server turns it into a JSON
// body {"error": {"status": ..., "message": ...}} so every failure tells the caller what to fix.
#include <stdexcept>
#include <string>

namespace meterd::http {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Shorthand for the most common case, a parameter the caller got wrong.
inline HttpError bad_request(const std::string& message) { return HttpError(400, message); }

}  // namespace meterd::http
