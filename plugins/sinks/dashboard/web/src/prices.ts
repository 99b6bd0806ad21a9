// The price insights: what the `prices` endpoint answers, and the sums and sentences the
// Insights price card shows (average paid against the market, tomorrow's cheapest hours as
// time ranges, the price feed's age). Pure, so it is tested without a page; price-card.ts
// draws it.
import type { Api } from './api';
import { csvText, localStamp } from './download';
import { ageText } from './freshness';
import type { I18n } from './i18n';

export interface HourPrice { start_ms: number; per_kwh: number; dynamic: boolean }
export interface ShiftEstimate {
  meter: string; name: string; role: string | null; chosen_by: 'parameter' | 'role'; estimate: true;
  wh: number; days: number; actual_cost: number; shifted_cost: number; saving: number; method: string;
}
export interface PricesReply {
  meter: string; name: string; currency: string; from_ms: number; to_ms: number; configured: boolean;
  dynamic_prices: string | null;
  bands: { name: string; hours: string; hours_per_week: number; energy_per_kwh: number }[];
  paid: { wh: number; cost: number; energy_cost: number; per_kwh: number | null; energy_per_kwh: number | null };
  market: { per_kwh: number | null; quarters: number };
  feed: { meter: string; newest_ms: number | null; current_start_ms: number | null; current_per_kwh: number | null; stale: boolean; valid_ms: number } | null;
  tomorrow: { day_ms: number; hours: HourPrice[]; cheapest: HourPrice[] } | null;
  shifts: ShiftEstimate[];
}

/** `meter` undefined: the server takes the grid meter of the sink's roles. */
export function fetchPrices(api: Api, meter: string | undefined, from: number, to: number): Promise<PricesReply> {
  return api.get<PricesReply>('prices', { meter, from: Math.floor(from), to: Math.ceil(to) });
}

/**
 * Several meters' answers as one: their energy and costs added, so the average paid is
 * weighted by each meter's energy; the rest (market, feed, tomorrow, shifts) is the same in
 * every answer and taken from the first. `name` names the sum.
 */
export function combinePrices(replies: PricesReply[], name: string): PricesReply | null {
  if (!replies.length) return null;
  const [first] = replies;
  const wh = replies.reduce((a, r) => a + r.paid.wh, 0);
  const cost = replies.reduce((a, r) => a + r.paid.cost, 0);
  const energy = replies.reduce((a, r) => a + r.paid.energy_cost, 0);
  return {
    ...first,
    meter: replies.map((r) => r.meter).join(','),
    name,
    paid: { wh, cost, energy_cost: energy, per_kwh: wh > 0 ? (cost / wh) * 1000 : null, energy_per_kwh: wh > 0 ? (energy / wh) * 1000 : null },
  };
}

/** The energy price paid against the market's mean: their difference per kWh and as a share of the market price. */
export function paidVsMarket(r: PricesReply): { diff: number; share: number } | null {
  const paid = r.paid.energy_per_kwh;
  const market = r.market.per_kwh;
  if (paid == null || market == null || market <= 0) return null;
  return { diff: paid - market, share: paid / market - 1 };
}

export interface HourRange { from_ms: number; to_ms: number; mean_per_kwh: number }

/** The cheapest hours (in time order) as runs of adjacent hours, each with its mean price. */
export function hourRanges(hours: HourPrice[], hourMs = 3_600_000): HourRange[] {
  const out: (HourRange & { n: number })[] = [];
  for (const h of hours) {
    const last = out[out.length - 1];
    if (last && last.to_ms === h.start_ms) {
      last.mean_per_kwh = (last.mean_per_kwh * last.n + h.per_kwh) / (last.n + 1);
      last.n += 1;
      last.to_ms += hourMs;
    } else {
      out.push({ from_ms: h.start_ms, to_ms: h.start_ms + hourMs, mean_per_kwh: h.per_kwh, n: 1 });
    }
  }
  return out.map(({ from_ms, to_ms, mean_per_kwh }) => ({ from_ms, to_ms, mean_per_kwh }));
}

/** Why tomorrow's cheapest hours are not shown. */
export type NoTomorrow = 'noDynamic' | 'pastShare' | 'notYet';
export function whyNoTomorrow(r: PricesReply, now: number, shareTo: number | null): NoTomorrow {
  if (!r.dynamic_prices) return 'noDynamic';
  if (shareTo != null && shareTo <= now) return 'pastShare';
  return 'notYet';
}

/** The price feed in one sentence: since when the current price holds and the newest price known, or why it is stale. */
export function feedText(r: PricesReply, now: number, i18n: I18n): { text: string; stale: boolean } | null {
  const f = r.feed;
  if (!f) return null;
  const newest = f.newest_ms == null ? i18n.t('priceFeedNone') : i18n.date(f.newest_ms, 'dayTime');
  if (f.stale || f.current_start_ms == null) {
    const age = f.newest_ms == null ? i18n.t('notAvailable') : ageText(now - f.newest_ms, i18n);
    return { text: i18n.t('priceFeedStale', { t: newest, age, meter: f.meter }), stale: true };
  }
  return {
    text: i18n.t('priceFeedFresh', { p: perKwh(i18n, f.current_per_kwh), t: i18n.date(f.current_start_ms, 'time'),
      age: ageText(now - f.current_start_ms, i18n), newest }),
    stale: false,
  };
}

/** A price per kWh: "CHF 0.1234/kWh". */
export function perKwh(i18n: I18n, v: number | null | undefined): string {
  return v == null ? i18n.t('notAvailable') : `${i18n.price(v)}/kWh`;
}

/**
 * The card's figures as CSV, one per row with its period and unit: the averages, every hour
 * of tomorrow (the cheapest marked), the bands' prices and the shift estimates.
 */
export function pricesCsv(r: PricesReply, tz: string): string {
  const at = (ms: number) => localStamp(ms, tz);
  const perKwhUnit = `${r.currency}/kWh`;
  const rows: (string | number | null)[][] = [
    ['paid_energy_price', at(r.from_ms), at(r.to_ms), r.paid.energy_per_kwh, perKwhUnit],
    ['market_average', at(r.from_ms), at(r.to_ms), r.market.per_kwh, perKwhUnit],
    ['paid_price_all_components', at(r.from_ms), at(r.to_ms), r.paid.per_kwh, perKwhUnit],
  ];
  const cheapest = new Set(r.tomorrow?.cheapest.map((x) => x.start_ms) ?? []);
  for (const x of r.tomorrow?.hours ?? [])
    rows.push([cheapest.has(x.start_ms) ? 'tomorrow_cheapest_hour' : 'tomorrow_hour', at(x.start_ms), at(x.start_ms + 3_600_000), x.per_kwh, perKwhUnit]);
  for (const b of r.bands) rows.push([`band ${b.name} (${b.hours})`, null, null, b.energy_per_kwh, perKwhUnit]);
  for (const x of r.shifts) {
    rows.push([`shift_estimate ${x.meter} actual_cost`, at(r.from_ms), at(r.to_ms), x.actual_cost, r.currency]);
    rows.push([`shift_estimate ${x.meter} shifted_cost`, at(r.from_ms), at(r.to_ms), x.shifted_cost, r.currency]);
  }
  return csvText(['item', `from (${tz})`, `to (${tz})`, 'value', 'unit'], rows);
}
