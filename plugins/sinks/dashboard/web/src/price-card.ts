// The Insights price card: the average energy price paid against the market's over the last
// 30 days, tomorrow's cheapest hours once the day-ahead prices are known, what shifting a heat
// pump's or EV's energy would have saved (labelled as an estimate), the time-of-use bands and
// the price feed's age. Absent when the sink has no prices configured.
import { ApiError } from './api';
import { type Ctx, perMeter } from './context';
import { append, card, clear, h } from './dom';
import { downloadButtons } from './download';
import type { Key } from './i18n';
import {
  combinePrices, feedText, fetchPrices, hourRanges, paidVsMarket, perKwh, pricesCsv, type PricesReply, type ShiftEstimate, whyNoTomorrow,
} from './prices';
import { DAY, periodStart } from './shape';

const WINDOW_DAYS = 30;

/** Adds the card to `grid` when prices are configured and the session may read hourly detail. */
export async function addPriceCard(ctx: Ctx, grid: HTMLElement): Promise<void> {
  if (!ctx.detailAtLeast('hourly')) return;
  const now = ctx.now();
  const to = periodStart('day', now, ctx.tz);
  const from = Math.max(ctx.earliest(), periodStart('day', to - WINDOW_DAYS * DAY, ctx.tz));
  if (to <= from) return;
  const r = await load(ctx, from, to).catch(() => null);
  if (!ctx.alive() || !r || !r.configured) return;
  const c = card(ctx.i18n.t('priceCard'), 'wide');
  c.root.id = 'price-card';
  c.root.dataset.from = String(r.from_ms);
  c.root.dataset.to = String(r.to_ms);
  grid.append(c.root);
  fill(ctx, c.body, r, now);
  c.actions.append(downloadButtons(ctx.i18n, ctx.i18n.t('priceCard'), 'meterd-prices', () => pricesCsv(r, ctx.tz), null));
}

// The meter chosen, else the roles' grid meter (the server's default), else every meter added.
async function load(ctx: Ctx, from: number, to: number): Promise<PricesReply | null> {
  const one = ctx.meter ?? (ctx.selected().length === 1 ? ctx.selected()[0] : undefined);
  try {
    return await fetchPrices(ctx.api, one, from, to);
  } catch (e) {
    if (one || !(e instanceof ApiError) || e.kind !== 'bad-request') throw e;
    return combinePrices(await perMeter(ctx, (m) => fetchPrices(ctx.api, m, from, to)), ctx.i18n.t('allMeters'));
  }
}

function fill(ctx: Ctx, body: HTMLElement, r: PricesReply, now: number): void {
  const { i18n } = ctx;
  clear(body);
  const feed = feedText(r, now, i18n);
  if (feed?.stale) body.append(h('p', { class: 'msg msg-error', role: 'alert', id: 'price-stale' }, feed.text));
  append(body, [
    paidPart(ctx, r),
    h('h3', {}, i18n.t('cheapestTomorrow')), tomorrowPart(ctx, r, now),
    ...(r.shifts.length ? [h('h3', {}, i18n.t('shiftTitle')), ...r.shifts.map((s) => shiftPart(ctx, s)),
      h('p', { class: 'muted small', id: 'shift-method' }, i18n.t('shiftMethod'))] : []),
    ...(r.bands.length ? [h('h3', {}, i18n.t('priceBands')), bandsPart(ctx, r)] : []),
    feed && !feed.stale ? h('p', { class: 'muted small', id: 'price-feed' }, feed.text) : null,
  ]);
}

function paidPart(ctx: Ctx, r: PricesReply): HTMLElement {
  const { i18n } = ctx;
  const vs = paidVsMarket(r);
  const window = `${i18n.date(r.from_ms)} – ${i18n.date(r.to_ms - 1)} · ${r.name}`;
  return h('div', { id: 'price-paid' },
    h('div', { class: 'kpis' },
      kpi(i18n.t('paidEnergy'), perKwh(i18n, r.paid.energy_per_kwh), 'paid-energy', r.paid.energy_per_kwh),
      // Without dynamic prices there is no market to compare with: the sentence below says so.
      r.market.per_kwh == null ? null : kpi(i18n.t('marketAverage'), perKwh(i18n, r.market.per_kwh), 'market-average', r.market.per_kwh),
      kpi(i18n.t('paidAll'), perKwh(i18n, r.paid.per_kwh), 'paid-all', r.paid.per_kwh)),
    vs ? h('p', { id: 'paid-vs-market' }, i18n.t(vs.diff > 0 ? 'paidAbove' : 'paidBelow', {
      d: perKwh(i18n, Math.abs(vs.diff)), p: i18n.percent(Math.abs(vs.share)) })) : null,
    r.market.per_kwh == null ? h('p', { class: 'muted small' }, i18n.t('noMarketPrice')) : null,
    h('p', { class: 'muted small', id: 'price-window' }, `${i18n.t('paidNote', { e: i18n.energy(r.paid.wh) })} · ${window}`));
}

function tomorrowPart(ctx: Ctx, r: PricesReply, now: number): HTMLElement {
  const { i18n } = ctx;
  if (!r.tomorrow) {
    const why = whyNoTomorrow(r, now, ctx.share?.to ?? null);
    return h('p', { class: 'muted', id: 'tomorrow-unknown', 'data-why': why }, i18n.t(`noTomorrow_${why}` as Key));
  }
  const t = r.tomorrow;
  return h('div', { id: 'tomorrow' },
    h('p', {}, i18n.date(t.day_ms, 'weekdayDate')),
    h('ul', { class: 'plain cheapest', 'data-starts': t.cheapest.map((x) => x.start_ms).join(',') }, ...hourRanges(t.cheapest).map((x) => h('li', { 'data-from': x.from_ms, 'data-price': x.mean_per_kwh },
      h('strong', {}, i18n.t('hours', { a: i18n.date(x.from_ms, 'time'), b: i18n.date(x.to_ms, 'time') })), ` · ${perKwh(i18n, x.mean_per_kwh)}`))));
}

function shiftPart(ctx: Ctx, s: ShiftEstimate): HTMLElement {
  const { i18n } = ctx;
  const word = s.role === 'heat_pump' ? i18n.t('roleHeatPump') : s.role === 'ev' ? i18n.t('roleEv') : '';
  // The role in brackets, unless the meter's name says it already.
  const role = word && s.name.toLowerCase() !== word.toLowerCase() ? ` (${word})` : '';
  return h('div', { class: 'shift', 'data-meter': s.meter, 'data-saving': s.saving },
    h('p', {}, h('strong', {}, `${s.name}${role}: `), i18n.t('shiftText', {
      e: i18n.energy(s.wh), n: s.days, a: i18n.money(s.actual_cost), b: i18n.money(s.shifted_cost) })),
    h('p', {}, h('span', { class: 'badge' }, i18n.t('estimate')), ' ',
      h('strong', { class: 'shift-saving' }, i18n.t(s.saving >= 0 ? 'shiftSaving' : 'shiftDearer', { m: i18n.money(Math.abs(s.saving)) }))));
}

function bandsPart(ctx: Ctx, r: PricesReply): HTMLElement {
  const { i18n } = ctx;
  const label = (name: string) => (name === 'ht' ? i18n.t('ht') : name === 'nt' ? i18n.t('nt') : name);
  return h('table', { class: 'solar', id: 'price-bands' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t('band')), h('th', { scope: 'col' }, i18n.t('bandHours')),
      h('th', { scope: 'col', class: 'num' }, i18n.t('energyPrice')))),
    h('tbody', {}, ...r.bands.map((b) => h('tr', { 'data-band': b.name },
      h('th', { scope: 'row' }, label(b.name)), h('td', {}, b.hours === 'rest' ? i18n.t('bandRest') : i18n.schedule(b.hours)),
      h('td', { class: 'num' }, perKwh(i18n, b.energy_per_kwh))))));
}

function kpi(label: string, value: string, id: string, raw: number | null): HTMLElement {
  return h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value', id, 'data-value': raw ?? '' }, value));
}
