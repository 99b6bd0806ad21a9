// The alerts an alerts sink announced, as /api/alerts reports them (owner only), and the few
// rules the Alerts view and the header badge share.
import type { Api } from './api';
import type { I18n, Key } from './i18n';

export type AlertKind = 'firing' | 'reminder' | 'resolved';
export interface AlertRule {
  source: string; rule: string; definition: string; state: 'ok' | 'firing';
  firing: { subject: string; since_ms: number }[];
  last_fired_ms: number | null; last_resolved_ms: number | null;
}
export interface AlertNotice { time_ms: number; source: string; rule: string; subject: string; kind: AlertKind; message: string }
export interface AlertsReply { rules: AlertRule[]; firing: number; history: AlertNotice[] }

export function fetchAlerts(api: Api, limit = 200): Promise<AlertsReply> {
  return api.get<AlertsReply>('alerts', { limit });
}

/** Firing rules first, then by name, so what needs attention is on top. */
export function sortRules(rules: AlertRule[]): AlertRule[] {
  return [...rules].sort((a, b) => Number(b.state === 'firing') - Number(a.state === 'firing') || a.rule.localeCompare(b.rule)
    || a.source.localeCompare(b.source));
}

/** A notice's kind in words of the page's language. */
export function kindText(i18n: I18n, kind: string): string {
  const key = `alertKind_${kind}`;
  return key in i18n.dict ? i18n.t(key as Key) : kind;
}

/** The badge's text and label: nothing when nothing fires, "9+" past nine. */
export function badgeText(n: number): string {
  return n <= 0 ? '' : n > 9 ? '9+' : String(n);
}
