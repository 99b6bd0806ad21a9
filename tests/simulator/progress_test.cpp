// Where the simulator left off: both registers of each meter survive a restart, and a file
// written before export registers existed still continues its import registers.
#include <gtest/gtest.h>

#include <fstream>

#include "simulator_progress.hpp"
#include "temp_dir.hpp"

using meterd::simulator::SimulatorProgress;

TEST(SimulatorProgress, KeepsImportAndExportRegistersAndReadsTheOlderFormat) {
  meterd::test_support::TempDir dir;
  const auto file = dir.path() / "simulator-progress";
  SimulatorProgress p;
  p.until_ms = 1'700'000'000'000;
  p.energy_wh = {{"grid", 1234.5678901234}, {"pv", 0}};
  p.export_wh = {{"grid", 42.25}, {"pv", 98765.4321}};
  p.save(file);
  const auto back = SimulatorProgress::load(file);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->until_ms, p.until_ms);
  EXPECT_EQ(back->energy_wh, p.energy_wh);
  EXPECT_EQ(back->export_wh, p.export_wh);

  std::ofstream(file) << "until_ms 5\nhouse 100.5\nheat_pump 7\n";
  const auto old = SimulatorProgress::load(file);
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->energy_wh.at("house"), 100.5);
  EXPECT_EQ(old->energy_wh.at("heat_pump"), 7);
  EXPECT_TRUE(old->export_wh.empty());
}
