import { describe, expect, it } from 'vitest';
import { type AlertRule, badgeText, kindText, sortRules } from '../src/alerts';
import { DICTS, I18n, LANGS } from '../src/i18n';

const rule = (name: string, state: 'ok' | 'firing', source = 'sink.alerts'): AlertRule => ({
  source, rule: name, definition: '', state, firing: [], last_fired_ms: null, last_resolved_ms: null,
});

describe('alerts', () => {
  it('puts firing rules first, then by name', () => {
    const sorted = sortRules([rule('b', 'ok'), rule('c', 'firing'), rule('a', 'ok'), rule('a', 'firing')]);
    expect(sorted.map((r) => `${r.rule}:${r.state}`)).toEqual(['a:firing', 'c:firing', 'a:ok', 'b:ok']);
  });
  it('shows no badge when nothing fires and caps it at 9+', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(3)).toBe('3');
    expect(badgeText(12)).toBe('9+');
  });
  it('names every kind of notice in every language, an unknown one as sent', () => {
    for (const lang of LANGS) {
      const t = new I18n(lang, `${lang}-CH`, 'UTC');
      for (const kind of ['firing', 'reminder', 'resolved']) expect(kindText(t, kind)).toBe(DICTS[lang][`alertKind_${kind}` as 'alertKind_firing']);
      expect(kindText(t, 'later')).toBe('later');
    }
  });
});
