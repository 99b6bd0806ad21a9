import { describe, expect, it } from 'vitest';
import { I18n } from '../src/i18n';
import { combinePrices, feedText, hourRanges, paidVsMarket, perKwh, pricesCsv, type PricesReply, whyNoTomorrow } from '../src/prices';

const H = 3_600_000;
const T0 = Date.UTC(2024, 1, 1, 23); // 2 February 00:00 in Zurich

function reply(p: Partial<PricesReply> = {}): PricesReply {
  return {
    meter: 'house', name: 'House', currency: 'CHF', from_ms: 0, to_ms: 1, configured: true, dynamic_prices: 'spot', bands: [],
    paid: { wh: 12000, cost: 2.376, energy_cost: 1.56, per_kwh: 0.198, energy_per_kwh: 0.13 },
    market: { per_kwh: 0.1, quarters: 96 }, feed: null, tomorrow: null, shifts: [], ...p,
  };
}

describe('paidVsMarket', () => {
  it('compares the energy price paid with the market mean, per kWh and as a share', () => {
    const v = paidVsMarket(reply());
    expect(v?.diff).toBeCloseTo(0.03, 12);
    expect(v?.share).toBeCloseTo(0.3, 12);
  });
  it('says nothing without a market price or without energy', () => {
    expect(paidVsMarket(reply({ market: { per_kwh: null, quarters: 0 } }))).toBeNull();
    expect(paidVsMarket(reply({ paid: { wh: 0, cost: 0, energy_cost: 0, per_kwh: null, energy_per_kwh: null } }))).toBeNull();
  });
});

describe('combinePrices', () => {
  it('weights each meter by its energy', () => {
    const a = reply({ paid: { wh: 1000, cost: 0.3, energy_cost: 0.2, per_kwh: 0.3, energy_per_kwh: 0.2 } });
    const b = reply({ meter: 'hp', paid: { wh: 3000, cost: 0.3, energy_cost: 0.3, per_kwh: 0.1, energy_per_kwh: 0.1 } });
    const c = combinePrices([a, b], 'All meters');
    expect(c?.paid.wh).toBe(4000);
    expect(c?.paid.per_kwh).toBeCloseTo(0.15, 12);
    expect(c?.paid.energy_per_kwh).toBeCloseTo(0.125, 12);
    expect(c?.market).toEqual(a.market);
    expect(c?.name).toBe('All meters');
    expect(c?.meter).toBe('house,hp');
    expect(combinePrices([], 'All meters')).toBeNull();
  });
});

describe('hourRanges', () => {
  it('joins adjacent cheapest hours into runs with their mean price', () => {
    const hours = [0, 1, 5, 10, 11, 12].map((i) => ({ start_ms: T0 + i * H, per_kwh: 0.1 + i / 100, dynamic: true }));
    expect(hourRanges(hours)).toEqual([
      { from_ms: T0, to_ms: T0 + 2 * H, mean_per_kwh: expect.closeTo(0.105, 12) },
      { from_ms: T0 + 5 * H, to_ms: T0 + 6 * H, mean_per_kwh: expect.closeTo(0.15, 12) },
      { from_ms: T0 + 10 * H, to_ms: T0 + 13 * H, mean_per_kwh: expect.closeTo(0.21, 12) },
    ]);
    expect(hourRanges([])).toEqual([]);
  });
});

describe('whyNoTomorrow', () => {
  it('tells missing dynamic prices from a share of past dates and from prices not yet published', () => {
    expect(whyNoTomorrow(reply({ dynamic_prices: null }), T0, null)).toBe('noDynamic');
    expect(whyNoTomorrow(reply(), T0, T0 - 1)).toBe('pastShare');
    expect(whyNoTomorrow(reply(), T0, T0 + DAY)).toBe('notYet');
    expect(whyNoTomorrow(reply(), T0, null)).toBe('notYet');
  });
});
const DAY = 24 * H;

describe('feedText', () => {
  const en = new I18n('en', 'en-CH', 'Europe/Zurich');
  const de = new I18n('de', 'de-CH', 'Europe/Zurich');
  const feed = { meter: 'spot', newest_ms: T0 + 23 * H, current_start_ms: T0 - 2 * H, current_per_kwh: 0.1234, stale: false, valid_ms: H };
  it('names the current price, since when it holds and its age, and the newest price', () => {
    const f = feedText(reply({ feed }), T0 - 2 * H + 12 * 60_000, en);
    expect(f?.stale).toBe(false);
    expect(f?.text).toContain('0.1234/kWh');
    expect(f?.text).toContain('22:00');
    expect(f?.text).toMatch(/12 min/);
    expect(feedText(reply({ feed }), T0 - H, de)?.text).toMatch(/^Preisquelle: /);
  });
  it('warns when no price covers the present, with the newest price\'s age and the price meter', () => {
    const f = feedText(reply({ feed: { ...feed, newest_ms: T0 - 3 * H, current_start_ms: null, current_per_kwh: null, stale: true } }), T0, en);
    expect(f?.stale).toBe(true);
    expect(f?.text).toMatch(/stale/);
    expect(f?.text).toMatch(/3 hr|3 h/);
    expect(f?.text).toContain('spot');
  });
  it('has nothing to say without a price feed', () => {
    expect(feedText(reply(), T0, en)).toBeNull();
  });
  it('writes a price per kWh, or a dash when unknown', () => {
    expect(perKwh(en, 0.1)).toMatch(/CHF.*0\.10\/kWh/);
    expect(perKwh(en, null)).toBe('–');
  });
});

describe('pricesCsv', () => {
  it('writes each figure with its period in the meters\' zone and its unit, the cheapest hours marked', () => {
    const hours = [0, 1, 2].map((i) => ({ start_ms: T0 + i * H, per_kwh: [0.2, 0.1, 0.3][i], dynamic: true }));
    const csv = pricesCsv(reply({ from_ms: T0 - DAY, to_ms: T0, tomorrow: { day_ms: T0, hours, cheapest: [hours[1]] },
      bands: [{ name: 'ht', hours: 'Mon-Fri 07-20', hours_per_week: 65, energy_per_kwh: 0.3 }] }), 'Europe/Zurich').split('\r\n');
    expect(csv[0]).toBe('item,from (Europe/Zurich),to (Europe/Zurich),value,unit');
    expect(csv[1]).toBe('paid_energy_price,2024-02-01 00:00:00,2024-02-02 00:00:00,0.13,CHF/kWh');
    expect(csv[2]).toBe('market_average,2024-02-01 00:00:00,2024-02-02 00:00:00,0.1,CHF/kWh');
    expect(csv[4]).toBe('tomorrow_hour,2024-02-02 00:00:00,2024-02-02 01:00:00,0.2,CHF/kWh');
    expect(csv[5]).toBe('tomorrow_cheapest_hour,2024-02-02 01:00:00,2024-02-02 02:00:00,0.1,CHF/kWh');
    expect(csv[7]).toBe('band ht (Mon-Fri 07-20),,,0.3,CHF/kWh');
  });
});
