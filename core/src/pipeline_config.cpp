#include "meterd/runtime/pipeline_config.hpp"

#include <boost/program_options.hpp>
#include <map>
#include <sstream>

#include "meterd/option_checks.hpp"
#include "meterd/runtime/bus_endpoint.hpp"
#include "meterd/runtime/bus_keys.hpp"
#include "meterd/time_zone.hpp"

namespace po = boost::program_options;

namespace meterd {
namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    out.push_back(item.substr(b, item.find_last_not_of(" \t") - b + 1));
  }
  return out;
}

std::string where(const ConfigFile& f, int line, const std::string& section) {
  return f.path + ":" + std::to_string(line) + ": [" + section + "] ";
}

std::string known_options(const po::options_description& desc) {
  std::string s;
  for (const auto& o : desc.options()) s += (s.empty() ? "" : ", ") + o->long_name();
  return s;
}

// Stores one section's entries into `vm` using `desc`, translating Program_options errors
// into messages with file, line, section and option.
void store_section(const ConfigFile& f, const ConfigSection& sec, const po::options_description& desc,
                   po::variables_map& vm) {
  std::map<std::string, int> seen;
  for (const auto& e : sec.entries) {
    const po::option_description* d = desc.find_nothrow(e.key, false);
    if (!d)
      throw ConfigError(where(f, e.line, sec.name) + "unknown option '" + e.key + "' (valid options: " +
                        known_options(desc) + ")");
    const bool repeatable = d->semantic()->max_tokens() > 1 || d->semantic()->is_composing();
    if (!repeatable && seen.count(e.key))
      throw ConfigError(where(f, e.line, sec.name) + "option '" + e.key + "' is already set on line " +
                        std::to_string(seen[e.key]) + "; give it once");
    seen[e.key] = e.line;
    po::parsed_options parsed(&desc);
    po::option opt(e.key, {e.value});
    opt.original_tokens = {e.key, e.value};
    parsed.options.push_back(std::move(opt));
    try {
      po::store(parsed, vm);
      // The option's rules (notifiers) run here, per entry, so a failure points at its line;
      // po::notify below runs them again for the defaults.
      d->semantic()->notify(vm[e.key].value());
    } catch (const std::exception& err) {
      throw ConfigError(where(f, e.line, sec.name) + "option '" + e.key + "': invalid value '" + e.value + "' (" +
                        err.what() + ")");
    }
  }
  try {
    po::notify(vm);
  } catch (const po::required_option& err) {
    throw ConfigError(where(f, sec.line, sec.name) + "missing required option '" + err.get_option_name().substr(
                          err.get_option_name().find_first_not_of('-')) + "'");
  } catch (const std::exception& err) {
    throw ConfigError(where(f, sec.line, sec.name) + err.what());
  }
}

po::options_description global_options(PipelineConfig& c, std::vector<std::string>& dirs) {
  po::options_description d("[meterd]");
  d.add_options()
    ("log_level", po::value(&c.log_level)->default_value("info"), "debug, info, warning or error")
    ("state_dir", po::value<std::string>()->default_value("state"), "where plugins keep positions and queues")
    ("time_zone", po::value(&c.time_zone)->default_value("Europe/Zurich"), "IANA zone for local days and meter clocks")
    ("stats_interval", po::value(&c.stats_interval_s)->default_value(10)->notifier(sdk::in_range(0, 86400)),
     "seconds between counter diagnostics (0: none)")
    ("exit_when_sources_done", po::bool_switch(&c.exit_when_sources_done), "stop once every source has finished")
    ("plugin_dir", po::value(&dirs)->composing(), "extra plugin directory (repeatable)");
  return d;
}

std::function<void(const std::vector<std::string>&)> endpoints_rule(EndpointUse use) {
  return [use](const std::vector<std::string>& endpoints) {
    for (const auto& e : endpoints) check_bus_endpoint(e, use);
  };
}

po::options_description bus_options(BusOptions& b, LinkOptions& l) {
  po::options_description d("[bus]");
  d.add_options()
    ("export", po::value(&l.export_endpoints)->composing()->notifier(endpoints_rule(EndpointUse::bind)),
     "endpoint an importer on another host connects to, e.g. tcp://0.0.0.0:7700")
    ("import", po::value(&l.import_endpoints)->composing()->notifier(endpoints_rule(EndpointUse::connect)),
     "remote meterd bus to read from, e.g. tcp://pi.local:7700")
    ("high_water_mark", po::value(&b.high_water_mark)->default_value(5000)->notifier(sdk::in_range(0, 100'000'000)),
     "messages queued per subscriber (0: no limit)")
    ("block_ms", po::value(&b.block_ms)->default_value(10000)->notifier(sdk::in_range(0, 3'600'000)),
     "how long a publisher waits on a full queue before dropping")
    ("export_wait_ms", po::value(&l.export_wait_ms)->default_value(0)->notifier(sdk::in_range(0, 3'600'000)),
     "wait for an importer before starting sources")
    ("export_queue_mb", po::value(&l.queue_max_mb)->default_value(256)->notifier(sdk::in_range<std::uint64_t>(1, 1'000'000)),
     "disk budget of the export for readings no importer has taken yet")
    ("secret_key", po::value(&l.secret_key_file), "this host's key file from `meterd keygen PREFIX` (PREFIX.key)")
    ("accept_key", po::value(&l.accept_keys)->composing()->notifier([](const std::vector<std::string>& keys) {
       for (const auto& k : keys) check_curve_key(k);
     }), "public key of an importer allowed to connect to the export (repeatable)")
    ("server_key", po::value(&l.server_key)->notifier(check_curve_key), "public key of the exporter an import trusts")
    ("insecure", po::value(&l.insecure)->default_value(false),
     "allow an unencrypted, unauthenticated export beyond loopback (trusted networks only)");
  return d;
}

}  // namespace

po::options_description core_instance_options(sdk::Kind kind) {
  po::options_description d("common");
  d.add_options()("plugin", po::value<std::string>()->required(), "plugin providing this instance");
  d.add_options()("optional", po::value<bool>()->default_value(false),
                  "when this instance cannot start, run without it (logged, and on the health metrics) "
                  "instead of refusing to start meterd");
  if (kind == sdk::Kind::sink)
    d.add_options()
      ("sources", po::value<std::string>(), "comma-separated source instances to receive (default: all)")
      ("meters", po::value<std::string>(), "comma-separated meter ids to receive (default: all)")
      ("diagnostics", po::value<bool>()->default_value(false), "also receive diagnostics and counters");
  return d;
}

PipelineConfig read_global_sections(const ConfigFile& f) {
  PipelineConfig c;
  c.path = f.path;
  std::vector<std::string> dirs;
  bool any_meterd = false;
  for (const auto& sec : f.sections) {
    po::variables_map vm;
    if (sec.name == "meterd") {
      any_meterd = true;
      store_section(f, sec, global_options(c, dirs), vm);
      c.state_dir = vm["state_dir"].as<std::string>();
      try {
        TimeZone::load(c.time_zone);
      } catch (const std::exception& e) {
        throw ConfigError(where(f, sec.line, sec.name) + "option 'time_zone': " + e.what());
      }
    } else if (sec.name == "bus") {
      store_section(f, sec, bus_options(c.bus, c.link), vm);
      try {
        check_bus_security(c.link);
      } catch (const std::exception& e) {
        throw ConfigError(where(f, sec.line, sec.name) + e.what());
      }
    } else if (sec.name.rfind("source.", 0) != 0 && sec.name.rfind("sink.", 0) != 0) {
      throw ConfigError(where(f, sec.line, sec.name) + "unknown section; expected [meterd], [bus], "
                                                      "[source.NAME] or [sink.NAME]");
    }
  }
  if (!any_meterd) {  // apply defaults
    po::variables_map vm;
    ConfigSection empty{"meterd", 0, {}};
    store_section(f, empty, global_options(c, dirs), vm);
  }
  for (auto& d : dirs) c.plugin_dirs.emplace_back(d);
  return c;
}

void build_instances(const ConfigFile& f, const PluginRegistry& registry, PipelineConfig& c) {
  for (const auto& sec : f.sections) {
    const bool is_source = sec.name.rfind("source.", 0) == 0;
    if (!is_source && sec.name.rfind("sink.", 0) != 0) continue;
    InstanceConfig inst;
    inst.section = sec.name;
    inst.name = sec.name.substr(sec.name.find('.') + 1);
    inst.kind = is_source ? sdk::Kind::source : sdk::Kind::sink;
    if (inst.name.empty()) throw ConfigError(where(f, sec.line, sec.name) + "the instance needs a name, e.g. [source.kitchen]");
    const ConfigEntry* plugin_entry = nullptr;
    for (const auto& e : sec.entries) if (e.key == "plugin") plugin_entry = &e;
    if (!plugin_entry) throw ConfigError(where(f, sec.line, sec.name) + "missing required option 'plugin' (which plugin provides this instance)");
    inst.plugin = registry.find(plugin_entry->value, inst.kind);
    if (!inst.plugin)
      throw ConfigError(where(f, plugin_entry->line, sec.name) + "option 'plugin': no plugin named '" + plugin_entry->value +
                        "' (available: " + registry.describe_available() + ")");
    if ((inst.plugin->info->kind == sdk::Kind::source) != is_source)
      throw ConfigError(where(f, plugin_entry->line, sec.name) + "option 'plugin': '" + plugin_entry->value + "' is a " +
                        (is_source ? "sink" : "source") + " plugin; put it in a [" + (is_source ? "sink" : "source") +
                        ".NAME] section");
    po::options_description desc = core_instance_options(inst.kind);
    po::options_description own(inst.plugin->info->name);
    if (inst.plugin->info->describe_options) inst.plugin->info->describe_options(own);
    desc.add(own);
    store_section(f, sec, desc, inst.options);
    inst.optional = inst.options["optional"].as<bool>();
    if (inst.plugin->info->check_options) {
      try {
        inst.plugin->info->check_options(inst.options);
      } catch (const std::exception& e) {
        throw ConfigError(where(f, sec.line, sec.name) + e.what());
      }
    }
    if (!is_source) {
      if (inst.options.count("sources")) inst.sources = split_list(inst.options["sources"].as<std::string>());
      if (inst.options.count("meters")) inst.meters = split_list(inst.options["meters"].as<std::string>());
      inst.diagnostics = inst.options["diagnostics"].as<bool>();
    }
    (is_source ? c.sources : c.sinks).push_back(std::move(inst));
  }
  // Routing must point at sources that exist, unless they may come from another process.
  for (const auto& sink : c.sinks)
    for (const auto& s : sink.sources) {
      bool found = false;
      for (const auto& src : c.sources) found = found || src.name == s;
      if (!found && c.link.import_endpoints.empty()) {
        int line = 0;
        for (const auto& sec : f.sections)
          if (sec.name == sink.section)
            for (const auto& e : sec.entries) if (e.key == "sources") line = e.line;
        throw ConfigError(where(f, line, sink.section) + "option 'sources': there is no [source." + s + "] section");
      }
    }
  if (c.sources.empty() && c.link.import_endpoints.empty())
    throw ConfigError(f.path + ": no [source.NAME] section and no [bus] import: nothing would produce readings");
  if (c.sinks.empty() && c.link.export_endpoints.empty())
    throw ConfigError(f.path + ": no [sink.NAME] section and no [bus] export: readings would go nowhere");
}

}  // namespace meterd
