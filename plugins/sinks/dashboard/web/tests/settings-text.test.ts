import { describe, expect, it } from 'vitest';
import { I18n } from '../src/i18n';
import { budgetText, bytesText, priceRows, retentionText, tierRows } from '../src/settings-text';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\u2019/g, "'");
const en = new I18n('en', 'en-CH', 'Europe/Zurich', 'CHF');
const de = new I18n('de', 'de-CH', 'Europe/Zurich', 'CHF');

describe('priceRows', () => {
  const prices = { single: 0.27, high: 0.32, low: 0.22 };
  it('lists high and low tariff with the schedule', () => {
    const rows = priceRows({ prices, ht_schedule: 'Mon-Fri 07-20, Sat 07-13' }, en).map(([k, v]) => [k, norm(v)]);
    expect(rows).toEqual([
      ['High tariff', 'CHF 0.32 per kWh'],
      ['Low tariff', 'CHF 0.22 per kWh'],
      ['High-tariff hours', 'Mon–Fri 07:00–20:00, Sat 07:00–13:00'],
    ]);
  });
  it('shows the single price when no schedule is set', () => {
    expect(priceRows({ prices, ht_schedule: '' }, de).map(([k, v]) => [k, norm(v)])).toEqual([['Preis (jede Stunde)', 'CHF 0.27 pro kWh']]);
  });
  it('keeps up to four decimals of a price', () => {
    expect(norm(priceRows({ prices: { ...prices, single: 0.2735 }, ht_schedule: '' }, en)[0][1])).toBe('CHF 0.2735 per kWh');
  });
});

describe('retention and sizes', () => {
  it('0 days means kept for ever', () => {
    expect(retentionText(0, en)).toBe('kept for ever');
    expect(retentionText(0, de)).toBe('unbegrenzt');
    expect(norm(retentionText(1200, en))).toBe("1'200 days");
  });
  it('bytes in KB, MB or GB', () => {
    expect(bytesText(512 * 1024, en)).toBe('512 KB');
    expect(bytesText(41.3 * 1024 * 1024, en)).toBe('41.3 MB');
    expect(bytesText(2.5 * 1024 ** 3, en)).toBe('2.50 GB');
  });
  it('a budget of 0 is no limit', () => {
    expect(budgetText(0, en)).toBe('no limit');
    expect(budgetText(500 * 1024 * 1024, en)).toBe('500.0 MB');
  });
  it('one row per tier from raw to daily, with its size when the store has it', () => {
    const rows = tierRows({ raw: 30, '1m': 400, '15m': 1200, '1h': 0, '1d': 0 }, { raw: 2048, '1m': 4096 }, en);
    expect(rows.map((r) => r[0])).toEqual(['Raw readings', '1-minute means', '15-minute means', 'Hourly means', 'Daily means']);
    expect(rows[0]).toEqual(['Raw readings', '30 days', '2 KB']);
    expect(rows[3]).toEqual(['Hourly means', 'kept for ever', '–']);
  });
});

describe('dated prices and the fixed fee', () => {
  it('lists each price set from its date and the fee per month', () => {
    const rows = priceRows({
      prices: { single: 0, high: 0.32, low: 0.22 }, ht_schedule: 'Mon-Fri 07-20',
      dated_prices: [{ from: '2025-01-01', from_ms: 0, single: 0, high: 0.31, low: 0.21 }, { from: '2026-01-01', from_ms: 1, single: 0, high: 0.32, low: 0.22 }],
      fixed_fee_per_month: 12.5,
    }, en).map(([k, v]) => [k, norm(v)]);
    expect(rows.slice(3)).toEqual([
      ['From 2025-01-01', 'High tariff CHF 0.31, Low tariff CHF 0.21'],
      ['From 2026-01-01', 'High tariff CHF 0.32, Low tariff CHF 0.22'],
      ['Fixed fee', 'CHF 12.50 per month'],
    ]);
  });
});
