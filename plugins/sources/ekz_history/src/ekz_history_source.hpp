#pragma once
// The ekz_history source: imports history files (myEKZ exports, CKW open data, power series,
// the CII tool's CSV, or any CSV through a column mapping) and returns when all are done, so
// `meterd import` can run it as a one-shot pipeline.
#include <string>
#include <vector>

#include "meterd/csv_table/column_mapping.hpp"
#include "meterd/csv_table/import_summary.hpp"
#include <boost/program_options/options_description.hpp>

#include "meterd/plugin.hpp"

namespace meterd::csv_plugins {

// The plugin's options, for the config schema (and for tests building a context).
void describe_ekz_history_options(boost::program_options::options_description& options);

class EkzHistorySource : public sdk::Source {
 public:
  // Throws std::invalid_argument for unusable options.
  explicit EkzHistorySource(sdk::SourceContext& context);
  // Imports every file; throws std::runtime_error after the last one when any file could not
  // be imported (completely or at all), naming each.
  void run(std::stop_token stop) override;

 private:
  // Imports one file into `summary`; returns an empty string or what went wrong.
  std::string import_file(const std::string& path, std::stop_token stop, csv_table::ImportSummary& summary);

  sdk::SourceContext& context_;
  std::vector<std::string> files_;
  std::string meter_id_;
  std::string format_;
  std::string progress_;
  csv_table::OptionValues mapping_options_;
};

}  // namespace meterd::csv_plugins
