// The solar cards: the live energy-flow diagram on Now, import/export with self-consumed PV
// and self-sufficiency per period in History, monthly self-sufficiency and feed-in income in
// Insights. Each appears only when the sink has meter roles, so a dashboard without them
// looks as it did.
import type uPlot from 'uplot';
import type { EnergyReply } from './api';
import { Chart, periodLabel } from './chart';
import { cssVar } from './colors';
import type { Ctx } from './context';
import { card, clear, h, message } from './dom';
import type { Key } from './i18n';
import { addPeriods, DAY, periodStart, type PeriodKind } from './shape';
import {
  balanceTotal, type BalancePeriod, type BalanceReply, direction, fetchBalance, fetchBalanceNow, type FlowModel, flowModel, solarBars,
} from './solar';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

/** The meters a view balances: the one selected, or all (the server then takes every role meter in scope). */
const scopeOf = (ctx: Ctx): string[] | null => (ctx.meter ? [ctx.meter] : null);

/** The diagram as SVG: the house in the middle, sources left and above, sub-meters right. */
export function flowSvg(ctx: Ctx, model: FlowModel): SVGElement {
  const { i18n } = ctx;
  const place = new Map<string, [number, number]>([['house', [180, 130]], ['grid', [52, 130]], ['pv', [180, 34]], ['battery', [180, 226]]]);
  const consumers = model.nodes.filter((n) => n.kind === 'consumer');
  consumers.forEach((n, i) => place.set(n.id, [308, consumers.length === 1 ? 130 : 40 + (180 * i) / Math.max(1, consumers.length - 1)]));
  const describe = model.nodes.map((n) => {
    const e = model.edges.find((x) => x.node === n.id);
    const d = n.kind === 'grid' ? direction(e?.w ?? null) : 'none';
    const what = n.kind === 'grid' && d === 'in' ? i18n.t('flowFromGrid') : n.kind === 'grid' && d === 'out' ? i18n.t('flowToGrid') : '';
    return `${n.label}: ${what ? `${what} ` : ''}${i18n.power(n.w == null ? null : Math.abs(n.w))}`;
  }).join('; ');
  const title = s('title', { id: 'flow-title' }, i18n.t('energyFlow'));
  const desc = s('desc', { id: 'flow-desc' }, describe);
  const svg = s('svg', { viewBox: '0 0 360 260', class: 'flow', role: 'img', 'aria-labelledby': 'flow-title flow-desc', id: 'energy-flow' }, title, desc);
  svg.append(s('defs', {}, s('marker', { id: 'flow-arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'flow-arrowhead' }))));
  const [hx, hy] = place.get('house')!;
  for (const e of model.edges) {
    const [x, y] = place.get(e.node)!;
    const d = direction(e.w);
    // Shortened to the circles' edges; drawn in the direction the power flows.
    const len = Math.hypot(hx - x, hy - y);
    const ux = (hx - x) / len;
    const uy = (hy - y) / len;
    const a = [x + ux * 30, y + uy * 30];
    const b = [hx - ux * 34, hy - uy * 34];
    const [p, q] = d === 'out' ? [b, a] : [a, b];
    svg.append(s('line', { x1: p[0], y1: p[1], x2: q[0], y2: q[1], class: `flow-edge flow-${d}`, 'data-node': e.node, 'data-dir': d,
      ...(d === 'none' ? {} : { 'marker-end': 'url(#flow-arrow)' }) }));
  }
  for (const n of model.nodes) {
    const [x, y] = place.get(n.id)!;
    const r = n.kind === 'house' ? 34 : 28;
    const g = s('g', { class: `flow-node flow-${n.kind}`, 'data-node': n.id, 'data-w': n.w ?? '' },
      s('circle', { cx: x, cy: y, r }),
      s('text', { x, y: y - 3, 'text-anchor': 'middle', class: 'flow-label' }, n.label.length > 12 ? `${n.label.slice(0, 11)}…` : n.label),
      s('text', { x, y: y + 13, 'text-anchor': 'middle', class: 'flow-value' }, i18n.power(n.w == null ? null : Math.abs(n.w))));
    svg.append(g);
  }
  return svg;
}

/** Adds the live energy-flow card at the front of `grid` when the sink has meter roles. */
export async function addFlowCard(ctx: Ctx, grid: HTMLElement): Promise<void> {
  if (!ctx.detailAtLeast('full')) return;
  const { i18n } = ctx;
  const names = { grid: i18n.t('roleGrid'), pv: i18n.t('rolePv'), battery: i18n.t('roleBattery'), house: i18n.t('roleHouse') };
  const first = await fetchBalanceNow(ctx.api, scopeOf(ctx)).catch(() => null);
  if (!ctx.alive() || !first || !first.roles.length) return;
  const c = card(i18n.t('energyFlow'));
  c.root.id = 'flow-card';
  grid.prepend(c.root);
  const summary = h('p', { class: 'small', id: 'flow-summary', 'aria-live': 'polite' });
  const paint = (r: typeof first) => {
    clear(c.body);
    c.body.append(flowSvg(ctx, flowModel(r, names)), summary);
    const f = r.flows;
    summary.textContent = [
      f.grid_w == null ? null : direction(f.grid_w) === 'out' ? i18n.t('flowFeedingIn', { w: i18n.power(-f.grid_w) }) : i18n.t('flowDrawing', { w: i18n.power(f.grid_w) }),
      f.consumption_w != null && f.self_consumed_w != null && f.consumption_w > 0
        ? i18n.t('flowSelfShare', { p: i18n.percent(Math.min(1, f.self_consumed_w / f.consumption_w)) }) : null,
    ].filter(Boolean).join(' · ');
  };
  paint(first);
  const timer = window.setInterval(() => {
    fetchBalanceNow(ctx.api, scopeOf(ctx)).then((r) => { if (ctx.alive()) paint(r); }).catch(() => undefined);
  }, 5_000);
  ctx.onCleanup(() => window.clearInterval(timer));
}

/** The History card: production split into self-consumed and fed in, the import beside it, self-sufficiency per period. */
export function solarHistoryCard(ctx: Ctx): { root: HTMLElement; load: (period: PeriodKind, from: number, to: number) => Promise<void> } {
  const { i18n } = ctx;
  const c = card(i18n.t('solarBalance'), 'wide');
  c.root.id = 'solar-card';
  c.root.hidden = true;
  let chart: Chart | null = null;
  ctx.onCleanup(() => chart?.destroy());
  // Paging quickly can have an older range's answer arrive after a newer one's: only the
  // latest request may draw.
  let latest = 0;
  const load = async (period: PeriodKind, from: number, to: number) => {
    const mine = ++latest;
    const r = await fetchBalance(ctx.api, scopeOf(ctx), period, from, to);
    if (!ctx.alive() || mine !== latest) return;
    c.root.hidden = !r.roles.length;
    if (!r.roles.length) return;
    chart?.destroy();
    chart = null;
    clear(c.body);
    const ps = r.periods;
    if (!ps.some((p) => p.import_wh != null || p.production_wh != null)) { c.body.append(message(i18n.t('noData'), 'empty')); return; }
    const bars = solarBars(ps);
    const host = h('div', { class: 'chart', id: 'solar-chart' });
    c.body.append(host);
    chart = new Chart(host, [ps.map((p) => p.start_ms / 1000), bars.self, bars.fedIn, bars.imported] as uPlot.AlignedData, {
      i18n, tz: ctx.tz, period, height: 240, title: i18n.t('solarBalance'),
      series: [
        { label: i18n.t('selfConsumed'), unit: 'kWh', bars: true, stack: true, digits: 2, color: cssVar('--c4') },
        { label: i18n.t('fedIn'), unit: 'kWh', bars: true, stack: true, digits: 2, color: cssVar('--c6') },
        { label: i18n.t('imported'), unit: 'kWh', points: true, digits: 2, color: cssVar('--c2') },
      ],
      tooltip: (i) => [periodLabel(i18n, period, ps[i].start_ms, ctx.tz), ...periodLines(ctx, ps[i])],
    });
    chart.setX(from, to);
    host.setAttribute('data-bars', String(ps.length));
    const t = balanceTotal(ps);
    c.body.append(
      h('div', { class: 'kpis', id: 'solar-kpis' },
        kpi(i18n.t('imported'), i18n.energy(t.import_wh), 'solar-import'),
        kpi(i18n.t('exported'), i18n.energy(t.export_wh), 'solar-export'),
        r.known.production ? kpi(i18n.t('production'), i18n.energy(t.production_wh), 'solar-production') : null,
        r.known.consumption ? kpi(i18n.t('selfSufficiency'), i18n.percent(t.self_sufficiency), 'solar-autarky') : null),
      r.known.consumption ? periodTable(ctx, period, ps) : h('p', { class: 'muted small', id: 'solar-unknown' }, i18n.t('solarGridOnly')),
    );
  };
  return { root: c.root, load };
}

function kpi(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), h('span', { class: 'kpi-value', id }, value));
}

function periodLines(ctx: Ctx, p: BalancePeriod): string[] {
  const { i18n } = ctx;
  const lines = [`${i18n.t('imported')}: ${i18n.energy(p.import_wh)}`, `${i18n.t('exported')}: ${i18n.energy(p.export_wh)}`];
  if (p.production_wh != null) lines.push(`${i18n.t('production')}: ${i18n.energy(p.production_wh)}`, `${i18n.t('selfConsumed')}: ${i18n.energy(p.self_consumed_wh)}`);
  if (p.self_sufficiency != null) lines.push(`${i18n.t('selfSufficiency')}: ${i18n.percent(p.self_sufficiency)}`);
  if (p.coverage < 0.999) lines.push(i18n.t('coverage', { p: i18n.percent(p.coverage) }));
  return lines;
}

/** Self-sufficiency per period as a table: the chart's numbers readable without pointing. */
function periodTable(ctx: Ctx, period: PeriodKind, ps: BalancePeriod[]): HTMLElement {
  const { i18n } = ctx;
  return h('table', { class: 'solar', id: 'solar-table' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t(period as Key)), h('th', { scope: 'col', class: 'num' }, i18n.t('production')),
      h('th', { scope: 'col', class: 'num' }, i18n.t('consumption')), h('th', { scope: 'col', class: 'num' }, i18n.t('selfSufficiency')))),
    h('tbody', {}, ...ps.filter((p) => p.consumption_wh != null).map((p) => h('tr', { 'data-start': p.start_ms },
      h('th', { scope: 'row' }, periodLabel(i18n, period, p.start_ms, ctx.tz)), h('td', { class: 'num' }, i18n.energy(p.production_wh)),
      h('td', { class: 'num' }, i18n.energy(p.consumption_wh)), h('td', { class: 'num' }, i18n.percent(p.self_sufficiency))))));
}

/** Insights: the last twelve months' self-sufficiency and the feed-in income (the export's credit). */
export async function addSolarInsights(ctx: Ctx, grid: HTMLElement): Promise<void> {
  if (!ctx.detailAtLeast('hourly')) return;
  const { i18n } = ctx;
  const now = ctx.now();
  const from = Math.max(ctx.earliest(), periodStart('month', addPeriods('month', now, -11, ctx.tz), ctx.tz));
  const to = Math.min(addPeriods('month', periodStart('month', now, ctx.tz), 1, ctx.tz), from + 3 * 366 * DAY);
  const r: BalanceReply | null = await fetchBalance(ctx.api, scopeOf(ctx), 'month', from, to).catch(() => null);
  if (!ctx.alive() || !r || !r.roles.length) return;
  const c = card(i18n.t('monthlySolar'), 'wide');
  c.root.id = 'solar-insights';
  grid.append(c.root);
  const gridMeter = r.roles.find((m) => m.role === 'grid')?.meter;
  const exports: EnergyReply | null = gridMeter
    ? await ctx.api.get<EnergyReply>('energy', { meter: gridMeter, period: 'month', from: Math.floor(from), to: Math.ceil(to), direction: 'export' }).catch(() => null)
    : null;
  if (!ctx.alive()) return;
  const income = new Map((exports?.periods ?? []).map((p) => [p.start_ms, p]));
  const ps = r.periods.filter((p) => p.import_wh != null || p.production_wh != null);
  if (!ps.length) { c.body.append(message(i18n.t('noData'), 'empty')); return; }
  const total = [...income.values()].reduce((a, p) => a + (p.wh == null ? 0 : p.credit ?? p.cost ?? 0), 0);
  c.body.append(
    h('div', { class: 'kpis' },
      kpi(i18n.t('selfSufficiency'), i18n.percent(balanceTotal(ps).self_sufficiency), 'year-autarky'),
      exports ? kpi(i18n.t('feedInIncome'), i18n.money(total), 'feed-in-income') : null),
    h('table', { class: 'solar', id: 'monthly-solar' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t('month')), h('th', { scope: 'col', class: 'num' }, i18n.t('selfSufficiency')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('exported')), exports ? h('th', { scope: 'col', class: 'num' }, i18n.t('feedInIncome')) : null)),
      h('tbody', {}, ...ps.map((p) => {
        const e = income.get(p.start_ms);
        return h('tr', { 'data-start': p.start_ms }, h('th', { scope: 'row' }, periodLabel(i18n, 'month', p.start_ms, ctx.tz)),
          h('td', { class: 'num' }, i18n.percent(p.self_sufficiency)), h('td', { class: 'num' }, i18n.energy(p.export_wh)),
          exports ? h('td', { class: 'num' }, i18n.money(e?.wh == null ? null : e.credit ?? e.cost)) : null);
      }))),
    h('p', { class: 'muted small' }, i18n.t('feedInNote')),
  );
}
