#include "simulator_progress.hpp"

#include <fstream>
#include <iomanip>

namespace meterd::simulator {

std::optional<SimulatorProgress> SimulatorProgress::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  SimulatorProgress p;
  std::string key;
  if (!(in >> key >> p.until_ms) || key != "until_ms") return std::nullopt;
  std::string meter;
  double wh = 0;
  while (in >> meter >> wh) p.energy_wh[meter] = wh;
  if (p.energy_wh.empty()) return std::nullopt;
  return p;
}

void SimulatorProgress::save(const std::filesystem::path& file) const {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "until_ms " << until_ms << "\n" << std::setprecision(17);
    for (const auto& [meter, wh] : energy_wh) out << meter << " " << wh << "\n";
    if (!out.flush()) return;  // a full disk costs only continuity, never the pipeline
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
}

}  // namespace meterd::simulator
