// How current each live value is: a value keeps the time it was measured, and is judged
// against the meter's own push interval. Quantities the meter's recent pushes no longer carry
// (e.g. per-phase power seen only in a history backfill) are left out; a meter silent for
// longer than the offline limit is offline since its last push.
import type { LiveValue } from './api';
import type { I18n } from './i18n';

export interface MeterLive {
  /** The newest push's time. */
  time: number;
  /** Usual time between pushes; 0 when not known yet. */
  interval: number;
  values: Record<string, LiveValue>;
}

export interface Shown { value: number; unit: string; time: number; stale: boolean }
export interface MeterView { offline: boolean; since: number; values: Record<string, Shown> }

/** A value older than this many push intervals is shown greyed with its age. */
export const STALE_INTERVALS = 3;

/** Reads a latest reply's or a push's values into a meter's state; older values never replace newer ones. */
export function merge(into: MeterLive | undefined, time: number, interval: number, values: Record<string, LiveValue | number>): MeterLive {
  const m: MeterLive = into ?? { time: 0, interval: 0, values: {} };
  if (time > m.time) m.time = time;
  if (interval > 0) m.interval = interval;
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'object' || v == null || typeof v.value !== 'number') continue;
    const at = v.time_ms ?? time;
    const kept = m.values[k];
    if (!kept || at >= kept.time_ms) m.values[k] = { value: v.value, unit: v.unit, time_ms: at };
  }
  return m;
}

/** What to show of a meter at `now`; `offlineAfter` is the server's limit in ms. */
export function judge(m: MeterLive, now: number, offlineAfter: number): MeterView {
  // Until the interval is known, a value counts as current for the offline limit.
  const limit = STALE_INTERVALS * (m.interval > 0 ? m.interval : offlineAfter / STALE_INTERVALS);
  const values: Record<string, Shown> = {};
  for (const [k, v] of Object.entries(m.values)) {
    if (m.time - v.time_ms > limit) continue;  // the pushes carry it no longer
    values[k] = { value: v.value, unit: v.unit, time: v.time_ms, stale: now - v.time_ms > limit };
  }
  // A meter that pushes less often than the limit is given three of its intervals.
  return { offline: now - m.time > Math.max(offlineAfter, limit), since: m.time, values };
}

/** "12 s ago", "12 min ago", "3 h ago", "2 days ago", in the page's language. */
export function ageText(ms: number, i18n: I18n): string {
  const rtf = new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'always', style: 'short' });
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return rtf.format(-s, 'second');
  if (s < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/** Net power of a meter from what it still carries: import minus export when both are known. */
export function netPower(v: MeterView | undefined): number | null {
  if (!v || v.offline || !v.values.active_power_import) return null;
  return v.values.active_power_import.value - (v.values.active_power_export?.value ?? 0);
}
