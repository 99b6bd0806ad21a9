// Client of the dashboard sink's HTTP API. The same read endpoints exist under /api (admin,
// session cookie) and /s/<token>/api (share link); failures are classified so the UI can say
// what happened instead of spinning.

import type { AlertsReply } from './alerts';

export type ErrorKind = 'unreachable' | 'unauthorized' | 'share-invalid' | 'forbidden' | 'bad-request' | 'server';

export class ApiError extends Error {
  constructor(readonly kind: ErrorKind, message: string, readonly status = 0, readonly retryAfter = 0) {
    super(message);
  }
}

export interface Quantity { quantity: string; unit: string; intervals: boolean }
/** `name` is the configured display name (the id when none is configured). */
export interface MeterInfo { id: string; name?: string; quantities: Quantity[] }
export interface MetersReply { meters: MeterInfo[]; time_zone: string }
/** A value with the time it was measured. */
export interface LiveValue { value: number; unit: string; time_ms: number }
/** `values` holds each quantity, the newest push's `time_ms` and the meter's usual `interval_ms` (0: not known yet). */
export interface LatestReply { meter: string; values: Record<string, LiveValue | number>; now_ms: number; offline_after_ms: number }
export interface Reading { meter: string; time_ms: number; interval_ms: number; values: Record<string, LiveValue> }
/** `gap_ms`: samples further apart than this are a gap (the server's limit for this series). */
export interface RawSeries { meter: string; quantity: string; unit: string; resolution: 'raw'; t: number[]; value: (number | null)[]; gap_ms?: number }
export interface BucketSeries {
  meter: string; quantity: string; unit: string; resolution: string;
  t: number[]; mean: (number | null)[]; min: (number | null)[]; max: (number | null)[]; energy_wh?: (number | null)[];
  estimated_wh?: (number | null)[]; gap_ms?: number;
}
export type Series = RawSeries | BucketSeries;
export interface EnergyPeriod {
  start_ms: number; end_ms: number; wh: number | null; coverage: number; cost: number | null; source: string;
  /** On exported energy (`direction=export`) the feed-in credit takes the place of `cost`. */
  credit?: number | null;
  ht_wh?: number; nt_wh?: number; ht_cost?: number; nt_cost?: number;
  /** The part of `wh` spread over a gap in the readings (known from the register on both sides). */
  estimated_wh?: number;
  /** Set when a fixed fee per month is configured: the fee owed for this span, apart from `cost`. */
  fixed_fee?: number;
  /** Comparisons: where the compared period ends, and whether the row covers only part of it. */
  period_end_ms?: number; partial?: boolean;
}
export interface EnergyReply { meter: string; currency: string; periods: EnergyPeriod[] }
/** `partial`: the current period is unfinished and every row covers the same elapsed part. No `last_year` for years. */
export interface CompareReply {
  meter: string; partial: boolean; current: EnergyPeriod | null; previous: EnergyPeriod | null; last_year?: EnergyPeriod | null;
}
export interface BaseloadReply { meter: string; base_load_w: number | null; yearly_cost: number | null; currency: string }
export interface Peak { month_start_ms: number; at_ms: number; kw: number }
export interface PeaksReply { meter: string; peaks: Peak[] }
/** The meters together: `energy` over the whole local days of the range, `peaks` of their summed 15-min demand. */
export interface InsightsReply { meters: string[]; currency: string; energy: EnergyPeriod; peaks: Peak[] }
export interface MatrixReply { meter: string; days: { day_ms: number; wh: (number | null)[] }[] }
export interface MeterSharesReply { meters: { meter: string; wh: number; share: number }[]; total_wh: number }
export interface PhaseBand {
  phase: string; min: number | null; max: number | null; mean: number | null; minutes: number;
  minutes_below_207v: number; minutes_above_253v: number;
}
export interface VoltageReply {
  meter: string; nominal_v: number; band: [number, number]; phases: PhaseBand[];
  power_factor: { mean: number | null; min: number | null };
}
export interface ShareRow {
  id: string; label: string; meters: string[]; from_ms: number; to_ms: number; detail: Detail;
  revoked: boolean; created_ms: number; expires_ms: number | null;
  /** The date entered (the link works until that local day ends); null for an exact time. */
  expires_date: string | null;
}
export type Detail = 'daily' | 'hourly' | 'full';
export interface StorageReply {
  file_bytes: number; used_bytes: number; budget_bytes: number; raw_points: number;
  tier_bytes: Record<string, number>; tier_entries: Record<string, number>; raw_bytes_per_value?: number;
}

export interface AdminSession { kind: 'admin'; expires_ms: number | null; currency: string }
export interface ShareSession {
  kind: 'share'; label: string; meters: string[]; from_ms: number; to_ms: number; detail: Detail; expires_ms: number | null;
  expires_date?: string | null; currency: string;
}
export type SessionReply = AdminSession | ShareSession;
export type Tier = 'raw' | '1m' | '15m' | '1h' | '1d';
export interface SettingsReply {
  time_zone: string; currency: string;
  /** The prices valid now. */
  prices: { single: number; high: number; low: number };
  /** Dated prices as configured (empty: the prices above apply always). */
  dated_prices?: { from: string; from_ms: number; single: number; high: number; low: number }[];
  fixed_fee_per_month?: number;
  /** Empty: the single price applies to every hour. */
  ht_schedule: string;
  meters: { id: string; name: string }[];
  /** Days each tier is kept; 0 means for ever. */
  retention_days: Record<Tier, number>;
  /** 0: no limit. */
  disk_budget_bytes: number;
  /** The energy community's name; null (or absent) without one. */
  community?: string | null;
}

export type BillingPeriod = 'month' | 'quarter' | 'year';
export interface CommunityMember {
  member: string; name: string; meters: string[]; role: string; from: string; to: string | null;
}
export interface CommunityReply { name: string; kind: string; allocation: string; period: BillingPeriod; currency: string; members: CommunityMember[] }
/** One local day of the community's ledger; the lists are per member, in `members` order. */
export interface CommunityDay {
  date: string; start_ms: number; end_ms: number; intervals: number; resolved_intervals: number;
  production_wh: number; consumption_wh: number; local_wh: number; grid_wh: number; fed_in_wh: number; self_sufficiency: number | null;
  consumption: number[]; production: number[]; allocated: number[]; grid: number[]; sold: number[];
}
export interface CommunityDaysReply {
  period: string; members: { member: string; name: string; role: string }[]; unresolved_intervals: number;
  production_wh: number; consumption_wh: number; local_wh: number; grid_wh: number; fed_in_wh: number; days: CommunityDay[];
}
export interface CommunityNowReply {
  now_ms: number; production_w: number | null; consumption_w: number | null; local_w: number | null;
  members: { member: string; name: string; role: string; consumption_w: number | null; production_w: number | null }[];
}
export interface CommunityLink { member: string; name: string; id: string; token: string; url: string }

type Params = Record<string, string | number | undefined>;

/**
 * The answers the server wrote into the page for its first requests (none without a session;
 * a share link's only within its scope; the settings only for the admin).
 */
export interface BootData { session?: SessionReply; meters?: MetersReply; settings?: SettingsReply; alerts?: AlertsReply }
export const BOOT_ELEMENT_ID = 'boot';

/** The page's data block `<script type="application/json" id="boot">`; empty when absent or unreadable. */
export function readBoot(doc: Pick<Document, 'getElementById'> | undefined = globalThis.document): BootData {
  const text = doc?.getElementById(BOOT_ELEMENT_ID)?.textContent;
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value as BootData : {};
  } catch {
    return {}; // the requests are made as without the block
  }
}

export class Api {
  private readonly primed: Map<keyof BootData, unknown>;

  /**
   * `token` set: a share link; every read goes through /s/<token>/api. `boot`: answers the page
   * came with, each used once, for the first request of its kind.
   */
  constructor(readonly token: string | null = null, private readonly fetcher: typeof fetch = (...a) => fetch(...a),
    boot: BootData = {}) {
    this.primed = new Map(Object.entries(boot).filter(([, v]) => v && typeof v === 'object') as [keyof BootData, unknown][]);
  }

  /** The page's own answer the first time, the server's after it (a poll must see changes). */
  firstFromPage<T>(key: keyof BootData, ask: () => Promise<T>): Promise<T> {
    if (!this.primed.has(key)) return ask();
    const value = this.primed.get(key) as T;
    this.primed.delete(key);
    return Promise.resolve(value);
  }

  get base(): string {
    return this.token ? `/s/${encodeURIComponent(this.token)}/api/` : '/api/';
  }

  url(endpoint: string, params: Params = {}): string {
    const q = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    return this.base + endpoint + (q ? `?${q}` : '');
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetcher(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError('unreachable', e instanceof Error ? e.message : String(e));
    }
    if (res.status === 204) return undefined as T;
    let payload: unknown = null;
    const text = await res.text().catch(() => '');
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = null;
    }
    if (res.ok) {
      if (payload === null) throw new ApiError('server', `unexpected reply from ${path}`, res.status);
      return payload as T;
    }
    const message = errorText(payload) ?? `HTTP ${res.status}`;
    throw new ApiError(classify(res.status, this.token !== null, message), message, res.status,
      Number(res.headers.get('Retry-After') ?? 0));
  }

  get<T>(endpoint: string, params: Params = {}): Promise<T> {
    return this.request<T>('GET', this.url(endpoint, params));
  }

  /** Admin session or share scope; 401 without a session, 404 for an invalid link. */
  session() { return this.firstFromPage('session', () => this.get<SessionReply>('session')); }
  meters() { return this.firstFromPage('meters', () => this.get<MetersReply>('meters')); }
  latest(meter: string) { return this.get<LatestReply>('latest', { meter }); }
  series(meter: string, quantity: string, from: number, to: number, resolution = 'auto') {
    return this.get<Series>('series', { meter, quantity, from: Math.floor(from), to: Math.ceil(to), resolution });
  }
  energy(meter: string, period: string, from: number, to: number) {
    return this.get<EnergyReply>('energy', { meter, period, from: Math.floor(from), to: Math.ceil(to) });
  }
  /** Several meters side by side in one round trip: one reply per meter, in the order asked. */
  private ofMeters<T>(endpoint: string, meters: string[], params: Params): Promise<T[]> {
    if (meters.length < 2) return Promise.all(meters.map((meter) => this.get<T>(endpoint, { meter, ...params })));
    return this.get<{ meters: T[] }>(endpoint, { meters: meters.join(','), ...params }).then((r) => r.meters);
  }
  seriesOf(meters: string[], quantity: string, from: number, to: number, resolution = 'auto') {
    return this.ofMeters<Series>('series', meters, { quantity, from: Math.floor(from), to: Math.ceil(to), resolution });
  }
  energyOf(meters: string[], period: string, from: number, to: number) {
    return this.ofMeters<EnergyReply>('energy', meters, { period, from: Math.floor(from), to: Math.ceil(to) });
  }
  energyRange(meter: string, from: number, to: number) {
    return this.get<EnergyPeriod>('energy-range', { meter, from: Math.floor(from), to: Math.ceil(to) });
  }
  compare(meter: string, period: string, at?: number) { return this.get<CompareReply>('compare', { meter, period, at }); }
  baseload(meter: string, from: number, to: number) { return this.get<BaseloadReply>('baseload', { meter, from, to }); }
  peaks(meter: string, from: number, to: number) { return this.get<PeaksReply>('peaks', { meter, from, to }); }
  /** `meters` empty: every meter this session may see. */
  insights(meters: string[], from: number, to: number) {
    return this.get<InsightsReply>('insights', { meters: meters.length ? meters.join(',') : undefined, from: Math.floor(from), to: Math.ceil(to) });
  }
  matrix(meter: string, from: number, to: number) { return this.get<MatrixReply>('matrix', { meter, from, to }); }
  meterShares(from: number, to: number) { return this.get<MeterSharesReply>('meter-shares', { from, to }); }
  voltage(meter: string, from: number, to: number) { return this.get<VoltageReply>('voltage', { meter, from, to }); }
  storage() { return this.request<StorageReply>('GET', '/api/storage'); }
  settings() { return this.firstFromPage('settings', () => this.request<SettingsReply>('GET', '/api/settings')); }
  login(password: string) { return this.request<{ ok: boolean }>('POST', '/api/login', { password }); }
  logout() {
    this.primed.clear(); // another session's answers
    return this.request<{ ok: boolean }>('POST', '/api/logout', {});
  }
  shares() { return this.request<{ shares: ShareRow[] }>('GET', '/api/admin/shares'); }
  /** `expires` as a local date (YYYY-MM-DD) lasts until that day ends in the meters' time zone. */
  createShare(spec: { label: string; meters: string[]; from: number; to: number; detail: Detail; expires?: number | string }) {
    return this.request<{ id: string; token: string; url: string }>('POST', '/api/admin/shares', spec);
  }
  revokeShare(id: string) { return this.request<void>('DELETE', `/api/admin/shares/${encodeURIComponent(id)}`); }
  community() { return this.request<CommunityReply>('GET', '/api/community'); }
  /** The community's ledger per day of billing period `period` (2026-11, 2026-Q4 or 2026). */
  communityDays(period: string) {
    return this.request<CommunityDaysReply>('GET', `/api/community/intervals?period=${encodeURIComponent(period)}&group=day`);
  }
  communityNow() { return this.request<CommunityNowReply>('GET', '/api/community/now'); }
  /** A share link for every member, each scoped to its own meters, membership and bills. */
  createCommunityLinks() { return this.request<{ shares: CommunityLink[] }>('POST', '/api/community/shares', {}); }
  /** A member's printable bill (opened by the browser, with the session's cookie). */
  communityBillUrl(member: string, period: string) {
    return `/api/community/bill?member=${encodeURIComponent(member)}&period=${encodeURIComponent(period)}&format=html`;
  }
  liveUrl(meter?: string) { return this.url('live', { meter }); }
}

/** The server's error text: {"error": {"status": 404, "message": "..."}} (a plain string is accepted too). */
export function errorText(payload: unknown): string | null {
  const e = (payload as { error?: unknown } | null)?.error;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return null;
}

/** What an HTTP status means for the user, given whether the page is a share link. */
export function classify(status: number, share: boolean, message = ''): ErrorKind {
  if (status === 401) return 'unauthorized';
  // A share link that was revoked or expired answers 404 on every read.
  if (share && status === 404 && /link is not valid/.test(message)) return 'share-invalid';
  if (status === 403) return 'forbidden';
  if (status >= 400 && status < 500) return 'bad-request';
  if (status === 502 || status === 503 || status === 504) return 'unreachable';
  return 'server';
}
