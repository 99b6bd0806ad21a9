import { describe, expect, it } from 'vitest';
import { ageText, judge, merge, netPower } from '../src/freshness';
import { I18n } from '../src/i18n';

const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const en = new I18n('en', 'en-CH', 'Europe/Zurich');
const de = new I18n('de', 'de-CH', 'Europe/Zurich');
const T = 1_780_000_000_000;
const v = (value: number, time_ms: number, unit = 'W') => ({ value, unit, time_ms });

describe('age of a value', () => {
  it('in seconds, minutes, hours and days, localised', () => {
    // ICU versions differ in the abbreviation's dot.
    expect(norm(ageText(12_000, en))).toMatch(/^12 sec\.? ago$/);
    expect(norm(ageText(12 * 60_000 + 30_000, en))).toMatch(/^12 min\.? ago$/);
    expect(norm(ageText(3 * 3_600_000, en))).toMatch(/^3 hr\.? ago$/);
    expect(norm(ageText(2 * 86_400_000, en))).toMatch(/^2 days ago$/);
    expect(norm(ageText(12 * 60_000, de))).toMatch(/^vor 12 Min\.?$/);
    expect(norm(ageText(-5_000, en))).toMatch(/^0 sec\.? ago$/);  // a clock slightly ahead is not "in 5 s"
  });
});

describe('stale values and offline meters', () => {
  // Pushes every 5 s with total power; per-phase power came once, from a history backfill.
  const meter = () => merge(undefined, T, 5_000, {
    active_power_import: v(2649, T), voltage_l1: v(231, T, 'V'), active_power_import_l1: v(4, T - 3_600_000),
  });

  it('greys nothing while the pushes are fresh and leaves out what they no longer carry', () => {
    const view = judge(meter(), T + 4_000, 60_000);
    expect(view.offline).toBe(false);
    expect(view.values.active_power_import.stale).toBe(false);
    expect(view.values.active_power_import_l1).toBeUndefined();
    expect(netPower(view)).toBe(2649);
  });

  it('greys a value older than three push intervals, with its time', () => {
    const view = judge(meter(), T + 20_000, 60_000);  // no push for 20 s
    expect(view.offline).toBe(false);
    expect(view.values.active_power_import.stale).toBe(true);
    expect(view.values.active_power_import.time).toBe(T);
    expect(netPower(view)).toBe(2649);  // still counted, greyed, until the meter is offline
  });

  it('leaves out a quantity the last pushes no longer carry', () => {
    const m = meter();
    merge(m, T + 20_000, 5_000, { voltage_l1: v(232, T + 20_000, 'V') });
    const view = judge(m, T + 20_000, 60_000);
    expect(view.values.voltage_l1.stale).toBe(false);
    expect(view.values.active_power_import).toBeUndefined();
  });

  it('a meter silent longer than the limit is offline since its last push and not in the total', () => {
    const view = judge(meter(), T + 61_000, 60_000);
    expect(view.offline).toBe(true);
    expect(view.since).toBe(T);
    expect(netPower(view)).toBeNull();
    expect(judge(meter(), T + 59_000, 60_000).offline).toBe(false);
  });

  it('a meter pushing every 15 min is given three of its intervals before it counts as offline', () => {
    const slow = merge(undefined, T, 900_000, { active_power_import: v(500, T) });
    expect(judge(slow, T + 20 * 60_000, 60_000).offline).toBe(false);
    expect(judge(slow, T + 46 * 60_000, 60_000).offline).toBe(true);
  });

  it('an older value, e.g. from a backfill after live pushes, never replaces a newer one', () => {
    const m = meter();
    merge(m, T - 60_000, 0, { active_power_import: v(7, T - 60_000) });
    expect(m.values.active_power_import.value).toBe(2649);
    expect(m.time).toBe(T);
    expect(m.interval).toBe(5_000);  // 0 means unknown and keeps what is known
  });

  it('subtracts export from import when the meter measures both', () => {
    const m = merge(undefined, T, 5_000, { active_power_import: v(100, T), active_power_export: v(30, T) });
    expect(netPower(judge(m, T, 60_000))).toBe(70);
  });
});
