import { describe, expect, it } from 'vitest';
import { barPeriod, missingPeriods, otherRange, readState, stepRange, writeState } from '../src/history-state';
import { parseRoute, routeHash } from '../src/route';
import { csvText, localStamp } from '../src/download';
import { DAY, fromCivil } from '../src/shape';

const ZRH = 'Europe/Zurich';
const at = (y: number, m: number, d: number, hour = 0) => fromCivil({ year: y, month: m, day: d, hour, minute: 0 }, ZRH);
const limits = { tz: ZRH, now: at(2026, 12, 6, 14), earliest: 0, kinds: ['day', 'week', 'month', 'year', 'years5', 'custom'] as const };
const read = (q: string, l = limits) => readState(new URLSearchParams(q), { ...l, kinds: [...l.kinds] });

describe('history state in the address', () => {
  it('reads a month and writes it back unchanged', () => {
    const s = read('range=month&date=2025-11-01');
    expect([s.from, s.to]).toEqual([at(2025, 11, 1), at(2025, 12, 1)]);
    expect(writeState(s, ZRH)).toMatchObject({ range: 'month', date: '2025-11-01', to: null, zoom: null });
  });
  it('falls back to the latest period of the first kind offered', () => {
    const s = read('range=bogus&date=yesterday', { ...limits, kinds: ['week', 'month'] as never });
    expect(s.kind).toBe('week');
    expect(s.from).toBe(at(2026, 11, 30));
  });
  it('never opens after now: a date in the future shows the latest period', () => {
    expect(read('range=day&date=2030-01-01').from).toBe(at(2026, 12, 6));
  });
  it('keeps a custom range with its last day included, and steps it by its length', () => {
    const s = read('range=custom&date=2026-11-02&to=2026-11-06');
    expect([s.from, s.to]).toEqual([at(2026, 11, 2), at(2026, 11, 7)]);
    expect(writeState(s, ZRH).to).toBe('2026-11-06');
    expect(stepRange(s, -1, ZRH)).toEqual([at(2026, 10, 28), at(2026, 11, 2)]);
  });
  it('reads a zoom and an overlay of two periods', () => {
    const s = read('range=day&date=2026-12-01&zoom=100-200&overlay=periods&vs=2025-12-01');
    expect(s.zoom).toEqual([100, 200]);
    expect(otherRange(s, ZRH)).toEqual([at(2025, 12, 1), at(2025, 12, 2)]);
    expect(writeState(s, ZRH)).toMatchObject({ overlay: 'periods', vs: '2025-12-01', zoom: '100-200' });
  });
  it('compares with the same period a year earlier by default', () => {
    expect(otherRange(read('range=month&date=2026-03-01&overlay=periods'), ZRH)).toEqual([at(2025, 3, 1), at(2025, 4, 1)]);
  });
  it('steps a DST day as one calendar day', () => {
    const s = read('range=day&date=2026-03-29');
    expect(s.to - s.from).toBe(23 * 3_600_000);
    expect(stepRange(s, 1, ZRH)[0]).toBe(at(2026, 3, 30));
  });
  it('chooses bars by range and by what the detail allows', () => {
    expect(barPeriod('day', 0, DAY, true)).toBe('hour');
    expect(barPeriod('day', 0, DAY, false)).toBe('day');
    expect(barPeriod('custom', 0, 20 * DAY, true)).toBe('day');
    expect(barPeriod('custom', 0, 200 * DAY, true)).toBe('month');
    expect(barPeriod('years5', 0, 5 * 365 * DAY, true)).toBe('year');
  });
  it('marks periods without data up to now only', () => {
    expect(missingPeriods([{ start_ms: 0, end_ms: 10, wh: null }, { start_ms: 10, end_ms: 20, wh: 5 }, { start_ms: 20, end_ms: 30, wh: null }], 25))
      .toEqual([[0, 10], [20, 25]]);
  });
});

describe('route', () => {
  it('parses and writes view and parameters', () => {
    const r = parseRoute('#/history?range=week&meter=SIM-house');
    expect(r.view).toBe('history');
    expect(r.params.get('range')).toBe('week');
    expect(routeHash('history', { range: 'week', meter: null, date: '' })).toBe('#/history?range=week');
  });
});

describe('csv', () => {
  it('quotes what needs quoting and leaves missing values empty', () => {
    expect(csvText(['a', 'b [kWh]'], [['x, y', 1.5], ['"q"', null]])).toBe('a,b [kWh]\r\n"x, y",1.5\r\n"""q""",\r\n');
  });
  it('writes local times of the zone named in the header', () => {
    expect(localStamp(Date.UTC(2026, 6, 1, 12), ZRH)).toBe('2026-07-01 14:00:00');
  });
});
