import { describe, expect, it } from 'vitest';
import { DICTS, I18n, LANGS, localeOf, pickLang } from '../src/i18n';

// Swiss grouping is an apostrophe (ASCII or U+2019 depending on ICU); spaces may be narrow.
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/\u2019/g, "'");

describe('language choice', () => {
  it('takes the first supported browser language', () => {
    expect(pickLang(['de-CH', 'en'])).toBe('de');
    expect(pickLang(['es', 'it-IT'])).toBe('it');
    expect(pickLang(['ja'])).toBe('en');
  });
  it('a stored choice wins, an unknown stored value does not', () => {
    expect(pickLang(['de'], 'fr')).toBe('fr');
    expect(pickLang(['de'], 'xx')).toBe('de');
  });
  it('uses the browser region when it matches, else Switzerland', () => {
    expect(localeOf('de', ['de-DE'])).toBe('de-DE');
    expect(localeOf('fr', ['de-CH'])).toBe('fr-CH');
  });
});

describe('formatting', () => {
  const de = new I18n('de', 'de-CH', 'Europe/Zurich');
  const en = new I18n('en', 'en-CH', 'Europe/Zurich');
  const fr = new I18n('fr', 'fr-CH', 'Europe/Zurich');
  it('numbers with the locale grouping', () => {
    expect(norm(de.number(12345.6, 1))).toBe("12'345.6");
    expect(norm(fr.number(12345.6, 1))).toBe('12 345,6');
  });
  it('power and energy units by size', () => {
    expect(en.power(850)).toBe('850 W');
    expect(norm(de.power(12500))).toBe('12.5 kW');
    expect(en.energy(999)).toBe('999 Wh');
    expect(en.energy(1500)).toBe('1.50 kWh');
    expect(norm(en.energy(2_500_000))).toBe("2'500 kWh");
    expect(norm(new I18n('en', 'en-GB', 'UTC').energy(2_500_000))).toBe('2,500 kWh');
    expect(en.energy(null)).toBe('–');
  });
  it('money in CHF', () => {
    expect(norm(de.money(1234.5))).toMatch(/CHF 1'234\.50/);
    expect(norm(fr.money(3.2))).toMatch(/^3[.,]20 CHF$/); // CLDR: Swiss French money uses a point
  });
  it('relative change with a sign, none without a base', () => {
    expect(norm(en.change(110, 100))).toBe('+10%');
    expect(norm(de.change(90, 100))).toMatch(/^-10 ?%$/);
    expect(en.change(1, 0)).toBe('–');
  });
  it('dates in the meters time zone, not the browser one', () => {
    const ny = new I18n('en', 'en-US', 'America/New_York');
    const t = Date.parse('2025-01-01T03:00:00Z');
    expect(ny.date(t, 'year')).toBe('2024');
    expect(en.date(t, 'year')).toBe('2025');
    expect(de.date(Date.parse('2025-03-05T12:00:00Z'), 'time')).toBe('13:00');
  });
  it('translations fill placeholders', () => {
    expect(de.t('tooManyLogins', { s: 30 })).toContain('30 s');
    expect(en.t('selectionEnergy', { from: 'a', to: 'b', e: '1 kWh', c: 'CHF 1' })).toBe('a – b: 1 kWh, CHF 1');
  });
});

describe('share expiry', () => {
  const en = new I18n('en', 'en-CH', 'Europe/Zurich');
  it('shows the date entered, whatever the zone, and an exact time otherwise', () => {
    // The link lasts until 31 March ends in Zurich (22:00 UTC); the date shown is still 31 March.
    expect(en.expiry('2024-03-31', Date.UTC(2024, 2, 31, 22))).toBe('31 Mar 2024');
    expect(new I18n('en', 'en-US', 'Pacific/Auckland').expiry('2024-03-31', 0)).toBe('Mar 31, 2024');
    expect(en.expiry(null, null)).toBe('never');
    expect(en.expiry(null, Date.UTC(2024, 1, 10, 12))).toMatch(/10 Feb.*13:00/);
  });
});

describe('translations', () => {
  const english = Object.keys(DICTS.en).sort();
  // Words that are the same in a language on purpose (units, names, international terms).
  const sameOnPurpose: Record<string, string[]> = {
    de: ['appName', 'phase', 'min', 'max', 'detail', 'name', 'kw', 'notAvailable', 'selectionEnergy', 'offlineSince'],
    fr: ['appName', 'total', 'phase', 'min', 'max', 'kw', 'notAvailable', 'res_1m', 'res_15m', 'hours', 'qd_q', 'pickDate'],
    it: ['appName', 'password', 'min', 'max', 'kw', 'notAvailable', 'selectionEnergy', 'hours', 'perKwh'],
  };
  for (const lang of LANGS) {
    it(`${lang} has every key, none empty, with the same placeholders`, () => {
      const dict: Record<string, string> = DICTS[lang];
      expect(Object.keys(dict).sort()).toEqual(english);
      for (const key of english) {
        expect(dict[key].trim(), `${lang}.${key}`).not.toBe('');
        const vars = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
        expect(vars(dict[key]), `${lang}.${key}`).toEqual(vars((DICTS.en as Record<string, string>)[key]));
      }
    });
    if (lang === 'en') continue;
    it(`${lang} translates every text that is not the same on purpose`, () => {
      const dict: Record<string, string> = DICTS[lang];
      const untranslated = english.filter((k) => dict[k] === (DICTS.en as Record<string, string>)[k] && !sameOnPurpose[lang].includes(k)
        && !/^[\d{}\s–:.,-]*$/.test(dict[k]) && !/^(M-Bus|P1)\b/.test(dict[k]));
      expect(untranslated).toEqual([]);
    });
  }

  const langs = LANGS.map((l) => new I18n(l, `${l}-CH`, 'Europe/Zurich'));
  it('names every quantity the meters report in words, in every language', () => {
    const names = ['active_power_import', 'active_energy_export_t2', 'reactive_power_q3_l2', 'active_power_import_max_demand',
      'voltage_l1', 'current', 'power_factor_l3', 'frequency', 'voltage_sags_l2', 'active_energy_import#intervals', 'billing_history'];
    for (const i of langs) for (const n of names) expect(i.quantity(n), `${i.lang} ${n}`).not.toMatch(/_|#/);
    const [en, de, fr, it] = langs;
    expect(en.quantity('active_power_import')).toBe('Active power, import');
    expect(de.quantity('active_energy_export_t2')).toBe('Wirkenergie, Einspeisung, Tarif 2');
    expect(fr.quantity('voltage_l1')).toBe('Tension L1');
    expect(it.quantity('reactive_power_q3_l2')).toBe('Potenza reattiva, quadrante 3, L2');
  });
  it('writes resolutions and the high-tariff schedule out', () => {
    const [en, de, fr] = langs;
    expect(en.t('resolution', { r: en.resolution('1m') })).toBe('Resolution: 1 minute');
    expect(de.t('resolution', { r: de.resolution('raw') })).toBe('Auflösung: Rohwerte');
    expect(de.schedule('Mon-Fri 07-20, Sat 07-13')).toBe('Mo–Fr 07:00–20:00 Uhr, Sa 07:00–13:00 Uhr');
    expect(fr.schedule('Sun 0-24')).toBe('dim 00:00–24:00');
    expect(en.schedule('weekdays 7-20')).toBe('weekdays 7-20'); // not understood: as configured
  });
});
