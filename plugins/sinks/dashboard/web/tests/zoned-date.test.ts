import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { toCivil, zonedDate } from '../src/shape';

describe('zonedDate', () => {
  it('shows the same wall-clock time as uPlot.tzDate, across both DST changes', () => {
    const instants = [Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(2026, 9, 25, 0, 30, 0),
      Date.UTC(2026, 9, 25, 1, 30, 0), Date.UTC(2026, 11, 31, 23, 0, 0, 250), Date.UTC(2025, 5, 15, 12, 0, 0)];
    for (const tz of ['Europe/Zurich', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
      for (const ms of instants) expect(zonedDate(ms, tz).getTime(), `${tz} ${new Date(ms).toISOString()}`).toBe(uPlot.tzDate(new Date(ms), tz).getTime());
    }
  });
});

const rules = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock time from the zone's rules directly: one formatToParts per instant. */
function oracle(ms: number, tz: string) {
  if (!rules.has(tz)) rules.set(tz, new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }));
  const c: Record<string, number> = {};
  for (const p of rules.get(tz)!.formatToParts(new Date(ms))) if (p.type !== 'literal') c[p.type] = Number(p.value);
  return { year: c.year, month: c.month, day: c.day, hour: c.hour % 24, minute: c.minute, second: c.second };
}

describe('toCivil', () => {
  const zones = ['Europe/Zurich', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kathmandu', 'Pacific/Chatham',
    'America/Sao_Paulo', 'Africa/Casablanca', 'America/New_York', 'UTC'];
  it('equals the zone rules at instants spread over two years, in zones with odd offsets and changes', () => {
    for (const tz of zones) {
      for (const [from, to] of [[Date.UTC(2011, 0, 1), Date.UTC(2012, 0, 1)], [Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)]]) {
        // 53 min 7.3 s: every hour of the day and every minute offset comes round, fractions of a second too.
        for (let ms = from; ms < to; ms += 3_187_300) {
          const got = toCivil(ms, tz);
          const want = oracle(ms, tz);
          if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `${tz} ${new Date(ms).toISOString()}`).toEqual(want);
        }
      }
    }
  });
  it('equals the zone rules a second either side of offset changes and before time zones', () => {
    const cases: [string, number][] = [
      ['Europe/Zurich', Date.UTC(2026, 2, 29, 1)], ['Europe/Zurich', Date.UTC(2026, 9, 25, 1)], ['Europe/Zurich', Date.UTC(1890, 5, 1, 12, 0, 7)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)], ['Australia/Lord_Howe', Date.UTC(2026, 9, 3, 15, 30)],
      ['Pacific/Apia', Date.UTC(2011, 11, 30, 10)], ['America/St_Johns', Date.UTC(2026, 2, 8, 5, 30)], ['Asia/Kathmandu', Date.UTC(1985, 11, 31, 18, 30)],
    ];
    for (const [tz, at] of cases) {
      for (const d of [-3_600_000, -1000, -1, 0, 1, 999, 1000, 1_800_000, 3_600_000]) {
        expect(toCivil(at + d, tz), `${tz} ${new Date(at + d).toISOString()}`).toEqual(oracle(at + d, tz));
      }
    }
  });
});
