// History: a zoomable power chart from minutes to years (the API picks ~200–2000 points per
// request), energy bars per period, comparison with the previous period and the same period
// last year, and the energy and cost of any range selected in the chart.
import type uPlot from 'uplot';
import type { EnergyPeriod } from '../api';
import { Chart } from '../chart';
import { compareRows } from '../compare';
import { type Ctx, hasQuantity, perMeter } from '../context';
import { card, clear, h, message, nextFrame } from '../dom';
import type { Key } from '../i18n';
import {
  addPeriods, chooseResolution, DAY, energyBars, lineOf, maxGapFor, periodStart, sumLines, sumPeriods, withGaps,
  type Line, type PeriodKind,
} from '../shape';

const POWER = 'active_power_import';
type RangeKind = 'day' | 'week' | 'month' | 'year' | 'years5';
const KINDS: RangeKind[] = ['day', 'week', 'month', 'year', 'years5'];
const BAR_PERIOD: Record<RangeKind, PeriodKind> = { day: 'hour', week: 'day', month: 'day', year: 'month', years5: 'year' };

export function rangeOf(kind: RangeKind, at: number, tz: string): [number, number] {
  if (kind === 'years5') {
    const end = addPeriods('year', periodStart('year', at, tz), 1, tz);
    return [addPeriods('year', end, -5, tz), end];
  }
  const s = periodStart(kind, at, tz);
  return [s, addPeriods(kind, s, 1, tz)];
}

export async function renderHistory(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const saved = /[?&]range=(\w+)/.exec(location.hash)?.[1] as RangeKind | undefined;
  let kind: RangeKind = saved && KINDS.includes(saved) ? saved : 'day';
  let anchor = ctx.now();
  let zoom: [number, number] | null = null;
  const combined = ctx.selected().length > 1;
  const canSeries = ctx.detailAtLeast('hourly');

  const kindButtons = KINDS.map((k) => h('button', { type: 'button', class: 'seg', 'data-range': k, 'aria-pressed': String(k === kind) }, i18n.t(k as Key)));
  const prev = h('button', { type: 'button', class: 'btn', 'aria-label': i18n.t('earlier') }, '◀');
  const next = h('button', { type: 'button', class: 'btn', 'aria-label': i18n.t('later') }, '▶');
  const reset = h('button', { type: 'button', class: 'btn ghost', hidden: true }, i18n.t('resetZoom'));
  const title = h('h2', { class: 'range-title', id: 'range-title' });
  root.append(h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': i18n.t('range') },
    h('div', { class: 'segmented' }, ...kindButtons), h('div', { class: 'nav' }, prev, title, next, reset)));

  const powerCard = card(i18n.t('power'), 'wide');
  const selInfo = h('div', { class: 'selection', id: 'selection', 'aria-live': 'polite' }, h('span', { class: 'muted small' }, i18n.t('selectHint')));
  const chartHost = h('div', { class: 'chart', id: 'power-chart' });
  const resInfo = h('div', { class: 'muted small' });
  powerCard.body.append(chartHost, resInfo, selInfo);
  const barsCard = card(i18n.t('energy'), 'wide');
  const barsHost = h('div', { class: 'chart', id: 'energy-chart' });
  const barsInfo = h('div', {});
  barsCard.body.append(barsHost, barsInfo);
  const compareCard = card(i18n.t('compare'));
  root.append(h('div', { class: 'grid' }, powerCard.root, barsCard.root, compareCard.root));

  let powerChart: Chart | null = null;
  let barsChart: Chart | null = null;
  ctx.onCleanup(() => { powerChart?.destroy(); barsChart?.destroy(); });
  let request = 0;

  const range = () => rangeOf(kind, anchor, ctx.tz);

  const loadPower = async (from: number, to: number) => {
    const id = ++request;
    if (!canSeries) {
      clear(chartHost);
      chartHost.append(message(i18n.t('shareNotAllowed'), 'empty'));
      return;
    }
    let res = chooseResolution(to - from, combined);
    if (!ctx.detailAtLeast('full') && (res === 'raw' || res === '1m')) res = '15m';
    const started = performance.now();
    const lines = await perMeter(ctx, (m) => (hasQuantity(ctx, m, POWER)
      ? ctx.api.series(m, POWER, from, to, combined || !ctx.detailAtLeast('full') ? res : 'auto')
        .then((s) => ({ line: lineOf(s), res: s.resolution, gap: s.gap_ms }))
      : Promise.resolve({ line: { t: [], v: [] } as Line, res, gap: undefined as number | undefined })));
    if (!ctx.alive() || id !== request) return;
    const t0 = performance.now();
    ctx.perf[`data_${zoom ? 'zoom' : kind}`] = t0 - started;
    const used = lines[0]?.res ?? res;
    const serverGap = Math.max(0, ...lines.map((l) => l.gap ?? 0)) || undefined;
    const data = withGaps(sumLines(lines.map((l) => l.line)), maxGapFor(used, serverGap)).slice(0, 2) as uPlot.AlignedData;
    resInfo.textContent = i18n.t('resolution', { r: i18n.resolution(used) });
    if (!powerChart) {
      clear(chartHost);
      powerChart = new Chart(chartHost, data, {
        i18n, title: i18n.t('power'), height: 300,
        series: [{ label: combined ? i18n.t('total') : ctx.name(ctx.selected()[0]), unit: 'W', fill: true }],
        onZoom: (a, b) => onZoom(a, b),
      });
    } else {
      powerChart.setData(data, true);
    }
    powerChart.setX(from, to);
    await nextFrame();
    ctx.perf[`render_${zoom ? 'zoom' : kind}`] = performance.now() - t0;
    ctx.perf.firstChart ??= performance.now();
    chartHost.setAttribute('data-points', String(data[0].length));
    chartHost.setAttribute('data-rendered', String(Date.now()));
  };

  let zoomTimer: number | undefined;
  const onZoom = (a: number, b: number) => {
    const [rf, rt] = range();
    const from = Math.max(a, ctx.earliest(), rf - 5 * 366 * DAY);
    const to = Math.min(b, Math.max(rt, ctx.now()));
    if (to - from < 60_000) return;
    zoom = [from, to];
    reset.hidden = false;
    window.clearTimeout(zoomTimer);
    zoomTimer = window.setTimeout(() => {
      loadPower(from, to).catch((e) => ctx.fail(e, chartHost));
      void showSelection(from, to);
    }, 150);
  };
  ctx.onCleanup(() => window.clearTimeout(zoomTimer));

  const showSelection = async (from: number, to: number) => {
    clear(selInfo);
    selInfo.append(message(i18n.t('loading')));
    try {
      let wh: number | null = null;
      let cost: number | null = null;
      if (to - from <= 31 * DAY && ctx.detailAtLeast('hourly')) {
        const rows = await perMeter(ctx, (m) => ctx.api.energyRange(m, from, to));
        const s = sumPeriods(rows.map((r) => [{ ...r, start_ms: 0 }]))[0];
        wh = s?.wh ?? null;
        cost = s?.cost ?? null;
      } else {
        const rows = sumPeriods(await perMeter(ctx, (m) => ctx.api.energy(m, 'day', from, to).then((r) => r.periods)));
        for (const p of rows) {
          if (p.start_ms < from - DAY / 2 || p.end_ms > to + DAY / 2) continue;
          if (p.wh != null) wh = (wh ?? 0) + p.wh;
          if (p.cost != null) cost = (cost ?? 0) + p.cost;
        }
      }
      if (!ctx.alive()) return;
      clear(selInfo);
      selInfo.append(h('strong', {}, `${i18n.t('selection')}: `), i18n.t('selectionEnergy', {
        from: i18n.date(from, 'dayTime'), to: i18n.date(to, 'dayTime'), e: i18n.energy(wh), c: i18n.money(cost),
      }));
      selInfo.setAttribute('data-wh', wh == null ? '' : String(wh));
    } catch (e) {
      ctx.fail(e, selInfo);
    }
  };

  const loadBars = async (from: number, to: number) => {
    let period = BAR_PERIOD[kind];
    if (period === 'hour' && !ctx.detailAtLeast('hourly')) period = 'day';
    barsCard.root.querySelector('h2')!.textContent = i18n.t('energyPer', { p: i18n.t(period as Key) });
    const periods = sumPeriods(await perMeter(ctx, (m) => ctx.api.energy(m, period, from, to).then((r) => r.periods)));
    if (!ctx.alive()) return;
    const data = energyBars(periods) as uPlot.AlignedData;
    barsChart?.destroy();
    clear(barsHost);
    barsChart = new Chart(barsHost, data, {
      i18n, bars: true, height: 220, title: i18n.t('energyPer', { p: i18n.t(period as Key) }),
      series: [{ label: i18n.t('energy'), unit: 'kWh', bars: true, digits: 2, color: undefined },
        { label: i18n.t('estimatedShort'), unit: 'kWh', bars: true, digits: 2, hatch: true }],
    });
    if (periods.length) barsChart.setX(from, to);
    const total = periods.reduce((a, p) => a + (p.wh ?? 0), 0);
    const cost = periods.reduce((a, p) => a + (p.cost ?? 0), 0);
    const estimated = periods.reduce((a, p) => a + (p.estimated_wh ?? 0), 0);
    const fee = periods.some((p) => p.fixed_fee != null) ? periods.reduce((a, p) => a + (p.fixed_fee ?? 0), 0) : null;
    clear(barsInfo);
    barsInfo.append(periods.some((p) => p.wh != null)
      ? h('p', { id: 'bars-total' }, `${i18n.t('total')}: `, h('strong', {}, i18n.energy(total)), ', ', h('strong', {}, i18n.money(cost)),
        fee == null ? null : h('span', { id: 'bars-fee' }, ` + ${i18n.t('fixedFee')} `, h('strong', {}, i18n.money(fee))))
      : message(i18n.t('noData'), 'empty'));
    if (estimated > 0) barsInfo.append(h('p', { class: 'muted small', id: 'bars-estimated' }, i18n.t('estimated', { e: i18n.energy(estimated) })));
  };

  const loadCompare = async (from: number) => {
    const period: PeriodKind = kind === 'years5' ? 'year' : kind;
    const at = kind === 'years5' ? periodStart('year', ctx.now(), ctx.tz) : from;
    const rows = await perMeter(ctx, (m) => ctx.api.compare(m, period, at));
    if (!ctx.alive()) return;
    const pick = (k: 'current' | 'previous' | 'last_year'): EnergyPeriod | null => {
      const list = rows.map((r) => r[k]).filter((p): p is EnergyPeriod => !!p);
      if (!list.length) return null;
      // Each meter's row is the same calendar period: added up as one, starting at the earliest.
      const sum = sumPeriods(list.map((p) => [{ ...p, start_ms: 0 }]))[0];
      return { ...sum, start_ms: Math.min(...list.map((p) => p.start_ms)) };
    };
    const cur = pick('current');
    const p = i18n.t(period as Key);
    const withFee = cur?.fixed_fee != null;
    const table = h('table', { class: 'compare', id: 'compare-table' },
      h('thead', {}, h('tr', {}, h('th', {}), h('th', { scope: 'col', class: 'num' }, i18n.t('energy')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('cost')),
        withFee ? h('th', { scope: 'col', class: 'num' }, i18n.t('fixedFee')) : null,
        h('th', { scope: 'col', class: 'num' }, i18n.t('change')))));
    const body = h('tbody', {});
    // A year's previous period is the same year last year: the API sends it once.
    const keys = [['current', i18n.t('current_', { p })], ['previous', i18n.t('previous', { p })], ['last_year', i18n.t('lastYear', { p })]] as const;
    for (const [k, label] of keys.filter(([k]) => k !== 'last_year' || rows.some((r) => r.last_year !== undefined))) {
      const row = pick(k);
      const verdict = compareRows(cur, row);
      // A part of a day says only until when; longer parts say from which day.
      const until = row?.partial ? i18n.t('untilT', { t: i18n.date(row.end_ms, 'dayTime') }) : '';
      const span = row ? (row.partial
        ? `${periodStart('day', row.end_ms - 1, ctx.tz) === row.start_ms ? until : `${i18n.date(row.start_ms)}, ${until}`} (${i18n.t(k === 'current' ? 'soFar' : 'samePart')})`
        : `${i18n.date(row.start_ms)} – ${i18n.date(row.end_ms - 1)}`) : null;
      const gaps = row && row.wh != null && row.coverage < 0.99 ? ` · ${i18n.t('coverage', { p: i18n.percent(row.coverage) })}` : '';
      body.append(h('tr', { 'data-row': k, 'data-partial': String(!!row?.partial) },
        h('th', { scope: 'row' }, label, span ? h('span', { class: 'muted small block' }, span + gaps) : null),
        h('td', { class: 'num' }, i18n.energy(row?.wh)), h('td', { class: 'num' }, i18n.money(row?.cost)),
        withFee ? h('td', { class: 'num' }, i18n.money(row?.fixed_fee)) : null,
        h('td', { class: 'num', 'data-change': 'change' in verdict ? String(verdict.change) : verdict.none },
          k === 'current' ? '' : 'change' in verdict ? i18n.signed(verdict.change) : h('span', { class: 'muted small' }, i18n.t(`noChange_${verdict.none}`)))));
    }
    table.append(body);
    clear(compareCard.body);
    compareCard.body.append(h('div', { class: 'scroll' }, table));
  };

  let loads = 0;
  const load = () => {
    const seq = ++loads;
    zoom = null;
    const [from, to] = range();
    const secondary = () => {
      if (seq !== loads || !ctx.alive()) return;
      loadBars(from, to).catch((e) => ctx.fail(e, barsInfo, load));
      loadCompare(from).catch((e) => ctx.fail(e, compareCard.body, load));
    };
    // The power chart comes first: its request goes out before the page is updated, and the bars
    // and the comparison, which would compete with it for the server's workers and the page's
    // main thread, wait until it is painted (a task queued after the frame runs then).
    loadPower(from, Math.min(to, Math.max(from + 60_000, ctx.now())))
      .catch((e) => ctx.fail(e, chartHost, load))
      .finally(() => window.setTimeout(secondary, 0));
    reset.hidden = true;
    kindButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === kind)));
    title.textContent = kind === 'day' ? i18n.date(from, 'weekday') + ' ' + i18n.date(from, 'year')
      : kind === 'year' ? i18n.date(from, 'year') : kind === 'month' ? i18n.date(from, 'month')
      : `${i18n.date(from)} – ${i18n.date(to - 1)}`;
    next.disabled = to > ctx.now();
    prev.disabled = from <= ctx.earliest();
    clear(selInfo);
    selInfo.append(h('span', { class: 'muted small' }, i18n.t('selectHint')));
    clear(compareCard.body);
    compareCard.body.append(message(i18n.t('loading')));
  };

  kindButtons.forEach((b) => b.addEventListener('click', () => {
    kind = b.dataset.range as RangeKind;
    anchor = ctx.now();
    history.replaceState(null, '', `#/history?range=${kind}`);
    load();
  }));
  const step = (n: number) => {
    const [from] = range();
    anchor = kind === 'years5' ? addPeriods('year', from, 5 * n, ctx.tz) : addPeriods(kind, from, n, ctx.tz);
    load();
  };
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  reset.addEventListener('click', () => load());
  load();
}
