import { describe, expect, it } from 'vitest';
import type { EnergyPeriod } from '../src/api';
import {
  addPeriods, bucketEnergy, chooseResolution, DAY, energyBars, fromCivil, HOUR, hourProfile, integratePower, last12Months, lineOf,
  maxGapFor, MINUTE, periodStart, selectionRange, sumLines, sumMatrices, sumPeriods, toCivil, withGaps,
} from '../src/shape';

const ZRH = 'Europe/Zurich';
const period = (start: number, wh: number | null, cost: number | null = null, extra: Partial<EnergyPeriod> = {}): EnergyPeriod =>
  ({ start_ms: start, end_ms: start + DAY, wh, cost, coverage: wh == null ? 0 : 1, source: 'register', ...extra });

describe('withGaps', () => {
  it('converts to seconds and keeps close points joined', () => {
    const [x, y] = withGaps({ t: [0, 5000, 10000], v: [1, 2, 3] }, 60_000);
    expect(x).toEqual([0, 5, 10]);
    expect(y).toEqual([1, 2, 3]);
  });
  it('inserts a null between points further apart than the gap limit', () => {
    const [x, y] = withGaps({ t: [0, 60_000, 600_000, 660_000], v: [1, 2, 3, 4] }, 90_000);
    expect(y).toEqual([1, 2, null, 3, 4]);
    expect(x[2]).toBeGreaterThan(60);
    expect(x[2]).toBeLessThan(600);
    // x stays sorted so uPlot can draw it
    expect([...x].sort((a, b) => a - b)).toEqual(x);
  });
  it('keeps null bucket means as gaps and carries the min/max band', () => {
    const d = withGaps({ t: [0, MINUTE, 2 * MINUTE], v: [1, null, 3], min: [0, null, 2], max: [2, null, 4] }, maxGapFor('1m'));
    expect(d).toHaveLength(4);
    expect(d[1]).toEqual([1, null, 3]);
    expect(d[2]).toEqual([0, null, 2]);
  });
  it('treats NaN as a gap', () => {
    expect(withGaps({ t: [0, 1000], v: [NaN, 1] }, 5000)[1]).toEqual([null, 1]);
  });
});

describe('lineOf', () => {
  it('reads raw values and bucket means', () => {
    expect(lineOf({ meter: 'a', quantity: 'p', unit: 'W', resolution: 'raw', t: [1, 2], value: [3, 4] })).toEqual({ t: [1, 2], v: [3, 4] });
    const b = lineOf({ meter: 'a', quantity: 'p', unit: 'W', resolution: '1h', t: [1], mean: [5], min: [4], max: [6], energy_wh: [5] });
    expect(b.v).toEqual([5]);
    expect(b.max).toEqual([6]);
    expect(b.wh).toEqual([5]);
  });
});

describe('resolution', () => {
  it('follows the server rule and never asks for raw when meters are combined', () => {
    expect(chooseResolution(HOUR)).toBe('raw');
    expect(chooseResolution(HOUR, true)).toBe('1m');
    expect(chooseResolution(DAY)).toBe('1m');
    expect(chooseResolution(7 * DAY)).toBe('15m');
    expect(chooseResolution(31 * DAY)).toBe('1h');
    expect(chooseResolution(365 * DAY)).toBe('1d');
  });
  it('tolerates 25-hour days but not a missing day', () => {
    expect(25 * HOUR).toBeLessThan(maxGapFor('1d'));
    expect(2 * DAY).toBeGreaterThan(maxGapFor('1d'));
    expect(maxGapFor('raw')).toBe(5 * MINUTE);
    // The server's limit for the series wins: an hourly meter's line is not all gaps.
    expect(maxGapFor('raw', 15_000)).toBe(15_000);
    expect(maxGapFor('1m', 3 * HOUR)).toBe(3 * HOUR);
    expect(maxGapFor('1h', MINUTE)).toBe(1.5 * HOUR);
  });
});

describe('sumLines', () => {
  it('adds aligned meters and leaves a gap where one meter lacks data', () => {
    const s = sumLines([{ t: [0, 60, 120], v: [1, 2, 3] }, { t: [0, 120], v: [10, 30] }]);
    expect(s.t).toEqual([0, 60, 120]);
    expect(s.v).toEqual([11, null, 33]);
  });
  it('ignores a meter without any data in the range', () => {
    expect(sumLines([{ t: [0], v: [1] }, { t: [], v: [] }]).v).toEqual([1]);
  });
  it('null in one meter makes the total null', () => {
    expect(sumLines([{ t: [0], v: [null] }, { t: [0], v: [5] }]).v).toEqual([null]);
  });
  it('merges lines that start, stop and pause at different times, with their energy', () => {
    const s = sumLines([
      { t: [60, 120, 180, 240], v: [1, 2, 3, 4], wh: [0.1, 0.2, 0.3, 0.4] },
      { t: [0, 60, 180, 240, 300], v: [10, 20, 30, 40, 50], wh: [1, 2, 3, null, 5] },
      { t: [60, 180, 240], v: [100, 300, 400], wh: [10, 30, 40] },
    ]);
    expect(s.t).toEqual([0, 60, 120, 180, 240, 300]);
    expect(s.v).toEqual([null, 121, null, 333, 444, null]);
    expect(s.wh).toEqual([null, 12.1, null, 33.3, null, null]);
  });
  it('counts a repeated time once, with its last value', () => {
    expect(sumLines([{ t: [0, 60, 60, 120], v: [1, 2, 3, 4] }, { t: [0, 60, 120], v: [10, 20, 30] }]).v).toEqual([11, 23, 34]);
  });
  it('sums lines of the same times by index, as the merge does', () => {
    const lines = [
      { t: [0, 60, 120, 180], v: [1, null, 3, 4], wh: [0.1, 0.2, null, 0.4] },
      { t: [0, 60, 120, 180], v: [10, 20, 30, 40], wh: [1, 2, 3, 4] },
      { t: [0, 60, 120, 180], v: [100, 200, 300, undefined as unknown as null], wh: [10, 20, 30, 40] },
    ];
    const s = sumLines(lines);
    expect(s.t).toEqual([0, 60, 120, 180]);
    expect(s.v).toEqual([111, null, 333, null]);
    expect(s.wh?.map((x) => (x == null ? null : Math.round(x * 10) / 10))).toEqual([11.1, 22.2, null, 44.4]);
    // The same lines with one time more in a copy take the merge: equal where times agree.
    const merged = sumLines([...lines.slice(0, 2), { ...lines[2], t: [0, 60, 120, 180, 240], v: [...lines[2].v, 5], wh: [...lines[2].wh, 5] }]);
    expect(merged.v.slice(0, 4)).toEqual(s.v);
    expect(merged.v[4]).toBeNull();
    expect(sumLines([{ t: [0, 60], v: [1, 2] }, { t: [0, 60], v: [3, 4] }]).wh).toBeUndefined();
  });
  it('equals a sum per timestamp for many random aligned meters', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const lines = Array.from({ length: 4 }, () => {
      const t = Array.from({ length: 300 }, (_, i) => i * 60).filter(() => rnd() > 0.1);
      return { t, v: t.map(() => (rnd() > 0.05 ? Math.round(rnd() * 1000) : null)) };
    });
    const s = sumLines(lines);
    const all = [...new Set(lines.flatMap((l) => l.t))].sort((a, b) => a - b);
    expect(s.t).toEqual(all);
    expect(s.v).toEqual(all.map((t) => lines.reduce<number | null>((acc, l) => {
      const i = l.t.indexOf(t);
      return acc == null || i < 0 || l.v[i] == null ? null : acc + (l.v[i] as number);
    }, 0)));
  });
});

describe('energy periods', () => {
  it('sums meters per period start and keeps all-missing periods null', () => {
    const s = sumPeriods([[period(0, 1000, 0.2), period(DAY, null)], [period(0, 500, 0.1), period(DAY, null)]]);
    expect(s.map((p) => p.wh)).toEqual([1500, null]);
    expect(s[0].cost).toBeCloseTo(0.3);
    expect(s[0].coverage).toBeCloseTo(1);
  });
  it('adds HT/NT splits', () => {
    const s = sumPeriods([[period(0, 10, 1, { ht_wh: 6, nt_wh: 4 })], [period(0, 5, 1, { ht_wh: 1, nt_wh: 4 })]]);
    expect([s[0].ht_wh, s[0].nt_wh]).toEqual([7, 8]);
  });
  it('adds the estimated parts of several meters', () => {
    const s = sumPeriods([[period(0, 10, 1, { estimated_wh: 4 })], [period(0, 5, 1)], [period(0, 5, 1, { estimated_wh: 2 })]]);
    expect(s[0].wh).toBe(20);
    expect(s[0].estimated_wh).toBe(6);
  });
  it('bars are kWh at period starts in seconds with gaps as null', () => {
    expect(energyBars([period(0, 2500), period(DAY, null)])).toEqual([[0, DAY / 1000], [2.5, null], [null, null]]);
    // The estimated part of a period (spread over a gap) is its own row, drawn hatched.
    expect(energyBars([period(0, 2500, null, { estimated_wh: 1000 })])[2]).toEqual([1]);
  });
});

describe('range energy', () => {
  it('integrates constant power exactly', () => {
    const t = [0, 60_000, 120_000, 180_000];
    expect(integratePower(t, [1200, 1200, 1200, 1200], 0, 180_000)).toBeCloseTo(60);
    expect(integratePower(t, [1200, 1200, 1200, 1200], 30_000, 90_000)).toBeCloseTo(20);
  });
  it('integrates a ramp by trapezoids and clips to the range', () => {
    expect(integratePower([0, HOUR], [0, 1000], 0, HOUR, 2 * HOUR)).toBeCloseTo(500);
    expect(integratePower([0, HOUR], [0, 1000], HOUR / 2, HOUR, 2 * HOUR)).toBeCloseTo(375);
  });
  it('does not integrate across a gap', () => {
    expect(integratePower([0, 10 * MINUTE], [1000, 1000], 0, 10 * MINUTE)).toBeNull();
    expect(integratePower([0, MINUTE, 20 * MINUTE, 21 * MINUTE], [600, 600, 600, 600], 0, 21 * MINUTE)).toBeCloseTo(20);
  });
  it('counts partial buckets pro rata', () => {
    expect(bucketEnergy([0, HOUR, 2 * HOUR], [100, 200, null], HOUR, HOUR / 2, 2 * HOUR)).toBeCloseTo(250);
    expect(bucketEnergy([0], [null], HOUR, 0, HOUR)).toBeNull();
  });
  it('turns a pixel selection into a clamped time range in ms', () => {
    const posToVal = (px: number) => px * 10;
    expect(selectionRange(10, 20, posToVal, 0, 1000)).toEqual([100_000, 300_000]);
    expect(selectionRange(90, 50, posToVal, 0, 1000)).toEqual([900_000, 1_000_000]);
    expect(selectionRange(10, 1, posToVal, 0, 1000)).toBeNull();
  });
});

describe('calendar in a time zone', () => {
  it('round-trips wall-clock time', () => {
    const t = fromCivil({ year: 2025, month: 7, day: 1, hour: 12, minute: 30 }, ZRH);
    expect(new Date(t).toISOString()).toBe('2025-07-01T10:30:00.000Z');
    expect(toCivil(t, ZRH)).toMatchObject({ year: 2025, month: 7, day: 1, hour: 12, minute: 30 });
  });
  it('local midnight of a 23-hour and a 25-hour day', () => {
    const spring = periodStart('day', Date.parse('2025-03-30T12:00:00Z'), ZRH);
    expect(new Date(spring).toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(addPeriods('day', spring, 1, ZRH) - spring).toBe(23 * HOUR);
    const autumn = periodStart('day', Date.parse('2025-10-26T12:00:00Z'), ZRH);
    expect(addPeriods('day', autumn, 1, ZRH) - autumn).toBe(25 * HOUR);
  });
  it('weeks start on Monday, months and years at local midnight', () => {
    const wed = Date.parse('2025-01-15T10:00:00Z');
    expect(new Date(periodStart('week', wed, ZRH)).toISOString()).toBe('2025-01-12T23:00:00.000Z');
    expect(new Date(periodStart('month', wed, ZRH)).toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(new Date(periodStart('year', Date.parse('2025-08-01T00:00:00Z'), ZRH)).toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(new Date(addPeriods('month', periodStart('month', wed, ZRH), -1, ZRH)).toISOString()).toBe('2024-11-30T23:00:00.000Z');
  });
  it('picks the first instant of a repeated hour', () => {
    const t = fromCivil({ year: 2025, month: 10, day: 26, hour: 2, minute: 30 }, ZRH);
    expect(new Date(t).toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });
});

describe('insight shaping', () => {
  it('adds matrices cell by cell and keeps missing hours null', () => {
    const a = [{ day_ms: 0, wh: [1, null, ...new Array(22).fill(null)] }];
    const b = [{ day_ms: 0, wh: [2, null, ...new Array(22).fill(null)] }, { day_ms: DAY, wh: new Array(24).fill(3) }];
    const s = sumMatrices([a, b]);
    expect(s).toHaveLength(2);
    expect(s[0].wh.slice(0, 2)).toEqual([3, null]);
    expect(hourProfile(s)[0]).toBe(3);
    expect(hourProfile([{ wh: new Array(24).fill(null) }])[5]).toBeNull();
  });
});

describe('last12Months', () => {
  const tz = 'Europe/Zurich';
  it('is the whole local days of the year up to and including today', () => {
    const [from, to] = last12Months(Date.UTC(2026, 11, 6, 16, 30), tz);  // 6 Dec 2026, 17:30 in Zurich
    expect(from).toBe(Date.UTC(2025, 11, 6, 23));  // 7 Dec 2025, 00:00 CET
    expect(to).toBe(Date.UTC(2026, 11, 6, 23));    // 7 Dec 2026, 00:00 CET
  });
  it('starts at local midnight across a DST change and counts 366 days in a leap year', () => {
    const [from, to] = last12Months(Date.UTC(2024, 6, 1, 10), tz);  // 1 Jul 2024
    expect(from).toBe(Date.UTC(2023, 6, 1, 22));  // 2 Jul 2023, 00:00 CEST
    expect((to - from) / DAY).toBe(366);
  });
});

describe('periodStart of a day', () => {
  it('is the local midnight itself, not the current second of it', () => {
    expect(periodStart('day', Date.UTC(2026, 11, 6, 16, 43, 12, 345), 'Europe/Zurich')).toBe(Date.UTC(2026, 11, 5, 23));
  });
});

describe('typicalStep', () => {
  it('is the median distance, so a rhythm of every other bucket is no gap but a long silence stands out', async () => {
    const { typicalStep } = await import('../src/shape');
    expect(typicalStep([0, 120, 240, 360, 5000, 5120])).toBe(120);
    expect(typicalStep([0, 1])).toBe(0);
  });
});
