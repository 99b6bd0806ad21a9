// Pure data shaping between the API's JSON and the charts: gaps, sums over meters, energy
// bars, range selections and calendar arithmetic in the meters' time zone.
import type { EnergyPeriod, Series } from './api';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Bucket length per resolution; raw samples use the server's gap limit for the series (5 min if unknown). */
export const RESOLUTION_STEP: Record<string, number> = { raw: 0, '1m': MINUTE, '15m': 15 * MINUTE, '1h': HOUR, '1d': DAY };
export const RAW_MAX_GAP = 5 * MINUTE;

/** The resolution the server would choose, at least 1 min when meters are combined (raw is not aligned). */
export function chooseResolution(spanMs: number, combined = false): string {
  let r = spanMs <= 6 * HOUR ? 'raw' : spanMs <= 2 * DAY ? '1m' : spanMs <= 20 * DAY ? '15m' : spanMs <= 120 * DAY ? '1h' : '1d';
  if (combined && r === 'raw') r = '1m';
  return r;
}

/**
 * Largest distance between two consecutive points that is still drawn as a line: the
 * server's gap limit for the series (`gap_ms`), and at least 1.5 buckets.
 */
export function maxGapFor(resolution: string, serverGap?: number): number {
  const step = RESOLUTION_STEP[resolution] ?? 0;
  // Day buckets vary with DST (23–25 h); 1.5 steps tolerates that and nothing more.
  if (!step) return serverGap ?? RAW_MAX_GAP;
  return Math.max(step * 1.5, serverGap ?? 0);
}

/**
 * The usual distance between consecutive samples (their median): readings pushed every two
 * minutes fill only every other 1-minute bucket, which is their rhythm, not a gap.
 */
export function typicalStep(t: number[]): number {
  if (t.length < 3) return 0;
  const d = new Float64Array(t.length - 1);
  for (let i = 1; i < t.length; i++) d[i - 1] = t[i] - t[i - 1];
  d.sort(); // a typed array sorts by value, without a comparison callback per pair
  return d[Math.floor(d.length / 2)];
}

export interface Line { t: number[]; v: (number | null)[]; min?: (number | null)[]; max?: (number | null)[]; wh?: (number | null)[] }

/**
 * One line from a series reply: raw values, or bucket means with their min/max band. The line
 * takes the reply's lists as they are: each reply is parsed for the one request that asked.
 */
export function lineOf(s: Series): Line {
  if (s.resolution === 'raw' && 'value' in s) return { t: s.t, v: s.value };
  const b = s as Exclude<Series, { value: unknown }>;
  return { t: b.t, v: b.mean, min: b.min, max: b.max, wh: b.energy_wh };
}

/** Do both lists hold the same times, each later than the one before? */
export function sameTimes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] || (i > 0 && a[i] <= a[i - 1])) return false;
  }
  return true;
}

/**
 * uPlot data for a line: x in seconds, and a null inserted wherever two points are further
 * apart than `maxGap`, so the chart shows a gap instead of a bridging line.
 */
export function withGaps(line: Line, maxGap: number): [number[], ...(number | null)[][]] {
  return gappedRows(line.t, line.min && line.max ? [line.v, line.min, line.max] : [line.v], maxGap);
}

/**
 * uPlot data for rows of values at the same times `t` (ms): x in seconds, and in every row a
 * null wherever two times are further apart than `maxGap`; a value that is no finite number is
 * a null too.
 */
export function gappedRows(t: readonly number[], rows: readonly (number | null | undefined)[][], maxGap: number): [number[], ...(number | null)[][]] {
  const xs: number[] = [];
  const out: (number | null)[][] = rows.map(() => []);
  for (let i = 0; i < t.length; i++) {
    if (i > 0 && t[i] - t[i - 1] > maxGap) {
      xs.push((t[i - 1] + maxGap / 2) / 1000);
      for (const r of out) r.push(null);
    }
    xs.push(t[i] / 1000);
    for (let k = 0; k < rows.length; k++) {
      const v = rows[k][i];
      out[k].push(v == null || !Number.isFinite(v) ? null : v);
    }
  }
  return [xs, ...out];
}

/**
 * Sum of several meters' aligned lines, each in time order as the API answers. A meter without
 * any data in the range is left out; otherwise a timestamp missing for one meter is a gap in the
 * total, never a silent drop. A merge of the sorted lines: a week of minutes of three meters
 * is summed in a few milliseconds on a slow phone.
 */
export function sumLines(lines: Line[]): Line {
  const used = lines.filter((l) => l.t.length > 0);
  if (used.length === 0) return { t: [], v: [] };
  if (used.length === 1) return used[0];
  const hasWh = used.every((l) => !!l.wh);
  // Buckets of the same times, as the API answers for meters that all reported: summed by index.
  if (used.every((l) => sameTimes(l.t, used[0].t))) return sumAligned(used, hasWh);
  const out: Line = { t: [], v: [], ...(hasWh ? { wh: [] } : {}) };
  const at = used.map(() => 0);
  for (;;) {
    let t = Infinity;
    used.forEach((l, k) => { if (at[k] < l.t.length && l.t[at[k]] < t) t = l.t[at[k]]; });
    if (t === Infinity) return out;
    let sum: number | null = 0;
    let wh: number | null = 0;
    used.forEach((l, k) => {
      let i = at[k];
      if (i >= l.t.length || l.t[i] !== t) {
        sum = wh = null;
        return;
      }
      while (i + 1 < l.t.length && l.t[i + 1] === t) i++; // a repeated time: its last value counts
      at[k] = i + 1;
      const v = l.v[i];
      const e = l.wh ? l.wh[i] ?? null : null;
      sum = v == null || sum == null ? null : sum + v;
      wh = e == null || wh == null ? null : wh + e;
    });
    out.t.push(t);
    out.v.push(sum);
    out.wh?.push(wh);
  }
}

function sumAligned(lines: Line[], hasWh: boolean): Line {
  const t = lines[0].t;
  const v: (number | null)[] = [];
  const wh: (number | null)[] = [];
  for (let i = 0; i < t.length; i++) {
    let sum: number | null = 0;
    let e: number | null = 0;
    for (let k = 0; k < lines.length; k++) {
      const x = lines[k].v[i];
      sum = x == null || sum == null ? null : sum + x;
      if (hasWh) {
        const y = lines[k].wh![i];
        e = y == null || e == null ? null : e + y;
      }
    }
    v.push(sum);
    if (hasWh) wh.push(e);
  }
  return hasWh ? { t, v, wh } : { t, v };
}

/** Energy periods of several meters added per period start; a period without data stays null. */
export function sumPeriods(lists: EnergyPeriod[][]): EnergyPeriod[] {
  const by = new Map<number, EnergyPeriod>();
  for (const list of lists) {
    for (const p of list) {
      const e = by.get(p.start_ms);
      if (!e) {
        by.set(p.start_ms, { ...p, coverage: p.coverage / lists.length });
        continue;
      }
      e.wh = e.wh == null ? p.wh : p.wh == null ? e.wh : e.wh + p.wh;
      e.cost = e.cost == null ? p.cost : p.cost == null ? e.cost : e.cost + p.cost;
      e.coverage += p.coverage / lists.length;
      if (p.estimated_wh) e.estimated_wh = (e.estimated_wh ?? 0) + p.estimated_wh;
      if (p.ht_wh != null) e.ht_wh = (e.ht_wh ?? 0) + p.ht_wh;
      if (p.nt_wh != null) e.nt_wh = (e.nt_wh ?? 0) + p.nt_wh;
      if (p.ht_cost != null) e.ht_cost = (e.ht_cost ?? 0) + p.ht_cost;
      if (p.nt_cost != null) e.nt_cost = (e.nt_cost ?? 0) + p.nt_cost;
      // fixed_fee is the connection's, the same for every meter: kept once, never added up.
    }
  }
  return Array.from(by.values()).sort((a, b) => a.start_ms - b.start_ms);
}

/**
 * Bars of energy per period in kWh, x at the period start (seconds); missing periods are
 * null. The third row is the estimated part (spread over a gap), null where there is none.
 */
export function energyBars(periods: EnergyPeriod[]): [number[], (number | null)[], (number | null)[]] {
  return [
    periods.map((p) => p.start_ms / 1000),
    periods.map((p) => (p.wh == null ? null : p.wh / 1000)),
    periods.map((p) => (p.wh == null || !p.estimated_wh ? null : p.estimated_wh / 1000)),
  ];
}

/**
 * Energy in Wh of [from, to) from a power line in W: trapezoids between consecutive samples,
 * clipped to the range, nothing across a gap. Returns null when no step lies in the range.
 */
export function integratePower(t: number[], w: (number | null)[], from: number, to: number, maxGap = RAW_MAX_GAP): number | null {
  let wh = 0;
  let any = false;
  for (let i = 1; i < t.length; i++) {
    const a = t[i - 1];
    const b = t[i];
    const va = w[i - 1];
    const vb = w[i];
    if (b <= from || a >= to || va == null || vb == null || b - a > maxGap || b <= a) continue;
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    const at = (x: number) => va + ((vb - va) * (x - a)) / (b - a);
    wh += ((at(s) + at(e)) / 2) * (e - s) / HOUR;
    any = true;
  }
  return any ? wh : null;
}

/** Energy in Wh of [from, to) from buckets of length `step` with energy per bucket; partial buckets count pro rata. */
export function bucketEnergy(t: number[], wh: (number | null)[], step: number, from: number, to: number): number | null {
  let sum = 0;
  let any = false;
  for (let i = 0; i < t.length; i++) {
    const e = wh[i];
    if (e == null) continue;
    const overlap = Math.min(t[i] + step, to) - Math.max(t[i], from);
    if (overlap <= 0) continue;
    sum += (e * overlap) / step;
    any = true;
  }
  return any ? sum : null;
}

/** A selection in chart pixels turned into a time range, clamped to the data's extent. */
export function selectionRange(leftPx: number, widthPx: number, posToVal: (px: number) => number, min: number, max: number): [number, number] | null {
  if (widthPx < 2) return null;
  const a = Math.max(min, Math.min(max, posToVal(leftPx)));
  const b = Math.max(min, Math.min(max, posToVal(leftPx + widthPx)));
  return b > a ? [a * 1000, b * 1000] : null;
}

// ---- calendar in a time zone ----

const partsCache = new Map<string, Intl.DateTimeFormat>();
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partsCache.set(tz, f);
  }
  return f;
}

export interface Civil { year: number; month: number; day: number; hour: number; minute: number; second: number }

/** The wall-clock time in `tz` as the zone's rules give it (one formatToParts call). */
function exactCivil(ms: number, tz: string): Civil {
  const c: Record<string, number> = {};
  for (const p of partsFormat(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') c[p.type] = Number(p.value);
  return { year: c.year, month: c.month, day: c.day, hour: c.hour % 24, minute: c.minute, second: c.second };
}

// The zone's offset from UTC at each UTC midnight asked about, per zone. Where a UTC day begins
// and ends with the same offset, the whole day has it (no zone changes its offset twice within a
// day), and its wall-clock times are plain arithmetic: an axis, a week of bars or a year of days
// costs one formatToParts per day instead of one per instant.
const midnightOffsets = new Map<string, Map<number, number>>();
function offsetAtUtcMidnight(day: number, tz: string): number {
  let days = midnightOffsets.get(tz);
  if (!days) midnightOffsets.set(tz, (days = new Map()));
  let off = days.get(day);
  if (off === undefined) {
    if (days.size > 50_000) days.clear();
    const c = exactCivil(day * DAY, tz);
    off = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - day * DAY;
    days.set(day, off);
  }
  return off;
}

export function toCivil(ms: number, tz: string): Civil {
  const day = Math.floor(ms / DAY);
  const off = offsetAtUtcMidnight(day, tz);
  if (off !== offsetAtUtcMidnight(day + 1, tz)) return exactCivil(ms, tz);
  const d = new Date(Math.floor(ms / 1000) * 1000 + off);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/**
 * A Date whose browser-local fields show the wall-clock time in `tz` (what uPlot's tzDate makes,
 * but with one cached formatter instead of a new one per call: the axes ask for many).
 */
export function zonedDate(ms: number, tz: string): Date {
  const c = toCivil(ms, tz);
  return new Date(c.year, c.month - 1, c.day, c.hour, c.minute, c.second, ((ms % 1000) + 1000) % 1000);
}

/** UTC ms of a local wall-clock time; in a DST gap the later offset is used, in an overlap the first. */
export function fromCivil(c: Omit<Civil, 'second'> & { second?: number }, tz: string): number {
  const naive = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second ?? 0);
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const l = toCivil(guess, tz);
    const shown = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    const next = guess + (naive - shown);
    if (next === guess) break;
    guess = next;
  }
  // Prefer the earlier instant when the wall time occurs twice.
  const earlier = guess - HOUR;
  const e = toCivil(earlier, tz);
  if (Date.UTC(e.year, e.month - 1, e.day, e.hour, e.minute, e.second) === naive) return earlier;
  return guess;
}

export type PeriodKind = 'hour' | 'day' | 'week' | 'month' | 'year';

/** Start of the local calendar period containing `ms` (weeks start on Monday). */
export function periodStart(kind: PeriodKind, ms: number, tz: string): number {
  const c = toCivil(ms, tz);
  switch (kind) {
    case 'hour': return fromCivil({ ...c, minute: 0, second: 0 }, tz);
    case 'day': return fromCivil({ ...c, hour: 0, minute: 0, second: 0 }, tz);
    case 'week': {
      const weekday = (new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay() + 6) % 7;
      const d = new Date(Date.UTC(c.year, c.month - 1, c.day - weekday));
      return fromCivil({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0 }, tz);
    }
    case 'month': return fromCivil({ year: c.year, month: c.month, day: 1, hour: 0, minute: 0 }, tz);
    case 'year': return fromCivil({ year: c.year, month: 1, day: 1, hour: 0, minute: 0 }, tz);
  }
}

/** Start of the period `n` periods after the one starting at `start` (n may be negative). */
export function addPeriods(kind: PeriodKind, start: number, n: number, tz: string): number {
  const c = toCivil(start, tz);
  switch (kind) {
    case 'hour': return start + n * HOUR;
    case 'day': return fromCivil(civilDate(c.year, c.month, c.day + n), tz);
    case 'week': return fromCivil(civilDate(c.year, c.month, c.day + 7 * n), tz);
    case 'month': return fromCivil(civilDate(c.year, c.month + n, 1), tz);
    case 'year': return fromCivil(civilDate(c.year + n, 1, 1), tz);
  }
}

function civilDate(y: number, m: number, d: number) {
  const x = new Date(Date.UTC(y, m - 1, d));
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate(), hour: 0, minute: 0 };
}

/** Day × hour matrices of several meters added cell by cell; a cell missing everywhere stays null. */
export function sumMatrices(list: { day_ms: number; wh: (number | null)[] }[][]): { day_ms: number; wh: (number | null)[] }[] {
  const by = new Map<number, (number | null)[]>();
  for (const days of list)
    for (const d of days) {
      const row = by.get(d.day_ms) ?? new Array<number | null>(24).fill(null);
      d.wh.forEach((v, h) => { if (v != null) row[h] = (row[h] ?? 0) + v; });
      by.set(d.day_ms, row);
    }
  return Array.from(by.entries()).sort((a, b) => a[0] - b[0]).map(([day_ms, wh]) => ({ day_ms, wh }));
}

/** Mean Wh per hour of day over all days (null where no day has data). */
export function hourProfile(days: { wh: (number | null)[] }[]): (number | null)[] {
  const out: (number | null)[] = [];
  for (let h = 0; h < 24; h++) {
    const vals = days.map((d) => d.wh[h]).filter((v): v is number => v != null);
    out.push(vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null);
  }
  return out;
}

/** Relative position of a voltage within a band drawn from lo to hi, clamped to 0..1. */
export function bandPosition(v: number, lo: number, hi: number): number {
  return Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
}

/**
 * "The last 12 months" of the Insights cards: the 365 or 366 local days up to and including
 * today, whole days so every card that uses it covers exactly the same time.
 */
export function last12Months(now: number, tz: string): [number, number] {
  const to = addPeriods('day', periodStart('day', now, tz), 1, tz);
  const c = toCivil(to, tz);
  return [fromCivil(civilDate(c.year - 1, c.month, c.day), tz), to];
}
