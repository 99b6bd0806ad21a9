// The community view's arithmetic, apart from the page: billing periods as the server names
// them, the days of a period summed to a month or a day, and the members' totals for the
// table. Ratios are taken of sums (never the mean of daily ratios).
import type { BillingPeriod, CommunityDay, CommunityDaysReply, CommunityMember } from './api';
import { toCivil } from './shape';

/** The billing period containing `ms` in zone `tz`, as the API writes it: 2026-11, 2026-Q4 or 2026. */
export function periodLabelAt(kind: BillingPeriod, ms: number, tz: string): string {
  const c = toCivil(ms, tz);
  if (kind === 'year') return String(c.year);
  if (kind === 'quarter') return `${c.year}-Q${Math.floor((c.month - 1) / 3) + 1}`;
  return `${c.year}-${String(c.month).padStart(2, '0')}`;
}

/** The `count` latest billing periods up to the one containing `ms`, newest first. */
export function recentPeriods(kind: BillingPeriod, ms: number, tz: string, count: number): string[] {
  const c = toCivil(ms, tz);
  const step = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    // Months since year 0, stepped back by whole periods; the 15th avoids any zone edge.
    const months = c.year * 12 + (c.month - 1) - i * step;
    out.push(periodLabelAt(kind, Date.UTC(Math.floor(months / 12), months % 12, 15, 12), 'UTC'));
  }
  return out;
}

/** The first and last calendar dates (YYYY-MM-DD) of a billing period label. */
export function periodDates(label: string): [string, string] {
  const q = /^(\d{4})-Q([1-4])$/.exec(label);
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  const year = Number(label.slice(0, 4));
  const [first, months] = q ? [3 * Number(q[2]) - 2, 3] : m ? [Number(m[2]), 1] : [1, 12];
  const last = new Date(Date.UTC(year, first - 1 + months, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastMonth = first + months - 1;
  return [`${year}-${pad(first)}-01`, `${year}-${pad(lastMonth)}-${pad(last)}`];
}

export interface Totals { consumption_wh: number; local_wh: number; grid_wh: number; production_wh: number; days: number; incomplete: number }

/**
 * The community's figures over the days whose date starts with `prefix` ("2026-11" a month, a
 * whole date a day). `incomplete` counts the days over by `now` that lack data for some
 * interval; today and the days to come are not yet lacking anything.
 */
export function totalsOf(days: CommunityDay[], prefix = '', now = Infinity): Totals {
  const t: Totals = { consumption_wh: 0, local_wh: 0, grid_wh: 0, production_wh: 0, days: 0, incomplete: 0 };
  for (const d of days) {
    if (!d.date.startsWith(prefix)) continue;
    t.consumption_wh += d.consumption_wh, t.local_wh += d.local_wh, t.grid_wh += d.grid_wh, t.production_wh += d.production_wh;
    t.days++;
    if (d.resolved_intervals < d.intervals && d.end_ms <= now) t.incomplete++;
  }
  return t;
}

/** Local energy over consumption: the share of the members' use the community's own production covered. */
export function selfSufficiency(t: { local_wh: number; consumption_wh: number }): number | null {
  return t.consumption_wh > 0 ? t.local_wh / t.consumption_wh : null;
}

export interface MemberTotal { member: string; name: string; role: string; consumption_wh: number; allocated_wh: number; grid_wh: number; sold_wh: number }

/** Each member's sums over the period's days, in the members' order. */
export function memberTotals(reply: CommunityDaysReply): MemberTotal[] {
  return reply.members.map((m, i) => {
    const sum = (list: keyof Pick<CommunityDay, 'consumption' | 'allocated' | 'grid' | 'sold'>) =>
      reply.days.reduce((a, d) => a + d[list][i], 0);
    return { ...m, consumption_wh: sum('consumption'), allocated_wh: sum('allocated'), grid_wh: sum('grid'), sold_wh: sum('sold') };
  });
}

/** Whether a member's membership (from, to: local dates) overlaps the dates [first, last]. */
export function memberIn(m: Pick<CommunityMember, 'from' | 'to'>, first: string, last: string): boolean {
  return m.from <= last && (m.to == null || m.to >= first);
}

/**
 * The chart's stacked series in kWh: the local energy of each member that used any, then the
 * grid's. A day without any resolved interval (no data yet, or a meter silent all day) is a
 * gap, not a zero.
 */
export function allocationBars(reply: CommunityDaysReply): { members: number[]; local: (number | null)[][]; grid: (number | null)[] } {
  const members = reply.members.map((_, i) => i).filter((i) => reply.days.some((d) => d.consumption[i] > 0));
  const kwh = (d: CommunityDay, wh: number) => (d.resolved_intervals ? wh / 1000 : null);
  return {
    members,
    local: members.map((i) => reply.days.map((d) => kwh(d, d.allocated[i]))),
    grid: reply.days.map((d) => kwh(d, d.grid_wh)),
  };
}
