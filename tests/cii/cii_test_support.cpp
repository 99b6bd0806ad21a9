#include "cii_test_support.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "meterd/dlms/dlms_keys.hpp"
#include "meterd/dlms/e450_push_encoder.hpp"
#include "meterd/time_zone.hpp"
#include "meterd/transport/serial_port.hpp"

namespace po = boost::program_options;

namespace meterd::cii_test {

RecordingContext::RecordingContext(void (*describe)(po::options_description&),
                                   const std::multimap<std::string, std::string>& settings, std::string name)
    : name_(std::move(name)), section_("source." + name_) {
  po::options_description desc;
  describe(desc);
  po::parsed_options parsed(&desc);
  for (const auto& [key, value] : settings) parsed.options.emplace_back(key, std::vector<std::string>{value});
  po::store(parsed, options_);
  po::notify(options_);
}

void RecordingContext::log(sdk::Level, std::string_view message) {
  std::lock_guard lock(mutex_);
  logs_.emplace_back(message);
  changed_.notify_all();
}

bool RecordingContext::wait_for_log(const std::string& text, std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t seen = 0;
    for (const auto& l : logs_) seen += l.find(text) != std::string::npos;
    return seen >= n;
  });
}

void RecordingContext::diagnostic(sdk::Level level, std::string_view code, std::string_view message,
                                  std::string_view meter_id) {
  std::lock_guard lock(mutex_);
  diagnostics_.push_back({level, std::string(code), std::string(message), std::string(meter_id)});
  changed_.notify_all();
}

std::shared_ptr<const TimeZone> RecordingContext::time_zone() const { return TimeZone::load("Europe/Zurich"); }

bool RecordingContext::publish(v1::Reading&& reading) {
  std::lock_guard lock(mutex_);
  readings_.push_back(std::move(reading));
  changed_.notify_all();
  return true;
}

std::vector<v1::Reading> RecordingContext::readings() const {
  std::lock_guard lock(mutex_);
  return readings_;
}

std::size_t RecordingContext::reading_count() const {
  std::lock_guard lock(mutex_);
  return readings_.size();
}

std::vector<SeenDiagnostic> RecordingContext::diagnostics() const {
  std::lock_guard lock(mutex_);
  return diagnostics_;
}

std::size_t RecordingContext::count_code(const std::string& code) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& d : diagnostics_) n += d.code == code;
  return n;
}

bool RecordingContext::wait_for_readings(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return readings_.size() >= n; });
}

bool RecordingContext::wait_for_code(const std::string& code, std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t seen = 0;
    for (const auto& d : diagnostics_) seen += d.code == code;
    return seen >= n;
  });
}

std::string RecordingContext::dump_diagnostics() const {
  std::lock_guard lock(mutex_);
  std::string s;
  for (const auto& d : diagnostics_) s += d.code + ": " + d.message + "\n";
  return s;
}

RunningSource::RunningSource(std::unique_ptr<sdk::Source> source) : source_(std::move(source)) {
  thread_ = std::jthread([this](std::stop_token stop) {
    source_->run(stop);
    finished_ = true;
  });
}

RunningSource::~RunningSource() { stop(); }

void RunningSource::stop() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

bool RunningSource::wait_finished(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!finished_) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

PtyPair::PtyPair(const std::filesystem::path& link) {
  char name[256] = {};
  if (::openpty(&master_, &slave_, name, nullptr, nullptr) != 0) throw std::runtime_error("openpty failed");
  slave_path_ = name;
  transport::apply_serial_settings(slave_, transport::parse_serial_settings("2400 8E1"), slave_path_);
  if (!link.empty()) {
    std::filesystem::remove(link);
    std::filesystem::create_symlink(slave_path_, link);
  }
}

PtyPair::~PtyPair() { unplug(); }

void PtyPair::write(const std::vector<std::uint8_t>& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("write to pty master failed");
    done += static_cast<std::size_t>(n);
  }
}

void PtyPair::unplug() {
  if (master_ >= 0) ::close(master_);
  if (slave_ >= 0) ::close(slave_);
  master_ = slave_ = -1;
}

unsigned PtyPair::current_baud() const {
  termios t{};
  if (::tcgetattr(slave_, &t) != 0) throw std::runtime_error("tcgetattr on the pty failed");
  switch (::cfgetispeed(&t)) {
    case B2400: return 2400;
    case B9600: return 9600;
    case B115200: return 115200;
    default: return 0;
  }
}

PushValues push_values(std::uint32_t i) {
  return {100000 + 7 * i, 500 + 10 * i, static_cast<std::uint16_t>(220 + i % 20)};
}

std::vector<std::uint8_t> e450_push(std::uint32_t i, const std::string& meter_id, const std::string& key) {
  const PushValues v = push_values(i);
  dlms::E450Readings r;
  r.logical_device_name = meter_id;
  r.clock.year = 2026;
  r.clock.month = 1;
  r.clock.day = 15;
  r.clock.weekday = 4;
  r.clock.hour = 10;
  r.clock.minute = static_cast<int>(i / 60 % 60);
  r.clock.second = static_cast<int>(i % 60);
  r.clock.hundredths = 0;
  r.clock.status = 0x00;
  r.active_energy_import_wh = v.energy_wh;
  r.active_power_import_w = v.power_w;
  r.voltage_v[0] = v.voltage_l1;
  r.voltage_v[1] = 231;
  r.voltage_v[2] = 232;
  r.current_centiamp[0] = 123;
  dlms::E450EncoderOptions options;
  if (!key.empty()) {
    options.encryption_key = dlms::parse_aes_key(key);
    options.security_control = 0x20;
  }
  dlms::E450Push push;
  push.invoke_id = i + 1;
  push.frame_counter = i + 1;
  push.items = dlms::vse2026_e450_items(r);
  return dlms::E450PushEncoder(options).encode(push);
}

double value_of(const v1::Reading& r, const std::string& obis) {
  for (const auto& v : r.values())
    if (v.obis() == obis) return v.value_case() == v1::Value::kText ? NAN : v.number();
  return NAN;
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("meterd-cii-" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace meterd::cii_test
