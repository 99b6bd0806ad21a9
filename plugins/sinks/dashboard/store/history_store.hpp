#pragma once
// The dashboard's embedded history: raw points compressed per series and UTC hour, rollups
// at 1 min, 15 min, 1 h and one local day, interval energy from imports, each tier with its
// own retention, and an overall disk budget. SQLite in WAL mode: what flush() committed
// survives a kill -9.
#include <array>
#include <atomic>
#include <cstddef>
#include <climits>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "bucket.hpp"
#include "period_energy.hpp"
#include "point.hpp"
#include "point_codec.hpp"
#include "series_kind.hpp"
#include "sqlite_db.hpp"

namespace meterd {
class TimeZone;
}

namespace meterd::dashboard {

enum class Tier { raw = 0, minute = 1, quarter = 2, hour = 3, day = 4 };
const char* tier_name(Tier tier);
std::int64_t tier_width_ms(Tier tier);  // nominal; a day is 23 to 25 h in local time

struct StoreOptions {
  std::filesystem::path file;
  // Days each tier is kept; 0 keeps it for ever.
  int raw_days = 30;
  int minute_days = 400;
  int quarter_days = 1200;
  int hour_days = 0;
  int day_days = 0;
  std::uint64_t disk_budget_bytes = 0;  // 0: no budget
  bool synchronous_full = false;        // NORMAL survives process crashes; FULL also power loss
  AccountingRules rules;
  // Samples further apart than this are a gap. 0: three of the series' typical steps (the
  // median of its recent ones), at least a minute, so the limit follows each meter's cadence.
  std::int64_t gap_limit_ms = 0;
};

// What became of a point handed to HistoryStore::add.
enum class AddResult {
  stored,
  out_of_order,  // stored, older than the newest point of its series (a backfill or replay)
  duplicate,     // the same instant and value again: nothing changed
  replaced,      // the same instant with another value: the newer one is kept
  backwards,     // a register lower than the point before it without reset, rollover or swap: refused
  refused,       // its hour's raw points are past retention while its rollups remain
};

struct SeriesInfo {
  std::int64_t id = 0;
  std::string meter, quantity, unit;
  SeriesKind kind = SeriesKind::measurement;
  bool intervals = false;  // energy per interval from imports
  SeriesAccounting accounting() const;
};

struct IntervalValue {
  std::int64_t start_ms = 0, end_ms = 0;
  double wh = 0;
  std::string tariff;
};

struct SpaceReport {
  std::uint64_t file_bytes = 0;  // database plus write-ahead log on disk
  std::uint64_t used_bytes = 0;  // pages in use
  std::uint64_t budget_bytes = 0;
  std::map<std::string, std::uint64_t> tier_bytes;    // compressed payload per tier
  std::map<std::string, std::uint64_t> tier_entries;  // chunks per tier
  std::uint64_t raw_points = 0;
};

class HistoryStore {
 public:
  // Throws StoreError (corrupt() or disk_full() tell why) when the file cannot be used.
  HistoryStore(StoreOptions options, std::shared_ptr<const TimeZone> zone);
  ~HistoryStore();

  // Buffered until flush(). Refused for an hour whose raw points retention already dropped
  // while its rollups remain (they cannot be rebuilt to include it), and for a register
  // stepping back (it would count the same energy twice).
  AddResult add(const std::string& meter, const std::string& quantity, const std::string& unit, Point point);
  // Energy of one interval (converted to Wh); the same interval again replaces it.
  void add_interval(const std::string& meter, const std::string& quantity, const std::string& unit,
                    std::int64_t start_ms, std::int64_t end_ms, double value, const std::string& tariff);
  // Writes every buffered point and its rollups, slice by slice (flush_slice). On failure
  // (full disk) the buffers stay, so a later flush retries; the error is rethrown for reporting.
  void flush();
  // Writes the buffered hours of at most `max_hours` series-hours, going on where the last
  // slice ended, in one transaction; returns whether the pass over all buffered hours goes on.
  // Bounded slices keep a writer from holding its thread (and the memory of one transaction
  // over every series) for seconds when thousands of meters push at once.
  bool flush_slice(std::size_t max_hours);
  // Values taken by add() and add_interval() since the last successful flush(): a caller
  // flushes early when a burst makes them many, so a backfill's buffers stay small.
  std::size_t unflushed_points() const;
  std::size_t series_count() const;
  // Deletes what is past each tier's retention, then the oldest detail until the budget holds;
  // compresses raw chunks a stop left open. Raw hours past retention whose minutes are kept
  // longer have them stored first, at most `max_hours` per call: returns whether more wait.
  bool enforce_retention(std::int64_t now_ms, std::size_t max_hours = SIZE_MAX);

  std::vector<SeriesInfo> series() const;
  std::optional<SeriesInfo> find(const std::string& meter, const std::string& quantity) const;
  // Whether any series belongs to this meter; asked by every API request, so it does not copy
  // the list of series (170,000 with 10,000 meters).
  bool has_meter(const std::string& meter) const;
  std::vector<Point> raw(std::int64_t series_id, std::int64_t from_ms, std::int64_t to_ms) const;
  // Buckets starting in [from, to). Energy includes the step from the preceding bucket when
  // it is no gap, so consecutive buckets add up. Day buckets are local days in the zone.
  std::vector<Bucket> buckets(std::int64_t series_id, Tier tier, std::int64_t from_ms, std::int64_t to_ms) const;
  // Energy per period [edges[i], edges[i+1]) by the accounting rule (period_energy.hpp), from
  // `tier` (Tier::raw: from raw points); each edge must lie on a bucket boundary of the tier.
  std::vector<PeriodEnergy> energy(std::int64_t series_id, Tier tier, const std::vector<std::int64_t>& edges) const;
  // First and last sample of a series (from the hour tier), nullopt when empty.
  std::optional<std::pair<std::int64_t, std::int64_t>> extent(std::int64_t series_id) const;
  // Samples further apart than this are a gap in this series now.
  std::int64_t gap_limit_ms(std::int64_t series_id) const;
  std::vector<IntervalValue> intervals(std::int64_t series_id, std::int64_t from_ms, std::int64_t to_ms) const;
  // Oldest instant each tier still holds for a series (nullopt when empty).
  std::optional<std::int64_t> oldest(std::int64_t series_id, Tier tier) const;
  SpaceReport space() const;
  // Moves on (under the store's lock, before the change) with everything a query could see
  // change: points, intervals, new series, a flush, retention. An answer computed after
  // reading generation g stays true while generation() is still g.
  std::uint64_t generation() const { return generation_.load(); }
  // For answers kept across changes that cannot alter them (a closed month's ledger while
  // today's readings arrive): mark() returns the generation now and follows, from then on,
  // the earliest instant a change could alter; changed_from(mark) is that instant, so an
  // answer about times before it is still true (INT64_MAX: nothing changed). A retention
  // pass or a new typical step of a series may alter any time: INT64_MIN. The store follows
  // a few marks; a forgotten one answers INT64_MIN too.
  std::uint64_t mark() const;
  std::int64_t changed_from(std::uint64_t mark) const;
  const TimeZone& zone() const { return *zone_; }
  const StoreOptions& options() const { return options_; }
  // Start of the local day containing t, and of the day after.
  std::int64_t day_start(std::int64_t t_ms) const;
  std::int64_t next_day_start(std::int64_t t_ms) const;

 private:
  // An hour still taking points. Live data arrives in order: then the chunk appends (only the
  // points since the last write are held, the stored chunk is in open form) and each write
  // adds them to the stored bytes and merges their buckets into the stored rollups. A point
  // before the newest one loads the whole hour, which is then rewritten.
  struct OpenChunk {
    std::vector<Point> points;  // the whole hour, or while appending those not yet written
    bool dirty = false;
    std::size_t unflushed = 0;  // values taken since its last write
    bool appending = false;
    std::optional<AppendState> stored;  // appending to a stored open chunk
    std::optional<Point> tail;          // the newest stored point, while appending
    const Point* last() const { return !points.empty() ? &points.back() : tail ? &*tail : nullptr; }
  };
  std::int64_t series_id_locked(const std::string& meter, const std::string& quantity, const std::string& unit,
                                bool intervals);
  // The hour's points in memory; nullptr when the hour can no longer take points.
  OpenChunk* chunk_locked(std::int64_t series_id, std::int64_t hour);
  bool rollups_cover_locked(std::int64_t series_id, std::int64_t hour) const;
  // New buckets for one rollup blob, replacing those starting inside `ranges`.
  struct PartEdit {
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    std::vector<Bucket> fresh;
    std::vector<Bucket> merged;  // combined with a stored bucket of the same start (appended points)
  };
  using PartEdits = std::map<std::tuple<std::int64_t, Tier, std::int64_t>, PartEdit>;  // (series, tier, part)
  void write_hour_locked(const SeriesInfo& info, std::int64_t hour, const std::vector<Point>& points, PartEdits& edits);
  // Appends the chunk's new points; returns the state after it, applied once committed.
  AppendState append_hour_locked(const SeriesInfo& info, std::int64_t hour, const OpenChunk& chunk, PartEdits& edits);
  // Rewrites a stored open chunk compressed, once its hour takes no more points.
  void seal_hour_locked(std::int64_t series_id, std::int64_t hour);
  void forget_open_locked(std::int64_t series_id, std::int64_t hour);
  // Seals open chunks of hours before the last two that no write holds open (left by a stop).
  void seal_left_open_locked(std::int64_t now_ms);
  // Turns an appending chunk into one holding the whole hour.
  void load_hour_locked(std::int64_t series_id, std::int64_t hour, OpenChunk& chunk);
  // Drops raw hours before raw_cut, storing first the minutes of those from minute_cut on (at
  // most max_hours of them; returns whether more wait). A series' newest two hours stay while
  // it takes points (a backfill may still bring some); once a whole retention pass went by
  // without a point for it (a meter removed for good), they go too.
  bool drop_raw_locked(std::int64_t raw_cut_hour, std::int64_t minute_cut_hour, std::size_t max_hours);
  // Brings a file of an earlier layout to the current one.
  void upgrade_format();
  void write_day_locked(const SeriesInfo& info, std::int64_t day_start_ms, PartEdits& edits);
  void apply_locked(const PartEdits& edits);
  // Applies a batch of hours' edits, then rebuilds the days they touched; empties both.
  void apply_batch_locked(PartEdits& edits, std::set<std::pair<std::int64_t, std::int64_t>>& days);
  // Minute buckets of [first_hour, last_hour]: built from the raw chunk where the hour has
  // one, else stored (retention dropped its raw points).
  std::vector<Bucket> minute_buckets_locked(std::int64_t series_id, std::int64_t first_hour, std::int64_t last_hour) const;
  // Buckets of a tier's parts (raw: one per point).
  std::vector<Bucket> tier_parts_locked(std::int64_t series_id, Tier tier, std::int64_t first_part,
                                        std::int64_t last_part) const;
  // The nearest part before (or after) `part` holding something of this tier.
  std::optional<std::int64_t> nearest_part_locked(std::int64_t series_id, Tier tier, std::int64_t part, bool before) const;
  std::vector<Bucket> read_parts_locked(std::int64_t series_id, Tier tier, std::int64_t from_part,
                                        std::int64_t to_part) const;
  std::int64_t part_of(Tier tier, std::int64_t t_ms) const;
  // Buckets (raw: points) starting in [from, to), led by the nearest one before `from` and
  // followed by the nearest one at or after `to`, however far away.
  std::vector<Bucket> buckets_with_neighbours_locked(std::int64_t series_id, Tier tier, std::int64_t from_ms,
                                                     std::int64_t to_ms) const;
  SeriesAccounting accounting_locked(const SeriesInfo& info) const;
  std::int64_t gap_limit_locked(std::int64_t series_id) const;
  void note_step_locked(std::int64_t series_id, std::int64_t step_ms);
  bool over_budget_locked() const;

  StoreOptions options_;
  std::shared_ptr<const TimeZone> zone_;
  mutable std::mutex mutex_;
  std::unique_ptr<Db> db_;
  std::map<std::int64_t, SeriesInfo> series_;
  std::map<std::pair<std::string, std::string>, std::int64_t> series_by_name_;
  std::vector<std::int64_t> new_series_;  // not yet in the file
  std::map<std::pair<std::int64_t, std::int64_t>, OpenChunk> open_;  // (series, UTC hour)
  // A series' previous hour leaves open_ once written (late points reload it from the file):
  // 170,000 series at 10,000 meters held 27 MB in it. Its chunk, in open form in the file, is
  // compressed once the series (or, for one that stopped, the store) has moved two hours on.
  std::deque<std::pair<std::int64_t, std::int64_t>> unsealed_;  // (series, UTC hour), oldest first
  std::int64_t newest_ms_ = 0;  // newest point of any series
  // Compresses the oldest of unsealed_ that may no longer take appended points, at most
  // `max_hours`; returns how many it took.
  std::size_t seal_unsealed_locked(std::size_t max_hours);
  bool sealable_locked(const std::pair<std::int64_t, std::int64_t>& key) const;
  // Where the next flush_slice() starts in open_; none: at the beginning.
  std::optional<std::pair<std::int64_t, std::int64_t>> slice_from_;
  // Hours whose detail retention dropped: refused without asking SQLite again, so a replay of
  // old data does not cost two queries per point.
  std::set<std::pair<std::int64_t, std::int64_t>> refused_hours_;
  struct PendingInterval {
    std::int64_t series_id;
    IntervalValue value;
  };
  std::vector<PendingInterval> pending_intervals_;
  std::size_t unflushed_ = 0;
  // What the store follows of each series while it runs, indexed by series id (ids are dense):
  // a vector rather than maps keyed by id, as 10,000 meters bring 170,000 series and a map
  // node costs more than the state it holds.
  struct LiveState {
    std::int64_t newest_ms = 0;  // newest point seen
    // The latest steps between arriving points (ms), a ring.
    std::array<std::int32_t, 15> recent{};
    std::int32_t typical_ms = 0;  // their median; kept in the file across restarts
    std::uint8_t steps = 0, next = 0;
    bool cadence_dirty = false;
    bool touched = false;  // took a point since the last complete retention pass
  };
  LiveState& live_locked(std::int64_t series_id);
  const LiveState* live_of_locked(std::int64_t series_id) const;  // nullptr: never seen
  std::vector<LiveState> live_;
  std::vector<std::int64_t> cadence_dirty_;  // series whose typical step changed since the last write
  std::atomic<std::uint64_t> generation_{0};
  // A change that can alter what queries see from `from_ms` on.
  void touch_locked(std::int64_t from_ms);
  struct Mark {
    std::uint64_t generation;
    std::int64_t from_ms;
  };
  static constexpr std::size_t kMarks = 8;
  mutable std::vector<Mark> marks_;          // oldest first
  std::int64_t unflushed_from_ = INT64_MAX;  // earliest change a flush has still to make visible
};

}  // namespace meterd::dashboard
