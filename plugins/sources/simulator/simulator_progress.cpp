#include "simulator_progress.hpp"

#include <fstream>
#include <iomanip>
#include <sstream>

namespace meterd::simulator {

std::optional<SimulatorProgress> SimulatorProgress::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  SimulatorProgress p;
  std::string key;
  if (!(in >> key >> p.until_ms) || key != "until_ms") return std::nullopt;
  // "meter import export"; files of earlier versions have no export column.
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string meter;
    double import_wh = 0, export_wh = 0;
    if (!(fields >> meter >> import_wh)) continue;
    p.energy_wh[meter] = import_wh;
    if (fields >> export_wh) p.export_wh[meter] = export_wh;
  }
  if (p.energy_wh.empty()) return std::nullopt;
  return p;
}

void SimulatorProgress::save(const std::filesystem::path& file) const {
  auto tmp = file;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "until_ms " << until_ms << "\n" << std::setprecision(17);
    for (const auto& [meter, wh] : energy_wh) {
      const auto exported = export_wh.find(meter);
      out << meter << " " << wh << " " << (exported == export_wh.end() ? 0.0 : exported->second) << "\n";
    }
    if (!out.flush()) return;  // a full disk costs only continuity, never the pipeline
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
}

}  // namespace meterd::simulator
