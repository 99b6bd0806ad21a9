// What every view gets: the API, formatting, the meters, the selected scope, and one place
// that turns failures into something the user can read.
import { Api, ApiError, type Detail, type MeterInfo, type Series, type ShareSession } from './api';
import { h, clear, message } from './dom';
import type { I18n } from './i18n';

/** What a share link allows, as its session reports it. */
export interface ShareScope {
  label: string; meters: string[]; from: number; to: number; detail: Detail; expires: number | null; expiresDate: string | null;
}

export function shareScope(s: ShareSession): ShareScope {
  return { label: s.label, meters: s.meters, from: s.from_ms, to: s.to_ms, detail: s.detail, expires: s.expires_ms, expiresDate: s.expires_date ?? null };
}

export interface Ctx {
  api: Api;
  i18n: I18n;
  meters: MeterInfo[];
  /** Display name of a meter id. */
  name(id: string): string;
  /** A meter's colour in the current theme, the same in every chart. */
  color(id: string): string;
  tz: string;
  /** Selected meter id, or null for all meters combined. */
  meter: string | null;
  share: ShareScope | null;
  /** "Now" for relative ranges: the end of a share's window when that lies in the past. */
  now(): number;
  /** Earliest instant data may be asked for. */
  earliest(): number;
  detailAtLeast(d: Detail): boolean;
  /** The meters the current selection covers. */
  selected(): string[];
  /** False once the view was left; late replies are then dropped. */
  alive(): boolean;
  /** Shows a failure in `where`; session and share failures switch the whole page. */
  fail(err: unknown, where: HTMLElement, retry?: () => void): void;
  onCleanup(fn: () => void): void;
  /** Re-checks session or share validity (after a live-stream error). */
  checkAccess(): void;
  perf: PerfLog;
}

export interface PerfLog { [k: string]: number }

const DETAIL_RANK: Record<Detail, number> = { daily: 1, hourly: 2, full: 3 };
export const detailRank = (d: Detail) => DETAIL_RANK[d];

export function hasQuantity(ctx: Ctx, meter: string, quantity: string): boolean {
  return !!ctx.meters.find((m) => m.id === meter)?.quantities.some((q) => q.quantity === quantity && !q.intervals);
}

/** `quantity` of each of `meters` in one round trip; null for a meter that does not measure it. */
export async function seriesPerMeter(ctx: Ctx, meters: string[], quantity: string, from: number, to: number,
  resolution = 'auto'): Promise<(Series | null)[]> {
  const measured = meters.filter((m) => hasQuantity(ctx, m, quantity));
  const replies = await ctx.api.seriesOf(measured, quantity, from, to, resolution);
  return meters.map((m) => replies[measured.indexOf(m)] ?? null);
}

/** Runs `load` for every selected meter in parallel. */
export function perMeter<T>(ctx: Ctx, load: (meter: string) => Promise<T>): Promise<T[]> {
  return Promise.all(ctx.selected().map(load));
}

export function failureText(ctx: Ctx, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.kind === 'unreachable') return ctx.i18n.t('unreachable');
    if (err.kind === 'forbidden') return ctx.i18n.t('shareNotAllowed');
    return ctx.i18n.t(err.kind === 'bad-request' ? 'badRequest' : 'serverError', { msg: err.message });
  }
  return ctx.i18n.t('error', { msg: err instanceof Error ? err.message : String(err) });
}

export function showFailure(ctx: Ctx, err: unknown, where: HTMLElement, retry?: () => void): void {
  clear(where);
  where.append(message(failureText(ctx, err), 'error'));
  if (retry) where.append(h('button', { type: 'button', class: 'btn', onclick: () => retry() }, ctx.i18n.t('retry')));
}
