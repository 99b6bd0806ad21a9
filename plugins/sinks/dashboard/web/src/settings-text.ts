// The read-only settings as readable rows: the prices (high/low tariff with its hours, or the
// single price), how long each storage tier is kept next to its size, and byte counts.
import type { SettingsReply, Tier } from './api';
import type { I18n, Key } from './i18n';

export type Row = [label: string, value: string];

/** Storage tiers from finest to coarsest, as the API names them. */
export const TIERS: Tier[] = ['raw', '1m', '15m', '1h', '1d'];

export function priceRows(s: Pick<SettingsReply, 'prices' | 'ht_schedule' | 'dated_prices' | 'fixed_fee_per_month'>, i18n: I18n): Row[] {
  const perKwh = (v: number) => i18n.t('perKwh', { p: i18n.price(v) });
  const pair = (p: { single: number; high: number; low: number }) => (s.ht_schedule
    ? `${i18n.t('ht')} ${i18n.price(p.high)}, ${i18n.t('nt')} ${i18n.price(p.low)}` : i18n.price(p.single));
  const fee: Row[] = s.fixed_fee_per_month ? [[i18n.t('fixedFee'), i18n.t('perMonth', { c: i18n.money(s.fixed_fee_per_month) })]] : [];
  // Dated prices: each set from its date on, the current one first as the plain rows below.
  const dated: Row[] = (s.dated_prices ?? []).map((p) => [i18n.t('pricesFrom', { d: p.from }), pair(p)]);
  // Without a schedule every hour is billed at the single price.
  if (!s.ht_schedule) return [[i18n.t('singlePrice'), perKwh(s.prices.single)], ...dated, ...fee];
  return [[i18n.t('ht'), perKwh(s.prices.high)], [i18n.t('nt'), perKwh(s.prices.low)], [i18n.t('htSchedule'), i18n.schedule(s.ht_schedule)], ...dated, ...fee];
}

/** A retention of 0 days means the tier is never pruned. */
export function retentionText(days: number, i18n: I18n): string {
  return days > 0 ? i18n.t('keptDays', { n: i18n.number(days) }) : i18n.t('keptForever');
}

export function bytesText(n: number, i18n: I18n): string {
  const mb = n / 1024 / 1024;
  if (mb < 1) return `${i18n.number(n / 1024, 0)} KB`;
  if (mb < 1024) return `${i18n.number(mb, 1)} MB`;
  return `${i18n.number(mb / 1024, 2)} GB`;
}

export function budgetText(bytes: number, i18n: I18n): string {
  return bytes > 0 ? bytesText(bytes, i18n) : i18n.t('noBudget');
}

/** Per tier: its name, how long it is kept and its size on disk (– when the store has none). */
export function tierRows(retention: Record<Tier, number>, tierBytes: Record<string, number>, i18n: I18n): [string, string, string][] {
  return TIERS.map((t) => [
    i18n.t(`tier_${t}` as Key), retentionText(retention[t], i18n),
    tierBytes[t] == null ? i18n.t('notAvailable') : bytesText(tierBytes[t], i18n),
  ]);
}
