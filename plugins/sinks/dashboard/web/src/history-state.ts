// What History shows, read from and written to the address: the range kind, the date it
// starts on, a zoom, and an overlay of two meters or of two periods.
import { isoDate, parseIsoDate } from './route';
import { addPeriods, DAY, fromCivil, HOUR, periodStart, type PeriodKind, toCivil } from './shape';

export type RangeKind = 'day' | 'week' | 'month' | 'year' | 'years5' | 'custom';
export const KINDS: RangeKind[] = ['day', 'week', 'month', 'year', 'years5', 'custom'];
export type Overlay = 'none' | 'meters' | 'periods';

export interface HistoryState {
  kind: RangeKind;
  /** The range shown, [from, to) in ms. */
  from: number; to: number;
  zoom: [number, number] | null;
  overlay: Overlay;
  /** The two meters of a meter overlay. */
  a: string | null; b: string | null;
  /** Start of the other period of a period overlay. */
  vs: number | null;
}

export interface Limits { tz: string; now: number; earliest: number; kinds: RangeKind[] }

export function rangeOf(kind: Exclude<RangeKind, 'custom'>, at: number, tz: string): [number, number] {
  if (kind === 'years5') {
    const end = addPeriods('year', periodStart('year', at, tz), 1, tz);
    return [addPeriods('year', end, -5, tz), end];
  }
  const s = periodStart(kind, at, tz);
  return [s, addPeriods(kind, s, 1, tz)];
}

const midnight = (d: { year: number; month: number; day: number }, tz: string) => fromCivil({ ...d, hour: 0, minute: 0 }, tz);

/** The state an address describes; anything missing or invalid falls back to the latest period. */
export function readState(p: URLSearchParams, l: Limits): HistoryState {
  const asked = p.get('range') as RangeKind | null;
  const kind: RangeKind = asked && l.kinds.includes(asked) ? asked : l.kinds[0];
  const date = parseIsoDate(p.get('date'));
  const clamp = (ms: number) => Math.max(l.earliest, Math.min(l.now, ms));
  const at = clamp(date ? midnight(date, l.tz) : l.now);
  let from: number;
  let to: number;
  if (kind === 'custom') {
    const end = parseIsoDate(p.get('to'));
    from = periodStart('day', at, l.tz);
    to = end ? addPeriods('day', midnight(end, l.tz), 1, l.tz) : addPeriods('day', periodStart('day', l.now, l.tz), 1, l.tz);
    if (to <= from) to = addPeriods('day', from, 1, l.tz);
  } else {
    [from, to] = rangeOf(kind, at, l.tz);
  }
  const z = /^(\d+)-(\d+)$/.exec(p.get('zoom') ?? '');
  const zoom: [number, number] | null = z && Number(z[2]) > Number(z[1]) ? [Number(z[1]), Number(z[2])] : null;
  const ov = p.get('overlay');
  const overlay: Overlay = ov === 'meters' || ov === 'periods' ? ov : 'none';
  const vsDate = parseIsoDate(p.get('vs'));
  return { kind, from, to, zoom, overlay, a: p.get('a'), b: p.get('b'), vs: vsDate ? midnight(vsDate, l.tz) : null };
}

/** The address parameters of a state (the meter choice is the shell's and is kept apart). */
export function writeState(s: HistoryState, tz: string): Record<string, string | null> {
  return {
    range: s.kind,
    date: isoDate(toCivil(s.from, tz)),
    to: s.kind === 'custom' ? isoDate(toCivil(s.to - 1, tz)) : null,
    zoom: s.zoom ? `${Math.round(s.zoom[0])}-${Math.round(s.zoom[1])}` : null,
    overlay: s.overlay === 'none' ? null : s.overlay,
    a: s.overlay === 'meters' ? s.a : null,
    b: s.overlay === 'meters' ? s.b : null,
    vs: s.overlay === 'periods' ? isoDate(toCivil(otherRange(s, tz)[0], tz)) : null,
  };
}

/** The range `n` steps later (earlier when negative); a custom range moves by its own length in days. */
export function stepRange(s: HistoryState, n: number, tz: string): [number, number] {
  if (s.kind === 'custom') {
    const days = Math.max(1, Math.round((s.to - s.from) / DAY));
    return [addPeriods('day', s.from, n * days, tz), addPeriods('day', s.to, n * days, tz)];
  }
  if (s.kind === 'years5') return rangeOf('years5', addPeriods('year', s.from, 5 * n + 4, tz), tz);
  return rangeOf(s.kind, addPeriods(s.kind, s.from, n, tz), tz);
}

/** The period of one energy bar for a range: hours in a day, days up to two months, then months, then years. */
export function barPeriod(kind: RangeKind, from: number, to: number, hourly: boolean): PeriodKind {
  const span = to - from;
  const p: PeriodKind = kind === 'day' || (kind === 'custom' && span <= 2 * DAY + 2 * HOUR) ? 'hour'
    : kind === 'week' || kind === 'month' || (kind === 'custom' && span <= 62 * DAY) ? 'day'
    : kind === 'year' || (kind === 'custom' && span <= 3 * 366 * DAY) ? 'month' : 'year';
  return p === 'hour' && !hourly ? 'day' : p;
}

/** The other period of a period overlay: as asked, else the same period a year earlier. */
export function otherRange(s: HistoryState, tz: string): [number, number] {
  const c = toCivil(s.from, tz);
  // The same calendar day a year earlier (29 February becomes 1 March).
  const start = s.vs ?? fromCivil({ year: c.year - 1, month: c.month, day: c.day, hour: 0, minute: 0 }, tz);
  if (s.kind === 'custom' || s.kind === 'years5') return [start, start + (s.to - s.from)];
  const from = periodStart(s.kind, start, tz);
  return [from, addPeriods(s.kind, from, 1, tz)];
}

/** Spans of periods without data that have begun before `now`: [from, to) in ms. */
export function missingPeriods(periods: { start_ms: number; end_ms: number; wh: number | null }[], now: number): [number, number][] {
  return periods.filter((p) => p.wh == null && p.start_ms < now).map((p) => [p.start_ms, Math.min(p.end_ms, now)] as [number, number]);
}
