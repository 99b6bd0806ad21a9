import { describe, expect, it } from 'vitest';
import type { CommunityDay, CommunityDaysReply } from '../src/api';
import {
  allocationBars, memberIn, memberTotals, periodDates, periodLabelAt, recentPeriods, selfSufficiency, totalsOf,
} from '../src/community';

function day(date: string, p: Partial<CommunityDay>): CommunityDay {
  return { date, start_ms: Date.parse(`${date}T00:00:00Z`), end_ms: Date.parse(`${date}T00:00:00Z`) + 86_400_000, intervals: 96, resolved_intervals: 96, production_wh: 0,
    consumption_wh: 0, local_wh: 0, grid_wh: 0, fed_in_wh: 0, self_sufficiency: null, consumption: [0, 0, 0], production: [0, 0, 0],
    allocated: [0, 0, 0], grid: [0, 0, 0], sold: [0, 0, 0], ...p };
}

const reply: CommunityDaysReply = {
  period: '2026-11', unresolved_intervals: 40, production_wh: 900, consumption_wh: 1300, local_wh: 700, grid_wh: 600, fed_in_wh: 200,
  members: [{ member: 'roof', name: 'Roof', role: 'producer' }, { member: 'f1', name: 'Flat 1', role: 'consumer' }, { member: 'f2', name: 'Flat 2', role: 'consumer' }],
  days: [
    day('2026-11-29', { production_wh: 600, consumption_wh: 700, local_wh: 500, grid_wh: 200, consumption: [0, 400, 300], allocated: [0, 300, 200], grid: [0, 100, 100], sold: [500, 0, 0] }),
    day('2026-11-30', { production_wh: 300, consumption_wh: 600, local_wh: 200, grid_wh: 400, resolved_intervals: 56, consumption: [0, 600, 0], allocated: [0, 200, 0], grid: [0, 400, 0], sold: [200, 0, 0] }),
    day('2026-12-01', { resolved_intervals: 0 }),
  ],
};

describe('billing periods', () => {
  it('names the period containing an instant in the meters\' zone', () => {
    // 23:30 UTC on 30 November is already 1 December in Zurich.
    const t = Date.UTC(2026, 10, 30, 23, 30);
    expect(periodLabelAt('month', t, 'Europe/Zurich')).toBe('2026-12');
    expect(periodLabelAt('month', t, 'UTC')).toBe('2026-11');
    expect(periodLabelAt('quarter', t, 'UTC')).toBe('2026-Q4');
    expect(periodLabelAt('year', t, 'UTC')).toBe('2026');
  });
  it('lists the latest periods newest first, across a new year', () => {
    const t = Date.UTC(2026, 1, 10);
    expect(recentPeriods('month', t, 'UTC', 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(recentPeriods('quarter', t, 'UTC', 3)).toEqual(['2026-Q1', '2025-Q4', '2025-Q3']);
    expect(recentPeriods('year', t, 'UTC', 2)).toEqual(['2026', '2025']);
  });
  it('knows the first and last day of each', () => {
    expect(periodDates('2028-02')).toEqual(['2028-02-01', '2028-02-29']);
    expect(periodDates('2026-Q4')).toEqual(['2026-10-01', '2026-12-31']);
    expect(periodDates('2026')).toEqual(['2026-01-01', '2026-12-31']);
  });
  it('bills a member only for its membership', () => {
    expect(memberIn({ from: '2026-04-01', to: null }, '2026-03-01', '2026-03-31')).toBe(false);
    expect(memberIn({ from: '2025-01-01', to: '2026-03-31' }, '2026-03-01', '2026-03-31')).toBe(true);
    expect(memberIn({ from: '2025-01-01', to: '2026-02-28' }, '2026-03-01', '2026-03-31')).toBe(false);
  });
});

describe('the days summed', () => {
  it('takes self-sufficiency of the sums, per day and per month', () => {
    const month = totalsOf(reply.days, '2026-11');
    expect(month).toMatchObject({ consumption_wh: 1300, local_wh: 700, days: 2, incomplete: 1 });
    expect(selfSufficiency(month)).toBeCloseTo(700 / 1300, 12);
    expect(selfSufficiency(totalsOf(reply.days, '2026-11-30'))).toBeCloseTo(1 / 3, 12);
    expect(selfSufficiency(totalsOf(reply.days, '2026-12-01'))).toBeNull();
    expect(totalsOf(reply.days).incomplete).toBe(2);
    // Before 1 December is over, its missing intervals are yet to come.
    expect(totalsOf(reply.days, '', Date.parse('2026-12-01T12:00:00Z')).incomplete).toBe(1);
  });
  it('adds each member up', () => {
    const t = memberTotals(reply);
    expect(t.map((m) => [m.member, m.consumption_wh, m.allocated_wh, m.grid_wh, m.sold_wh])).toEqual([
      ['roof', 0, 0, 0, 700], ['f1', 1000, 500, 500, 0], ['f2', 300, 200, 100, 0]]);
  });
  it('stacks the members that used energy and the grid, a day without data a gap', () => {
    const b = allocationBars(reply);
    expect(b.members).toEqual([1, 2]);
    expect(b.local).toEqual([[0.3, 0.2, null], [0.2, 0, null]]);
    expect(b.grid).toEqual([0.2, 0.4, null]);
  });
});
