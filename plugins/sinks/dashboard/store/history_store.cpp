#include "history_store.hpp"

#include <algorithm>
#include <climits>
#include <future>
#include <set>
#include <thread>

#include "energy_step.hpp"
#include "bucket_codec.hpp"
#include "meterd/time_zone.hpp"
#include "point_codec.hpp"

namespace meterd::dashboard {

namespace {
constexpr std::int64_t kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;
// Rollup blobs group buckets: per hour for minutes, per UTC day for quarters and hours, per
// 32 days for local days. The grouping only decides what one read or rewrite touches.
constexpr std::int64_t kDayPartWidth = 32 * kDay;
// Hours whose rollup edits are applied together in a flush (about 7 KB of buckets each).
constexpr std::size_t kHoursPerEditBatch = 48;
// The file's layout (PRAGMA user_version): 0 or 1 stored minute rollups of every hour; 2
// stores them only for hours whose raw chunk retention dropped.
constexpr std::int64_t kFormat = 2;
constexpr int kPageSize = 8192;
// Series-hours per transaction when everything buffered is written at once.
constexpr std::size_t kHoursPerSlice = 4096;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS series(
  id INTEGER PRIMARY KEY, meter TEXT NOT NULL, quantity TEXT NOT NULL, unit TEXT NOT NULL,
  kind INTEGER NOT NULL, intervals INTEGER NOT NULL DEFAULT 0, UNIQUE(meter, quantity));
CREATE TABLE IF NOT EXISTS raw_chunk(
  series INTEGER NOT NULL, hour INTEGER NOT NULL, points INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY(series, hour)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup(
  series INTEGER NOT NULL, tier INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY(series, tier, part)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS interval_energy(
  series INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, wh REAL NOT NULL,
  tariff TEXT NOT NULL DEFAULT '', PRIMARY KEY(series, start_ms)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS series_cadence(series INTEGER PRIMARY KEY, step_ms INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS open_chunk(series INTEGER NOT NULL, hour INTEGER NOT NULL, PRIMARY KEY(series, hour)) WITHOUT ROWID;
)sql";
// open_chunk lists the raw chunks stored in open form (point_codec.hpp), so those a stop left
// open are compressed later even when no point for their hour comes again.
// The gap limit while a series' typical cadence is not known yet.
constexpr std::int64_t kUnknownCadenceGapMs = 15 * kMinute;

Bucket bucket_of(const Point& p) {
  Bucket b;
  b.start_ms = b.first_ms = b.last_ms = p.t_ms;
  b.count = 1;
  b.min = b.max = b.first = b.last = b.sum = p.value;
  return b;
}
}  // namespace

const char* tier_name(Tier tier) {
  switch (tier) {
    case Tier::raw: return "raw";
    case Tier::minute: return "1m";
    case Tier::quarter: return "15m";
    case Tier::hour: return "1h";
    case Tier::day: return "1d";
  }
  return "?";
}

std::int64_t tier_width_ms(Tier tier) {
  switch (tier) {
    case Tier::raw: return 0;
    case Tier::minute: return kMinute;
    case Tier::quarter: return 15 * kMinute;
    case Tier::hour: return kHour;
    case Tier::day: return kDay;
  }
  return 0;
}

SeriesAccounting SeriesInfo::accounting() const { return SeriesAccounting{kind, unit_factor(unit), {}}; }

HistoryStore::HistoryStore(StoreOptions options, std::shared_ptr<const TimeZone> zone)
    : options_(std::move(options)), zone_(std::move(zone)) {
  if (!zone_) zone_ = TimeZone::utc();
  if (options_.file.has_parent_path()) std::filesystem::create_directories(options_.file.parent_path());
  const bool fresh = !std::filesystem::exists(options_.file);
  db_ = std::make_unique<Db>(options_.file);
  if (fresh) {
    // Pages of 8 KB: a day of 15-min buckets (about 1 KB) is past what a 4 KB page of a
    // WITHOUT ROWID table keeps inline, and each spilled to an overflow page of its own that
    // stayed mostly empty; with 8 KB the rollups filled 90 % of their pages instead of 40 %.
    db_->exec("PRAGMA page_size=" + std::to_string(kPageSize));
    db_->exec("PRAGMA auto_vacuum=INCREMENTAL");  // lets the budget shrink the file
  }
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec(options_.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  {
    auto check = db_->prepare("PRAGMA quick_check");
    if (!check.step() || check.text(0) != "ok")
      throw StoreError(SQLITE_CORRUPT, options_.file.string() + " fails its integrity check");
  }
  db_->exec(kSchema);
  upgrade_format();
  auto rows = db_->prepare("SELECT id, meter, quantity, unit, kind, intervals FROM series");
  while (rows.step()) {
    SeriesInfo info;
    info.id = rows.int64(0);
    info.meter = rows.text(1);
    info.quantity = rows.text(2);
    info.unit = rows.text(3);
    info.kind = static_cast<SeriesKind>(rows.int64(4));
    info.intervals = rows.int64(5) != 0;
    series_by_name_[{info.meter, info.quantity}] = info.id;
    series_[info.id] = std::move(info);
  }
  auto cadences = db_->prepare("SELECT series, step_ms FROM series_cadence");
  while (cadences.step())
    live_locked(cadences.int64(0)).typical_ms = static_cast<std::int32_t>(std::min<std::int64_t>(cadences.int64(1), INT32_MAX));
}

HistoryStore::LiveState& HistoryStore::live_locked(std::int64_t series_id) {
  const auto i = static_cast<std::size_t>(series_id);
  if (i >= live_.size()) live_.resize(i + 1);
  return live_[i];
}

const HistoryStore::LiveState* HistoryStore::live_of_locked(std::int64_t series_id) const {
  const auto i = static_cast<std::size_t>(series_id);
  return series_id >= 0 && i < live_.size() ? &live_[i] : nullptr;
}

void HistoryStore::upgrade_format() {
  const auto version = db_->scalar("PRAGMA user_version");
  if (version > kFormat)
    throw StoreError(SQLITE_CANTOPEN, options_.file.string() + " was written by a newer meterd (format " +
                                          std::to_string(version) + "); run that version or move the file aside");
  if (version == kFormat) return;
  Transaction tx(*db_);
  // Format 1 stored minute buckets beside the raw chunks they summarise; they are derived
  // from those now, and stored only where retention dropped the raw points.
  db_->exec("DELETE FROM rollup WHERE tier=1 AND EXISTS(SELECT 1 FROM raw_chunk "
            "WHERE raw_chunk.series=rollup.series AND raw_chunk.hour=rollup.part)");
  db_->exec("PRAGMA user_version=" + std::to_string(kFormat));
  tx.commit();
  db_->exec("PRAGMA incremental_vacuum");
}

HistoryStore::~HistoryStore() {
  try {
    flush();
  } catch (...) {
    // Destructors must not throw; what was not flushed is lost like after a crash.
  }
}

std::int64_t HistoryStore::day_start(std::int64_t t_ms) const {
  return zone_->start_of_local_day(floor_div(t_ms, 1000)) * 1000;
}
std::int64_t HistoryStore::next_day_start(std::int64_t t_ms) const {
  // 30 hours after a local midnight is always inside the next local day (days last 23-25 h).
  return zone_->start_of_local_day(floor_div(day_start(t_ms), 1000) + 30 * 3600) * 1000;
}

std::int64_t HistoryStore::part_of(Tier tier, std::int64_t t_ms) const {
  switch (tier) {
    case Tier::minute: return floor_div(t_ms, kHour);
    case Tier::quarter:
    case Tier::hour: return floor_div(t_ms, kDay);
    case Tier::day: return floor_div(t_ms, kDayPartWidth);
    case Tier::raw: return floor_div(t_ms, kHour);
  }
  return 0;
}

std::int64_t HistoryStore::series_id_locked(const std::string& meter, const std::string& quantity,
                                            const std::string& unit, bool intervals) {
  auto it = series_by_name_.find({meter, quantity});
  if (it != series_by_name_.end()) return it->second;
  SeriesInfo info;
  info.meter = meter;
  info.quantity = quantity;
  info.unit = unit;
  info.kind = intervals ? SeriesKind::measurement : classify_series(quantity, unit);
  info.intervals = intervals;
  // Written with the series' first points: 10,000 meters bring 170,000 new series at once,
  // and a transaction of its own for each held the sink's thread for many seconds.
  info.id = series_.empty() ? 1 : series_.rbegin()->first + 1;
  new_series_.push_back(info.id);
  series_by_name_[{meter, quantity}] = info.id;
  series_[info.id] = info;
  return info.id;
}

HistoryStore::OpenChunk* HistoryStore::chunk_locked(std::int64_t series_id, std::int64_t hour) {
  const auto key = std::pair{series_id, hour};
  if (auto it = open_.find(key); it != open_.end()) return &it->second;
  if (refused_hours_.count(key)) return nullptr;
  OpenChunk chunk;
  auto read = db_->cached("SELECT data FROM raw_chunk WHERE series=? AND hour=?");
  read->bind(1, series_id).bind(2, hour);
  if (read->step()) {
    const auto blob = read->blob(0);
    if (is_open_chunk(blob)) {
      // Left open by a stop within its hour: appending goes on where it ended.
      AppendState state;
      const auto points = decode_points(blob, &state);
      chunk.appending = true;
      chunk.stored = state;
      if (!points.empty()) chunk.tail = points.back();
    } else {
      chunk.points = decode_points(blob);
    }
  } else if (rollups_cover_locked(series_id, hour)) {
    // Raw points gone but rollups there: retention dropped this hour's detail. Its rollups are
    // rebuilt from raw points, so taking a newcomer would replace what they summarise with it.
    refused_hours_.insert(key);
    return nullptr;
  } else {
    chunk.appending = true;
  }
  return &open_.emplace(key, std::move(chunk)).first->second;
}

bool HistoryStore::rollups_cover_locked(std::int64_t series_id, std::int64_t hour) const {
  const auto from = hour * kHour, to = from + kHour;
  for (const auto tier : {Tier::minute, Tier::hour}) {
    const auto part = part_of(tier, from);
    for (const auto& b : read_parts_locked(series_id, tier, part, part))
      if (b.start_ms >= from && b.start_ms < to) return true;
  }
  return false;
}

AddResult HistoryStore::add(const std::string& meter, const std::string& quantity, const std::string& unit, Point point) {
  std::lock_guard lock(mutex_);
  ++generation_;
  const auto id = series_id_locked(meter, quantity, unit, false);
  const auto hour = floor_div(point.t_ms, kHour);
  auto* chunk = chunk_locked(id, hour);
  if (!chunk) return AddResult::refused;
  live_locked(id).touched = true;
  if (const auto* last = chunk->last(); chunk->appending && last && point.t_ms <= last->t_ms)
    load_hour_locked(id, hour, *chunk);
  auto& pts = chunk->points;
  auto at = std::lower_bound(pts.begin(), pts.end(), point.t_ms, [](const Point& p, std::int64_t t) { return p.t_ms < t; });
  if (at != pts.end() && at->t_ms == point.t_ms) {
    // The same instant again (replay) replaces, never doubles.
    if (at->value == point.value) return AddResult::duplicate;
    touch_locked(INT64_MIN);  // the steps on both sides change, from a point not known here
    at->value = point.value;
    chunk->dirty = true;
    ++chunk->unflushed;
    ++unflushed_;
    return AddResult::replaced;
  }
  if (series_.at(id).kind == SeriesKind::register_total) {
    const Point* before = at != pts.begin() ? &*std::prev(at) : chunk->appending ? chunk->last() : nullptr;
    if (auto open = open_.find({id, hour - 1}); !before && open != open_.end()) before = open->second.last();
    if (before && classify_drop(before->value, point.value) == RegisterDrop::backwards) return AddResult::backwards;
  }
  pts.insert(at, point);
  chunk->dirty = true;
  ++chunk->unflushed;
  ++unflushed_;
  auto& newest = live_locked(id).newest_ms;
  const bool in_order = point.t_ms > newest;
  // A point after the newest changes the step from that one on; a late point, the steps
  // around it, whose start is not known here.
  touch_locked(newest == 0 ? point.t_ms : in_order ? newest : INT64_MIN);
  if (in_order && newest != 0) note_step_locked(id, point.t_ms - newest);
  newest = std::max(newest, point.t_ms);
  newest_ms_ = std::max(newest_ms_, point.t_ms);
  return in_order ? AddResult::stored : AddResult::out_of_order;
}

void HistoryStore::note_step_locked(std::int64_t series_id, std::int64_t step_ms) {
  auto& c = live_locked(series_id);
  c.recent[c.next] = static_cast<std::int32_t>(std::min<std::int64_t>(step_ms, INT32_MAX));
  c.next = static_cast<std::uint8_t>((c.next + 1) % c.recent.size());
  c.steps = static_cast<std::uint8_t>(std::min<std::size_t>(c.steps + 1u, c.recent.size()));
  auto sorted = c.recent;
  const auto end = sorted.begin() + c.steps;
  std::nth_element(sorted.begin(), sorted.begin() + c.steps / 2, end);
  const std::int32_t median = sorted[c.steps / 2];
  // The gap limit follows the typical step: a new one re-reads every gap of the series.
  if (options_.gap_limit_ms <= 0 && std::max<std::int64_t>(kMinute, 3 * static_cast<std::int64_t>(median)) !=
                                         std::max<std::int64_t>(kMinute, 3 * static_cast<std::int64_t>(c.typical_ms)))
    touch_locked(INT64_MIN);
  if (median != c.typical_ms && !c.cadence_dirty) {
    c.cadence_dirty = true;
    cadence_dirty_.push_back(series_id);
  }
  c.typical_ms = median;
}

std::int64_t HistoryStore::gap_limit_locked(std::int64_t series_id) const {
  if (options_.gap_limit_ms > 0) return options_.gap_limit_ms;
  const auto* c = live_of_locked(series_id);
  if (!c || c->typical_ms <= 0) return kUnknownCadenceGapMs;
  return std::max(kMinute, 3 * static_cast<std::int64_t>(c->typical_ms));
}

std::int64_t HistoryStore::gap_limit_ms(std::int64_t series_id) const {
  std::lock_guard lock(mutex_);
  return gap_limit_locked(series_id);
}

SeriesAccounting HistoryStore::accounting_locked(const SeriesInfo& info) const {
  auto a = info.accounting();
  a.rules = options_.rules;
  a.rules.max_gap_ms = gap_limit_locked(info.id);
  a.adaptive_gap = options_.gap_limit_ms <= 0;
  return a;
}

void HistoryStore::add_interval(const std::string& meter, const std::string& quantity, const std::string& unit,
                                std::int64_t start_ms, std::int64_t end_ms, double value, const std::string& tariff) {
  std::lock_guard lock(mutex_);
  ++generation_;
  // Kept apart from a live register of the same name: imported intervals are energy per
  // interval, not a running total.
  const auto id = series_id_locked(meter, quantity + "#interval", unit, true);
  touch_locked(start_ms);
  pending_intervals_.push_back({id, IntervalValue{start_ms, end_ms, value * unit_factor(unit), tariff}});
  ++unflushed_;
}

void HistoryStore::apply_locked(const PartEdits& edits) {
  auto del = db_->cached("DELETE FROM rollup WHERE series=? AND tier=? AND part=?");
  auto write = db_->cached("INSERT OR REPLACE INTO rollup(series, tier, part, data) VALUES(?,?,?,?)");
  for (const auto& [key, edit] : edits) {
    const auto& [series_id, tier, part] = key;
    auto buckets = read_parts_locked(series_id, tier, part, part);
    std::erase_if(buckets, [&](const Bucket& b) {
      return std::any_of(edit.ranges.begin(), edit.ranges.end(),
                         [&](const auto& r) { return b.start_ms >= r.first && b.start_ms < r.second; });
    });
    for (const auto& b : edit.fresh)
      if (part_of(tier, b.start_ms) == part) buckets.push_back(b);
    if (!edit.merged.empty()) {
      const auto accounting = accounting_locked(series_.at(series_id));
      for (const auto& m : edit.merged) {
        if (part_of(tier, m.start_ms) != part) continue;
        auto same = std::find_if(buckets.begin(), buckets.end(), [&](const Bucket& b) { return b.start_ms == m.start_ms; });
        if (same == buckets.end()) buckets.push_back(m);
        // The step from the stored bucket's last sample to the new first one counts here too.
        else *same = combine_buckets({*same, m}, [start = m.start_ms](std::int64_t) { return start; }, accounting).front();
      }
    }
    std::sort(buckets.begin(), buckets.end(), [](const Bucket& x, const Bucket& y) { return x.start_ms < y.start_ms; });
    if (buckets.empty()) {
      del->bind(1, series_id).bind(2, static_cast<std::int64_t>(tier)).bind(3, part);
      del->run();
      continue;
    }
    write->bind(1, series_id).bind(2, static_cast<std::int64_t>(tier)).bind(3, part).bind_blob(4, encode_buckets(buckets));
    write->run();
  }
}

void HistoryStore::write_hour_locked(const SeriesInfo& info, std::int64_t hour, const std::vector<Point>& points,
                                     PartEdits& edits) {
  const auto from = hour * kHour, to = from + kHour;
  auto write = db_->cached("INSERT OR REPLACE INTO raw_chunk(series, hour, points, data) VALUES(?,?,?,?)");
  write->bind(1, info.id).bind(2, hour).bind(3, static_cast<std::int64_t>(points.size())).bind_blob(4, encode_points(points));
  write->run();
  forget_open_locked(info.id, hour);
  const auto accounting = accounting_locked(info);
  // Every tier below a day lies inside this UTC hour, so it is rebuilt from the raw points
  // (minutes are derived from them when asked, see minute_buckets_locked).
  for (const auto& [tier, width] : {std::pair{Tier::quarter, 15 * kMinute}, {Tier::hour, kHour}}) {
    auto& edit = edits[{info.id, tier, part_of(tier, from)}];
    edit.ranges.emplace_back(from, to);
    auto fresh = build_buckets(points, fixed_width(width), accounting);
    edit.fresh.insert(edit.fresh.end(), fresh.begin(), fresh.end());
  }
}

AppendState HistoryStore::append_hour_locked(const SeriesInfo& info, std::int64_t hour, const OpenChunk& chunk,
                                             PartEdits& edits) {
  const auto& points = chunk.points;
  AppendState state = chunk.stored.value_or(AppendState{});
  if (!chunk.stored) {
    auto write = db_->cached("INSERT OR REPLACE INTO raw_chunk(series, hour, points, data) VALUES(?,?,?,?)");
    write->bind(1, info.id).bind(2, hour).bind(3, static_cast<std::int64_t>(points.size()));
    write->bind_blob(4, start_open_chunk(points, state));
    write->run();
    auto note = db_->cached("INSERT OR IGNORE INTO open_chunk(series, hour) VALUES(?,?)");
    note->bind(1, info.id).bind(2, hour);
    note->run();
  } else {
    auto append = db_->cached("UPDATE raw_chunk SET points=points+?, data=CAST(data||? AS BLOB) WHERE series=? AND hour=?");
    append->bind(1, static_cast<std::int64_t>(points.size())).bind_blob(2, append_records(points, state));
    append->bind(3, info.id).bind(4, hour);
    append->run();
  }
  const auto accounting = accounting_locked(info);
  for (const auto& [tier, width] : {std::pair{Tier::quarter, 15 * kMinute}, {Tier::hour, kHour}}) {
    auto& edit = edits[{info.id, tier, part_of(tier, hour * kHour)}];
    auto fresh = build_buckets(points, fixed_width(width), accounting);
    edit.merged.insert(edit.merged.end(), fresh.begin(), fresh.end());
  }
  return state;
}

void HistoryStore::seal_hour_locked(std::int64_t series_id, std::int64_t hour) {
  std::optional<std::vector<Point>> points;
  {
    auto read = db_->cached("SELECT data FROM raw_chunk WHERE series=? AND hour=?");
    read->bind(1, series_id).bind(2, hour);
    if (read->step() && is_open_chunk(read->blob(0))) points = decode_points(read->blob(0));
  }
  if (points) {
    auto write = db_->cached("INSERT OR REPLACE INTO raw_chunk(series, hour, points, data) VALUES(?,?,?,?)");
    write->bind(1, series_id).bind(2, hour).bind(3, static_cast<std::int64_t>(points->size()));
    write->bind_blob(4, encode_points(*points));
    write->run();
  }
  forget_open_locked(series_id, hour);
}

void HistoryStore::forget_open_locked(std::int64_t series_id, std::int64_t hour) {
  auto forget = db_->cached("DELETE FROM open_chunk WHERE series=? AND hour=?");
  forget->bind(1, series_id).bind(2, hour);
  forget->run();
}

void HistoryStore::load_hour_locked(std::int64_t series_id, std::int64_t hour, OpenChunk& chunk) {
  std::vector<Point> all;
  if (chunk.stored) {
    auto read = db_->cached("SELECT data FROM raw_chunk WHERE series=? AND hour=?");
    read->bind(1, series_id).bind(2, hour);
    if (read->step()) all = decode_points(read->blob(0));
  }
  all.insert(all.end(), chunk.points.begin(), chunk.points.end());  // all later than the stored ones
  chunk.points = std::move(all);
  chunk.appending = false;
  chunk.stored.reset();
  chunk.tail.reset();
  chunk.dirty = true;
}

void HistoryStore::apply_batch_locked(PartEdits& edits, std::set<std::pair<std::int64_t, std::int64_t>>& days) {
  apply_locked(edits);
  edits.clear();
  // Days are built from the hour tier just written. Per batch, so that a write touching every
  // series of 10,000 meters does not hold the new day of each of them at once.
  PartEdits day_edits;
  for (const auto& [series, start] : days) write_day_locked(series_.at(series), start, day_edits);
  apply_locked(day_edits);
  days.clear();
}

void HistoryStore::write_day_locked(const SeriesInfo& info, std::int64_t day_start_ms, PartEdits& edits) {
  const auto day_end = next_day_start(day_start_ms);
  auto hours = read_parts_locked(info.id, Tier::hour, part_of(Tier::hour, day_start_ms), part_of(Tier::hour, day_end - 1));
  std::erase_if(hours, [&](const Bucket& b) { return b.start_ms < day_start_ms || b.start_ms >= day_end; });
  const auto accounting = accounting_locked(info);
  auto& edit = edits[{info.id, Tier::day, part_of(Tier::day, day_start_ms)}];
  edit.ranges.emplace_back(day_start_ms, day_start_ms + 1);
  const auto days = combine_buckets(hours, [day_start_ms](std::int64_t) { return day_start_ms; }, accounting);
  edit.fresh.insert(edit.fresh.end(), days.begin(), days.end());
}

void HistoryStore::flush() {
  {
    std::lock_guard lock(mutex_);
    slice_from_.reset();
  }
  while (flush_slice(kHoursPerSlice)) {
  }
}

bool HistoryStore::flush_slice(std::size_t max_hours) {
  std::lock_guard lock(mutex_);
  // Kept open: the newest two hours of each series (late points are common). Per series: one
  // meter's history backfill must not be closed early by another's live data.
  const auto keep_from = [this](std::int64_t series) {
    const auto* live = live_of_locked(series);
    return floor_div(live ? live->newest_ms : 0, kHour) - 1;
  };
  // The previous hour (keep_from) has work once: its write, then it leaves memory.
  const auto has_work = [&](const auto& entry) { return entry.second.dirty || entry.first.second <= keep_from(entry.first.first); };
  auto it = slice_from_ ? open_.lower_bound(*slice_from_) : open_.begin();
  while (it != open_.end() && !has_work(*it)) ++it;
  const bool to_seal = !unsealed_.empty() && sealable_locked(unsealed_.front());
  if (it == open_.end() && pending_intervals_.empty() && new_series_.empty() && !to_seal) {
    slice_from_.reset();
    unflushed_from_ = INT64_MAX;
    return false;
  }
  ++generation_;
  touch_locked(unflushed_from_);  // what queries see changes now, not when points arrived
  Transaction tx(*db_);
  auto insert = db_->cached("INSERT INTO series(id, meter, quantity, unit, kind, intervals) VALUES(?,?,?,?,?,?)");
  for (const auto id : new_series_) {
    const auto& info = series_.at(id);
    insert->bind(1, id).bind(2, info.meter).bind(3, info.quantity).bind(4, info.unit);
    insert->bind(5, static_cast<std::int64_t>(info.kind)).bind(6, static_cast<std::int64_t>(info.intervals));
    insert->run();
  }
  std::set<std::pair<std::int64_t, std::int64_t>> days;
  // Edits are collected per rollup blob and applied once per batch of hours: a backfill
  // flushes many hours of one day at a time, and rewriting that day's blob for each of them
  // was most of its cost. The batch is bounded because the fresh buckets of days of hours,
  // all held at once, were most of a backfill's peak memory. open_ is ordered by series and
  // hour, so a batch holds neighbouring hours and few blobs are rewritten twice.
  PartEdits edits;
  std::size_t batched = 0, taken = seal_unsealed_locked(max_hours / 4 + 1);
  std::vector<std::map<std::pair<std::int64_t, std::int64_t>, OpenChunk>::iterator> done;
  std::vector<std::pair<OpenChunk*, AppendState>> appended;
  for (; it != open_.end() && taken < max_hours; ++it) {
    auto& [key, chunk] = *it;
    if (!has_work(*it)) continue;
    ++taken;
    done.push_back(it);
    if (chunk.appending && key.second < keep_from(key.first)) {
      // Its last write: the hour is stored compressed from now on.
      if (chunk.dirty) load_hour_locked(key.first, key.second, chunk);
      else if (chunk.stored) seal_hour_locked(key.first, key.second);
    }
    if (!chunk.dirty) continue;
    const auto& info = series_.at(key.first);
    if (chunk.appending) appended.emplace_back(&chunk, append_hour_locked(info, key.second, chunk, edits));
    else write_hour_locked(info, key.second, chunk.points, edits);
    days.insert({key.first, day_start(key.second * kHour)});
    // An hour can straddle two local days in zones with a non-whole-hour offset.
    days.insert({key.first, day_start(key.second * kHour + kHour - 1)});
    if (++batched % kHoursPerEditBatch == 0) apply_batch_locked(edits, days);
  }
  apply_batch_locked(edits, days);
  auto upsert = db_->cached(
      "INSERT INTO interval_energy(series, start_ms, end_ms, wh, tariff) VALUES(?,?,?,?,?) "
      "ON CONFLICT(series, start_ms) DO UPDATE SET end_ms=excluded.end_ms, wh=excluded.wh, tariff=excluded.tariff");
  for (const auto& p : pending_intervals_) {
    upsert->bind(1, p.series_id).bind(2, p.value.start_ms).bind(3, p.value.end_ms).bind(4, p.value.wh).bind(5, p.value.tariff);
    upsert->run();
  }
  auto cadence = db_->cached("INSERT OR REPLACE INTO series_cadence(series, step_ms) VALUES(?,?)");
  for (const auto series : cadence_dirty_) {
    cadence->bind(1, series).bind(2, static_cast<std::int64_t>(live_[static_cast<std::size_t>(series)].typical_ms));
    cadence->run();
  }
  tx.commit();
  // From here on nothing throws: the memory follows what is now committed.
  new_series_.clear();
  for (const auto series : cadence_dirty_) live_[static_cast<std::size_t>(series)].cadence_dirty = false;
  cadence_dirty_.clear();
  unflushed_ -= pending_intervals_.size();
  pending_intervals_.clear();
  for (auto& [chunk, state] : appended) {
    chunk->stored = state;
    chunk->tail = chunk->points.back();
    chunk->points = {};
  }
  const bool more = it != open_.end();
  slice_from_.reset();
  if (more) slice_from_ = it->first;
  for (auto d : done) {
    unflushed_ -= d->second.unflushed;
    d->second.unflushed = 0;
    d->second.dirty = false;
    const auto hour = d->first.second, keep = keep_from(d->first.first);
    if (hour == keep && d->second.appending && d->second.stored) unsealed_.push_back(d->first);
    if (hour <= keep) open_.erase(d);
  }
  if (!more) unflushed_from_ = INT64_MAX;  // every change so far is visible
  return more;  // hours left to seal wait for the next slice
}

bool HistoryStore::sealable_locked(const std::pair<std::int64_t, std::int64_t>& key) const {
  const auto* live = live_of_locked(key.first);
  const auto series_hour = floor_div(live ? live->newest_ms : 0, kHour);
  return key.second < series_hour - 1 || key.second < floor_div(newest_ms_, kHour) - 1;
}

std::size_t HistoryStore::seal_unsealed_locked(std::size_t max_hours) {
  std::size_t sealed = 0;
  while (!unsealed_.empty() && sealed < max_hours && sealable_locked(unsealed_.front())) {
    const auto key = unsealed_.front();
    unsealed_.pop_front();
    // Back in memory for a late point: its write seals it.
    if (open_.count(key)) continue;
    seal_hour_locked(key.first, key.second);
    ++sealed;
  }
  return sealed;
}

std::size_t HistoryStore::unflushed_points() const {
  std::lock_guard lock(mutex_);
  return unflushed_;
}

std::size_t HistoryStore::series_count() const {
  std::lock_guard lock(mutex_);
  return series_.size();
}

std::vector<Bucket> HistoryStore::read_parts_locked(std::int64_t series_id, Tier tier, std::int64_t from_part,
                                                    std::int64_t to_part) const {
  std::vector<Bucket> out;
  // Room for full parts up front: growing a vector of a week of minutes step by step costs
  // more (fresh pages to fault in, copies) than decoding the blobs.
  const std::int64_t per_part = tier == Tier::minute ? 60 : tier == Tier::quarter ? 96 : tier == Tier::hour ? 24 : 32;
  const auto parts = std::clamp<std::int64_t>(to_part - from_part + 1, 0, 1 << 16);
  out.reserve(static_cast<std::size_t>(std::min<std::int64_t>(parts * per_part, 1 << 22)));
  auto read = db_->cached("SELECT data FROM rollup WHERE series=? AND tier=? AND part BETWEEN ? AND ? ORDER BY part");
  read->bind(1, series_id).bind(2, static_cast<std::int64_t>(tier)).bind(3, from_part).bind(4, to_part);
  while (read->step()) decode_buckets_into(read->blob(0), out);
  return out;
}

std::uint64_t HistoryStore::mark() const {
  std::lock_guard lock(mutex_);
  const auto now = generation_.load();
  if (marks_.empty() || marks_.back().generation != now) {
    marks_.push_back({now, INT64_MAX});
    if (marks_.size() > kMarks) marks_.erase(marks_.begin());
  }
  return now;
}

std::int64_t HistoryStore::changed_from(std::uint64_t mark) const {
  std::lock_guard lock(mutex_);
  for (const auto& m : marks_)
    if (m.generation == mark) return m.from_ms;
  return INT64_MIN;
}

void HistoryStore::touch_locked(std::int64_t from_ms) {
  unflushed_from_ = std::min(unflushed_from_, from_ms);
  for (auto& m : marks_) m.from_ms = std::min(m.from_ms, from_ms);
}

std::vector<SeriesInfo> HistoryStore::series() const {
  std::lock_guard lock(mutex_);
  std::vector<SeriesInfo> out;
  for (const auto& [id, info] : series_) out.push_back(info);
  return out;
}

std::optional<SeriesInfo> HistoryStore::find(const std::string& meter, const std::string& quantity) const {
  std::lock_guard lock(mutex_);
  auto it = series_by_name_.find({meter, quantity});
  if (it == series_by_name_.end()) return std::nullopt;
  return series_.at(it->second);
}

bool HistoryStore::has_meter(const std::string& meter) const {
  std::lock_guard lock(mutex_);
  auto it = series_by_name_.lower_bound({meter, std::string()});
  return it != series_by_name_.end() && it->first.first == meter;
}

std::vector<Point> HistoryStore::raw(std::int64_t series_id, std::int64_t from_ms, std::int64_t to_ms) const {
  std::lock_guard lock(mutex_);
  std::vector<Point> out;
  auto read = db_->prepare("SELECT data FROM raw_chunk WHERE series=? AND hour BETWEEN ? AND ? ORDER BY hour");
  read.bind(1, series_id).bind(2, floor_div(from_ms, kHour)).bind(3, floor_div(to_ms - 1, kHour));
  while (read.step()) {
    for (const auto& p : decode_points(read.blob(0)))
      if (p.t_ms >= from_ms && p.t_ms < to_ms) out.push_back(p);
  }
  return out;
}

namespace {
// Each hour's raw points as minute buckets. Decoding is most of the work of a week at 1 min
// (two meters: 240,000 points), so from two days on the hours are split over the cores.
std::vector<std::vector<Bucket>> minutes_of_hours(const std::vector<std::string>& blobs, const SeriesAccounting& accounting) {
  std::vector<std::vector<Bucket>> out(blobs.size());
  const auto decode = [&](std::size_t from, std::size_t to) {
    std::vector<Point> points;
    for (auto i = from; i < to; ++i) {
      decode_points_into(blobs[i], points);
      out[i].reserve(60);
      append_fixed_buckets(points, kMinute, accounting, out[i]);
    }
  };
  const std::size_t workers = blobs.size() < 48 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<std::future<void>> helpers;
  const auto share = (blobs.size() + workers - 1) / workers;
  for (std::size_t w = 1; w < workers; ++w)
    helpers.push_back(std::async(std::launch::async, decode, std::min(w * share, blobs.size()), std::min((w + 1) * share, blobs.size())));
  decode(0, std::min(share, blobs.size()));
  for (auto& h : helpers) h.get();  // rethrows a corrupt chunk's error
  return out;
}
}  // namespace

std::vector<Bucket> HistoryStore::minute_buckets_locked(std::int64_t series_id, std::int64_t first_hour,
                                                      std::int64_t last_hour) const {
  // Stored minutes exist only for hours whose raw points retention dropped, and in files
  // written before minutes were derived; an hour's raw points win over them.
  auto stored = read_parts_locked(series_id, Tier::minute, first_hour, last_hour);
  const auto accounting = accounting_locked(series_.at(series_id));
  std::vector<Bucket> out;
  // Two more for the neighbours buckets() adds around the range: without them a full week
  // would move to a fresh megabyte for the first one.
  out.reserve(static_cast<std::size_t>(std::clamp<std::int64_t>(last_hour - first_hour + 1, 0, 1 << 16)) * 60 + 2);
  std::vector<std::int64_t> hours;
  std::vector<std::string> blobs;
  auto read = db_->cached("SELECT hour, data FROM raw_chunk WHERE series=? AND hour BETWEEN ? AND ? ORDER BY hour");
  read->bind(1, series_id).bind(2, first_hour).bind(3, last_hour);
  while (read->step()) {
    hours.push_back(read->int64(0));
    blobs.emplace_back(read->blob(1));
  }
  const auto minutes = minutes_of_hours(blobs, accounting);
  auto s = stored.begin();
  for (std::size_t i = 0; i < hours.size(); ++i) {
    const auto from = hours[i] * kHour;
    for (; s != stored.end() && s->start_ms < from; ++s) out.push_back(*s);
    while (s != stored.end() && s->start_ms < from + kHour) ++s;
    out.insert(out.end(), minutes[i].begin(), minutes[i].end());
  }
  out.insert(out.end(), s, stored.end());
  return out;
}

std::vector<Bucket> HistoryStore::tier_parts_locked(std::int64_t series_id, Tier tier, std::int64_t first_part,
                                                    std::int64_t last_part) const {
  if (tier == Tier::minute) return minute_buckets_locked(series_id, first_part, last_part);
  if (tier != Tier::raw) return read_parts_locked(series_id, tier, first_part, last_part);
  std::vector<Bucket> out;
  auto read = db_->cached("SELECT data FROM raw_chunk WHERE series=? AND hour BETWEEN ? AND ? ORDER BY hour");
  read->bind(1, series_id).bind(2, first_part).bind(3, last_part);
  while (read->step())
    for (const auto& p : decode_points(read->blob(0))) out.push_back(bucket_of(p));
  return out;
}

std::optional<std::int64_t> HistoryStore::nearest_part_locked(std::int64_t series_id, Tier tier, std::int64_t part,
                                                              bool before) const {
  const std::string order = before ? " < ?2 ORDER BY 1 DESC LIMIT 1" : " > ?2 ORDER BY 1 LIMIT 1";
  const auto ask = [&](const std::string& sql) -> std::optional<std::int64_t> {
    auto q = db_->cached(sql + order);
    q->bind(1, series_id).bind(2, part);
    if (!q->step()) return std::nullopt;
    return q->int64(0);
  };
  const auto in_raw = [&] { return ask("SELECT hour FROM raw_chunk WHERE series=?1 AND hour"); };
  if (tier == Tier::raw) return in_raw();
  const auto stored = ask("SELECT part FROM rollup WHERE series=?1 AND tier=" + std::to_string(static_cast<int>(tier)) + " AND part");
  if (tier != Tier::minute) return stored;
  const auto raw = in_raw();  // minute parts are hours, like raw chunks
  if (!raw || !stored) return raw ? raw : stored;
  return before ? std::max(*raw, *stored) : std::min(*raw, *stored);
}

std::vector<Bucket> HistoryStore::buckets_with_neighbours_locked(std::int64_t series_id, Tier tier, std::int64_t from_ms,
                                                                std::int64_t to_ms) const {
  const auto first_part = part_of(tier, from_ms), last_part = part_of(tier, to_ms - 1);
  auto all = tier_parts_locked(series_id, tier, first_part, last_part);
  const auto starts_before = [](const Bucket& b, std::int64_t t) { return b.start_ms < t; };
  const auto first = std::lower_bound(all.begin(), all.end(), from_ms, starts_before);
  const auto end = std::lower_bound(first, all.end(), to_ms, starts_before);
  // The neighbours may lie parts away (a gap of days): then the nearest stored part has them.
  const auto nearest = [&](bool before) -> std::optional<Bucket> {
    const auto part = nearest_part_locked(series_id, tier, before ? first_part : last_part, before);
    if (!part) return std::nullopt;
    const auto found = tier_parts_locked(series_id, tier, *part, *part);
    if (found.empty()) return std::nullopt;
    return before ? found.back() : found.front();
  };
  const auto before = first != all.begin() ? std::optional<Bucket>(*std::prev(first)) : nearest(true);
  const auto after = end != all.end() ? std::optional<Bucket>(*end) : nearest(false);
  // Trimmed in place: a week of minutes is a megabyte, and fresh pages for a copy of it cost
  // more than the query itself.
  const auto keep_from = first - all.begin() - (before ? 1 : 0);
  all.erase(end + (after && end != all.end() ? 1 : 0), all.end());
  all.erase(all.begin(), all.begin() + std::max<std::ptrdiff_t>(0, keep_from));
  if (before && (all.empty() || all.front().start_ms != before->start_ms)) all.insert(all.begin(), *before);
  if (after && (all.empty() || all.back().start_ms != after->start_ms)) all.push_back(*after);
  return all;
}

std::vector<PeriodEnergy> HistoryStore::energy(std::int64_t series_id, Tier tier, const std::vector<std::int64_t>& edges) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(series_id);
  if (it == series_.end() || edges.size() < 2 || edges.back() <= edges.front()) return {};
  auto accounting = accounting_locked(it->second);
  if (tier == Tier::raw) accounting.adaptive_gap = false;  // points carry no limit of their own
  return energy_per_period(buckets_with_neighbours_locked(series_id, tier, edges.front(), edges.back()), edges, accounting);
}

std::vector<Bucket> HistoryStore::buckets(std::int64_t series_id, Tier tier, std::int64_t from_ms,
                                          std::int64_t to_ms) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(series_id);
  if (it == series_.end() || tier == Tier::raw || to_ms <= from_ms) return {};
  auto all = buckets_with_neighbours_locked(series_id, tier, from_ms, to_ms);
  // The range is all but the neighbours; they stay until the energy is known.
  const auto first = static_cast<std::size_t>(
      std::find_if(all.begin(), all.end(), [&](const Bucket& b) { return b.start_ms >= from_ms; }) - all.begin());
  auto end = first;
  while (end < all.size() && all[end].start_ms < to_ms) ++end;
  if (end > first && it->second.kind != SeriesKind::measurement) {
    // Each bucket's energy by the accounting rule: its share of the steps to its neighbours too.
    std::vector<std::int64_t> edges;
    const auto next = [&](std::int64_t t) { return tier == Tier::day ? next_day_start(t) : t + tier_width_ms(tier); };
    for (auto t = all[first].start_ms; t <= all[end - 1].start_ms; t = next(t)) edges.push_back(t);
    edges.push_back(next(all[end - 1].start_ms));
    const auto periods = energy_per_period(all, edges, accounting_locked(it->second));
    std::size_t i = 0;  // buckets and periods both go forward
    for (auto k = first; k < end; ++k) {
      auto& b = all[k];
      while (i + 2 < edges.size() && edges[i + 1] <= b.start_ms) ++i;
      b.energy_wh = periods[i].wh;
      b.estimated_wh = periods[i].estimated_wh;
      b.covered_ms = periods[i].covered_ms;
    }
  }
  all.erase(all.begin() + static_cast<std::ptrdiff_t>(end), all.end());
  all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(first));
  return all;
}

std::optional<std::pair<std::int64_t, std::int64_t>> HistoryStore::extent(std::int64_t series_id) const {
  std::lock_guard lock(mutex_);
  const auto end = [&](const char* order) -> std::optional<Bucket> {
    auto q = db_->prepare(std::string("SELECT data FROM rollup WHERE series=? AND tier=? ORDER BY part ") + order + " LIMIT 1");
    q.bind(1, series_id).bind(2, static_cast<std::int64_t>(Tier::hour));
    if (!q.step()) return std::nullopt;
    auto b = decode_buckets(q.blob(0));
    if (b.empty()) return std::nullopt;
    return std::string(order) == "DESC" ? b.back() : b.front();
  };
  const auto first = end("ASC"), last = end("DESC");
  if (!first || !last) return std::nullopt;
  return std::pair{first->first_ms, last->last_ms};
}

std::vector<IntervalValue> HistoryStore::intervals(std::int64_t series_id, std::int64_t from_ms, std::int64_t to_ms) const {
  std::lock_guard lock(mutex_);
  std::vector<IntervalValue> out;
  auto read = db_->prepare(
      "SELECT start_ms, end_ms, wh, tariff FROM interval_energy WHERE series=? AND start_ms>=? AND start_ms<? ORDER BY start_ms");
  read.bind(1, series_id).bind(2, from_ms).bind(3, to_ms);
  while (read.step()) out.push_back(IntervalValue{read.int64(0), read.int64(1), read.real(2), read.text(3)});
  return out;
}

std::optional<std::int64_t> HistoryStore::oldest(std::int64_t series_id, Tier tier) const {
  std::lock_guard lock(mutex_);
  if (tier == Tier::raw) {
    auto q = db_->prepare("SELECT MIN(hour) FROM raw_chunk WHERE series=?");
    q.bind(1, series_id);
    if (q.step() && !q.is_null(0)) return q.int64(0) * kHour;
    return std::nullopt;
  }
  std::optional<std::int64_t> first;
  auto q = db_->prepare("SELECT data FROM rollup WHERE series=? AND tier=? ORDER BY part LIMIT 1");
  q.bind(1, series_id).bind(2, static_cast<std::int64_t>(tier));
  if (q.step())
    if (auto b = decode_buckets(q.blob(0)); !b.empty()) first = b.front().start_ms;
  if (tier != Tier::minute) return first;
  // Minutes of hours still holding raw points are derived from them.
  auto r = db_->prepare("SELECT MIN(hour) FROM raw_chunk WHERE series=?");
  r.bind(1, series_id);
  if (!r.step() || r.is_null(0)) return first;
  const auto minutes = minute_buckets_locked(series_id, r.int64(0), r.int64(0));
  if (minutes.empty() || (first && *first < minutes.front().start_ms)) return first;
  return minutes.front().start_ms;
}

void HistoryStore::seal_left_open_locked(std::int64_t now_ms) {
  std::vector<std::pair<std::int64_t, std::int64_t>> left;
  {
    auto q = db_->prepare("SELECT series, hour FROM open_chunk WHERE hour < ?");
    q.bind(1, floor_div(now_ms, kHour) - 1);
    while (q.step()) left.emplace_back(q.int64(0), q.int64(1));
  }
  for (const auto& key : left)
    if (!open_.count(key)) seal_hour_locked(key.first, key.second);
}

bool HistoryStore::over_budget_locked() const {
  if (options_.disk_budget_bytes == 0) return false;
  const auto used = static_cast<std::uint64_t>(db_->scalar("PRAGMA page_count") - db_->scalar("PRAGMA freelist_count")) *
                    static_cast<std::uint64_t>(db_->scalar("PRAGMA page_size"));
  return used > options_.disk_budget_bytes;
}

bool HistoryStore::drop_raw_locked(std::int64_t raw_cut_hour, std::int64_t minute_cut_hour, std::size_t max_hours) {
  std::vector<std::pair<std::int64_t, std::int64_t>> old;
  {
    auto q = db_->prepare("SELECT series, hour FROM raw_chunk WHERE hour < ?");
    q.bind(1, raw_cut_hour);
    while (q.step()) old.emplace_back(q.int64(0), q.int64(1));
  }
  auto write = db_->cached("INSERT OR REPLACE INTO rollup(series, tier, part, data) VALUES(?,?,?,?)");
  auto drop = db_->cached("DELETE FROM raw_chunk WHERE series=? AND hour=?");
  std::size_t stored = 0;
  bool more = false;
  const auto touched = [&](std::int64_t series_id) {
    const auto* live = live_of_locked(series_id);
    return live && live->touched;
  };
  // Points not yet written wait for their write. The newest two hours of a series taking
  // points may still get some (a backfill). Neither holds for a series that stopped.
  const auto still_open = [&](std::int64_t series_id, std::int64_t hour) {
    const auto it = open_.find({series_id, hour});
    if (it != open_.end() && it->second.dirty) return true;
    const auto* live = live_of_locked(series_id);
    return touched(series_id) && hour >= floor_div(live->newest_ms, kHour) - 1;
  };
  for (const auto& [series_id, hour] : old) {
    if (still_open(series_id, hour)) continue;
    if (hour >= minute_cut_hour) {
      if (stored == max_hours) {
        more = true;
        continue;
      }
      if (const auto minutes = minute_buckets_locked(series_id, hour, hour); !minutes.empty()) {
        write->bind(1, series_id).bind(2, static_cast<std::int64_t>(Tier::minute)).bind(3, hour).bind_blob(4, encode_buckets(minutes));
        write->run();
      }
      ++stored;
    }
    drop->bind(1, series_id).bind(2, hour);
    drop->run();
    forget_open_locked(series_id, hour);
    open_.erase({series_id, hour});
  }
  // Left in memory by points refused or never written (no raw chunk to drop).
  std::erase_if(open_, [&](const auto& entry) {
    return entry.first.second < raw_cut_hour && !entry.second.dirty && !touched(entry.first.first);
  });
  if (!more)
    for (auto& live : live_) live.touched = false;
  return more;
}

bool HistoryStore::enforce_retention(std::int64_t now_ms, std::size_t max_hours) {
  std::lock_guard lock(mutex_);
  ++generation_;
  touch_locked(INT64_MIN);
  Transaction tx(*db_);
  seal_left_open_locked(now_ms);
  auto cut = [&](int days) { return now_ms - static_cast<std::int64_t>(days) * kDay; };
  bool more = false;
  if (options_.raw_days > 0) {
    const auto raw_cut = floor_div(cut(options_.raw_days), kHour);
    const auto minute_cut = options_.minute_days > 0 ? floor_div(cut(options_.minute_days), kHour) : INT64_MIN;
    more = drop_raw_locked(raw_cut, minute_cut, max_hours);
  }
  const std::pair<Tier, int> tiers[] = {{Tier::minute, options_.minute_days}, {Tier::quarter, options_.quarter_days},
                                        {Tier::hour, options_.hour_days}, {Tier::day, options_.day_days}};
  for (const auto& [tier, days] : tiers) {
    if (days <= 0) continue;
    // Whole parts older than the cut; a part straddling it stays until it is entirely old.
    auto del = db_->prepare("DELETE FROM rollup WHERE tier=? AND part < ?");
    del.bind(1, static_cast<std::int64_t>(tier)).bind(2, part_of(tier, cut(days)));
    del.run();
  }
  tx.commit();
  db_->exec("PRAGMA incremental_vacuum");
  // Over budget: give up the finest detail first, oldest first, one day at a time.
  const std::pair<const char*, std::string> order[] = {
      {"raw_chunk", "hour"}, {"rollup WHERE tier=1 AND", "part"}, {"rollup WHERE tier=2 AND", "part"},
      {"rollup WHERE tier=3 AND", "part"}};
  for (const auto& [table, column] : order) {
    const bool has_where = std::string(table).find("WHERE") != std::string::npos;
    const std::string from = std::string("FROM ") + table + (has_where ? " " : " WHERE ");
    while (over_budget_locked()) {
      auto oldest = db_->prepare("SELECT MIN(" + column + ") " + from + column + " IS NOT NULL");
      if (!oldest.step() || oldest.is_null(0)) break;
      const auto first = oldest.int64(0);
      // Raw chunks are per hour (take a day), minute parts per hour (a day), others per day.
      const auto step = std::string(table) == "raw_chunk" || std::string(table).find("tier=1") != std::string::npos ? 24 : 1;
      db_->exec("DELETE " + from + column + " < " + std::to_string(first + step));
      db_->exec("PRAGMA incremental_vacuum");
    }
  }
  // Deleting and vacuuming goes through the write-ahead log, which would otherwise keep the
  // freed space on disk until the next automatic checkpoint: the budget is about the disk.
  db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return more;
}

SpaceReport HistoryStore::space() const {
  std::lock_guard lock(mutex_);
  SpaceReport r;
  std::error_code ec;
  r.file_bytes = std::filesystem::file_size(options_.file, ec);
  auto wal = options_.file;
  wal += "-wal";
  const auto wal_size = std::filesystem::file_size(wal, ec);
  if (!ec) r.file_bytes += wal_size;
  r.used_bytes = static_cast<std::uint64_t>(db_->scalar("PRAGMA page_count") - db_->scalar("PRAGMA freelist_count")) *
                 static_cast<std::uint64_t>(db_->scalar("PRAGMA page_size"));
  r.budget_bytes = options_.disk_budget_bytes;
  auto q = db_->prepare("SELECT COUNT(*), COALESCE(SUM(LENGTH(data)),0), COALESCE(SUM(points),0) FROM raw_chunk");
  if (q.step()) {
    r.tier_entries["raw"] = static_cast<std::uint64_t>(q.int64(0));
    r.tier_bytes["raw"] = static_cast<std::uint64_t>(q.int64(1));
    r.raw_points = static_cast<std::uint64_t>(q.int64(2));
  }
  auto t = db_->prepare("SELECT tier, COUNT(*), SUM(LENGTH(data)) FROM rollup GROUP BY tier");
  while (t.step()) {
    const auto name = tier_name(static_cast<Tier>(t.int64(0)));
    r.tier_entries[name] = static_cast<std::uint64_t>(t.int64(1));
    r.tier_bytes[name] = static_cast<std::uint64_t>(t.int64(2));
  }
  auto i = db_->prepare("SELECT COUNT(*) FROM interval_energy");
  if (i.step()) r.tier_entries["intervals"] = static_cast<std::uint64_t>(i.int64(0));
  return r;
}

}  // namespace meterd::dashboard
