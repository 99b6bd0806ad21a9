// History: a zoomable power chart from minutes to years (the API picks ~200–2000 points per
// request), energy bars per period (stacked per meter for all meters), comparison with the
// previous period and the same period last year, overlays of two meters or two periods, and the
// energy and cost of any range selected in the chart. Every choice lives in the address.
import type uPlot from 'uplot';
import type { EnergyPeriod } from '../api';
import { Chart, gapSpans, lineTable, periodLabel, type SeriesSpec } from '../chart';
import { cssVar, OTHER, TOTAL } from '../colors';
import { compareRows } from '../compare';
import { type Ctx, seriesPerMeter } from '../context';
import { dateField } from '../date-field';
import { card, clear, h, message, nextFrame } from '../dom';
import { chartCsv, downloadButtons, localStamp, tableCsv } from '../download';
import {
  barPeriod, type HistoryState, KINDS, missingPeriods, otherRange, type RangeKind, readState, stepRange, writeState,
} from '../history-state';
import type { Key } from '../i18n';
import { isoDate, parseIsoDate, parseRoute, pushRoute } from '../route';
import { solarHistoryCard } from '../solar-views';
import {
  addPeriods, chooseResolution, DAY, fromCivil, lineOf, maxGapFor, periodStart, type PeriodKind, sameTimes, sumLines, sumPeriods, toCivil,
  typicalStep, type Line,
} from '../shape';

const POWER = 'active_power_import';

/** Does this device point with a finger? The hint then speaks of sliding, not dragging. */
function touchFirst(): boolean {
  return window.matchMedia?.('(pointer: coarse)').matches ?? false;
}

export async function renderHistory(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n, tz } = ctx;
  const canSeries = ctx.detailAtLeast('hourly');
  // A link with daily totals only has no day view: there would be nothing finer than one bar.
  const kinds = KINDS.filter((k) => k !== 'day' || canSeries);
  const limits = () => ({ tz, now: ctx.now(), earliest: ctx.earliest(), kinds });
  let st: HistoryState = readState(parseRoute().params, limits());
  const scopeMeters = ctx.meters.map((m) => m.id).filter((id) => !ctx.share || ctx.share.meters.includes(id));

  // The power of `meters` from `from` (and of the period compared with, in that overlay).
  const askPower = (meters: string[], from: number, to: number) => {
    const until = Math.min(to, Math.max(from + 60_000, ctx.now()));
    const multi = meters.length > 1 || st.overlay === 'periods';
    let res = chooseResolution(until - from, multi);
    if (!ctx.detailAtLeast('full') && (res === 'raw' || res === '1m')) res = '15m';
    const fetchLines = async (a: number, b: number) =>
      (await seriesPerMeter(ctx, meters, POWER, a, b, multi || !ctx.detailAtLeast('full') ? res : 'auto')).map((s) => (s
        ? { line: lineOf(s), res: s.resolution, gap: s.gap_ms as number | undefined }
        : { line: { t: [], v: [] } as Line, res, gap: undefined }));
    let shift = 0;
    let otherTo = 0;
    if (st.overlay === 'periods') {
      const [of] = otherRange(st, tz);
      shift = of - st.from;
      otherTo = Math.min(until + shift, ctx.now());
    }
    const started = performance.now();
    const replies = Promise.all([fetchLines(from, until),
      st.overlay === 'periods' && otherTo > from + shift ? fetchLines(from + shift, otherTo) : Promise.resolve([])]);
    replies.catch(() => undefined); // a failure surfaces where it is awaited
    return { from, to, until, res, meters, shift, started, replies };
  };
  // The first power request leaves before the view is built: building it takes a slow phone a
  // few hundred milliseconds, in which the answer arrives.
  let early: ReturnType<typeof askPower> | null = canSeries && st.overlay === 'none'
    ? askPower(ctx.selected(), ...(st.zoom ?? [st.from, st.to])) : null;

  // ---- toolbar ----
  const kindButtons = kinds.map((k) => h('button', { type: 'button', class: 'seg', 'data-range': k, 'aria-pressed': String(k === st.kind) }, i18n.t(k as Key)));
  const prev = h('button', { type: 'button', class: 'btn', id: 'prev', 'aria-label': i18n.t('earlier'), 'aria-keyshortcuts': 'ArrowLeft' }, '◀');
  const next = h('button', { type: 'button', class: 'btn', id: 'next', 'aria-label': i18n.t('later'), 'aria-keyshortcuts': 'ArrowRight' }, '▶');
  const reset = h('button', { type: 'button', class: 'btn ghost', id: 'reset-zoom', hidden: true }, i18n.t('resetZoom'));
  const title = h('h2', { class: 'range-title', id: 'range-title', 'aria-live': 'polite' });
  const dayBounds = { min: isoDate(toCivil(ctx.earliest() || Date.UTC(2000, 0, 1), tz)), max: isoDate(toCivil(ctx.now(), tz)) };
  // The handlers are defined further down; they run only once the view is shown.
  const dateInput = dateField(i18n, { id: 'date-pick', label: i18n.t('pickDate'), ...dayBounds, onPick: (v) => pickDay(v) });
  const toInput = dateField(i18n, { id: 'date-to', label: i18n.t('to'), ...dayBounds, onPick: (v) => pickEnd(v) });
  const toLabel = h('span', { class: 'date-to' }, h('span', { class: 'muted small', 'aria-hidden': 'true' }, `${i18n.t('to')} `), toInput.root);
  const overlaySel = h('select', { id: 'overlay', 'aria-label': i18n.t('overlay') },
    h('option', { value: 'none' }, i18n.t('overlayNone')),
    scopeMeters.length > 1 ? h('option', { value: 'meters' }, i18n.t('compareMeters')) : null,
    h('option', { value: 'periods' }, i18n.t('comparePeriods')));
  const meterChoice = (id: string, pick: string | null) => h('select', { id, 'aria-label': i18n.t('meter') },
    ...scopeMeters.map((m) => h('option', { value: m, selected: m === pick }, ctx.name(m))));
  const meterA = meterChoice('overlay-a', st.a ?? scopeMeters[0] ?? null);
  const meterB = meterChoice('overlay-b', st.b ?? scopeMeters[1] ?? null);
  const vsInput = dateField(i18n, { id: 'overlay-vs', label: i18n.t('otherPeriod'), ...dayBounds, onPick: (v) => pickOther(v) });
  const overlayExtra = h('span', { class: 'overlay-extra' });
  root.append(h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': i18n.t('range') },
    h('div', { class: 'segmented', role: 'group' }, ...kindButtons),
    h('div', { class: 'nav' }, prev, title, next),
    h('div', { class: 'pickers' }, dateInput.root, toLabel, reset),
    h('div', { class: 'pickers' }, h('label', {}, h('span', { class: 'muted small' }, `${i18n.t('overlay')} `), overlaySel), overlayExtra)));
  root.append(h('p', { class: 'muted small keys-hint' }, i18n.t('keysHint')));

  // ---- cards ----
  const powerCard = card(i18n.t('power'), 'wide');
  const hint = touchFirst() ? i18n.t('touchHint') : i18n.t('selectHint');
  const selInfo = h('div', { class: 'selection', id: 'selection', 'aria-live': 'polite' });
  const chartHost = h('div', { class: 'chart', id: 'power-chart' });
  const resInfo = h('div', { class: 'muted small' });
  powerCard.body.append(chartHost, resInfo, selInfo);
  const barsCard = card(i18n.t('energy'), 'wide');
  const barsHost = h('div', { class: 'chart', id: 'energy-chart' });
  const barsInfo = h('div', {});
  barsCard.body.append(barsHost, barsInfo);
  const compareCard = card(i18n.t('compare'), 'wide');
  // A link without hourly detail has no power chart: no card that could only say so.
  const solar = solarHistoryCard(ctx);
  root.append(h('div', { class: 'grid' }, canSeries ? powerCard.root : null, barsCard.root, solar.root, compareCard.root));

  let powerChart: Chart | null = null;
  let barsChart: Chart | null = null;
  let barsExtra: { label: string; values: (number | string | null)[] }[] = [];
  ctx.onCleanup(() => { powerChart?.destroy(); barsChart?.destroy(); });
  const fileBase = () => `meterd-${isoDate(toCivil(st.from, tz))}-${st.kind}`;
  powerCard.actions.append(downloadButtons(i18n, i18n.t('power'), `${fileBase()}-power`,
    () => (powerChart ? chartCsv(powerChart, tz) : ''), () => powerChart?.png() ?? ''));
  barsCard.actions.append(downloadButtons(i18n, i18n.t('energy'), `${fileBase()}-energy`,
    () => (barsChart ? chartCsv(barsChart, tz, barsExtra) : ''), () => barsChart?.png() ?? ''));
  compareCard.actions.append(downloadButtons(i18n, i18n.t('compare'), `${fileBase()}-comparison`, () => {
    const t = compareCard.body.querySelector('table');
    return t ? tableCsv(t) : '';
  }, null));

  // The meters each line or bar stands for, and what they are called.
  const overlayMeters = () => [meterA.value, meterB.value].filter(Boolean);
  const drawn = (): string[] => (st.overlay === 'meters' ? overlayMeters() : ctx.selected());
  const combined = () => drawn().length > 1;

  let request = 0;
  const loadPower = async (from: number, to: number) => {
    const id = ++request;
    if (!canSeries) return;
    const shown: [number, number] = st.zoom ?? [st.from, st.to];
    const asked = early && early.from === from && early.to === to && drawn().join() === early.meters.join()
      ? early : askPower(drawn(), from, to);
    early = null;
    const { until, res, meters, shift, started } = asked;
    const [lines, others] = await asked.replies;
    if (!ctx.alive() || id !== request) return;
    const t0 = performance.now();
    ctx.perf[`data_${st.zoom ? 'zoom' : st.kind}`] = t0 - started;
    const used = lines[0]?.res ?? res;
    const serverGap = Math.max(0, ...lines.map((l) => l.gap ?? 0)) || undefined;
    // Meters answered for the same times have the same rhythm: it is worked out once.
    const rhythms = lines.filter((l, i) => i === 0 || !sameTimes(l.line.t, lines[0].line.t));
    const gap = Math.max(maxGapFor(used, serverGap), 1.5 * Math.max(0, ...rhythms.map((l) => typicalStep(l.line.t))));
    const total = sumLines(lines.map((l) => l.line));
    const specs: SeriesSpec[] = [];
    // The means only: the band of minima and maxima is not drawn here.
    const drawnLines: Line[] = [];
    if (st.overlay === 'meters') {
      lines.forEach((l, i) => { specs.push({ label: ctx.name(meters[i]), unit: 'W', color: ctx.color(meters[i]) }); drawnLines.push(l.line); });
    } else {
      specs.push({ label: combined() ? i18n.t('total') : ctx.name(meters[0]), unit: 'W', fill: true, color: combined() ? cssVar(TOTAL) : ctx.color(meters[0]) });
      drawnLines.push(total);
      if (st.overlay === 'periods') {
        const o = sumLines(others.map((l) => l.line));
        specs.push({ label: periodText(st.from + shift, st.to + shift), unit: 'W', color: cssVar(OTHER) });
        drawnLines.push({ t: o.t.map((t) => t - shift), v: o.v });
      } else if (combined()) {
        // Each meter's own line, to be switched on and off in the legend.
        lines.forEach((l, i) => { specs.push({ label: ctx.name(meters[i]), unit: 'W', color: ctx.color(meters[i]) }); drawnLines.push(l.line); });
      }
    }
    const data = lineTable(drawnLines, gap);
    const x = data[0] as number[];
    const y = data[1] as (number | null)[];
    const first = x.findIndex((_, i) => y[i] != null);
    const gaps = gapSpans(x, y, Math.min(until, ctx.now()));
    // No data at the start or the end of what was asked for is missing too.
    if (first < 0) gaps.push([from, until]);
    else {
      if (x[first] * 1000 - from > gap) gaps.unshift([from, x[first] * 1000]);
      let last = x.length - 1;
      while (last > 0 && y[last] == null) last--;
      if (until - x[last] * 1000 > gap) gaps.push([x[last] * 1000, until]);
    }
    resInfo.textContent = i18n.t('resolution', { r: i18n.resolution(used) });
    const needNew = !powerChart || powerChart.opts.series.length !== specs.length || powerChart.opts.series.some((s, i) => s.label !== specs[i].label);
    if (needNew) {
      powerChart?.destroy();
      clear(chartHost);
      powerChart = new Chart(chartHost, data, {
        i18n, tz, title: i18n.t('power'), height: 300, series: specs, gaps,
        onZoom: (a, b) => onZoom(a, b),
      });
    } else {
      powerChart!.setData(data, true, gaps);
    }
    // The day's power and its hourly bars share one 00–24 h axis.
    powerChart!.setX(shown[0], shown[1]);
    await nextFrame();
    ctx.perf[`render_${st.zoom ? 'zoom' : st.kind}`] = performance.now() - t0;
    ctx.perf.firstChart ??= performance.now();
    chartHost.setAttribute('data-points', String(x.length));
    chartHost.setAttribute('data-series', String(specs.length));
    chartHost.setAttribute('data-rendered', String(Date.now()));
  };

  let zoomTimer: number | undefined;
  const onZoom = (a: number, b: number) => {
    const from = Math.max(a, ctx.earliest(), st.from - 5 * 366 * DAY);
    const to = Math.min(b, Math.max(st.to, ctx.now()));
    if (to - from < 60_000) return;
    st = { ...st, zoom: [from, to] };
    pushRoute('history', { ...keep(), ...writeState(st, tz) });
    showTitle();
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
      const meters = drawn();
      if (to - from <= 31 * DAY && ctx.detailAtLeast('hourly')) {
        const rows = await Promise.all(meters.map((m) => ctx.api.energyRange(m, from, to)));
        const s = sumPeriods(rows.map((r) => [{ ...r, start_ms: 0 }]))[0];
        wh = s?.wh ?? null;
        cost = s?.cost ?? null;
      } else {
        const rows = sumPeriods((await ctx.api.energyOf(meters, 'day', from, to)).map((r) => r.periods));
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

  const periodText = (from: number, to: number): string => {
    switch (st.kind) {
      case 'day': return i18n.date(from, 'weekdayDate');
      case 'month': return i18n.date(from, 'monthLong');
      case 'year': return i18n.date(from, 'year');
      default: return `${i18n.date(from)} – ${i18n.date(to - 1)}`;
    }
  };

  const loadBars = async (from: number, to: number) => {
    const period = barPeriod(st.kind, from, to, ctx.detailAtLeast('hourly'));
    barsCard.root.querySelector('h2')!.textContent = i18n.t('energyPer', { p: i18n.t(period as Key) });
    const meters = drawn();
    const load = (a: number, b: number) => ctx.api.energyOf(meters, period, a, b).then((rs) => rs.map((r) => r.periods));
    const [o0, o1] = otherRange(st, tz);
    const [lists, otherLists] = await Promise.all([load(from, to), st.overlay === 'periods' ? load(o0, o1) : Promise.resolve([])]);
    if (!ctx.alive()) return;
    const periods = sumPeriods(lists);
    const x = periods.map((p) => p.start_ms / 1000);
    const byMeter = lists.map((l) => new Map(l.map((p) => [p.start_ms, p])));
    const whOf = (m: number, i: number) => { const p = byMeter[m].get(periods[i].start_ms); return p?.wh == null ? null : p.wh / 1000; };
    const specs: SeriesSpec[] = [];
    const rows: (number | null)[][] = [];
    const energy = i18n.t('energy');
    const other = st.overlay === 'periods' ? sumPeriods(otherLists) : [];
    if (st.overlay === 'meters') {
      meters.forEach((m, i) => {
        // The second meter as dots over the first one's bars: both read against one scale.
        specs.push(i === 0 ? { label: ctx.name(m), unit: 'kWh', bars: true, digits: 2, color: ctx.color(m) }
          : { label: ctx.name(m), unit: 'kWh', digits: 2, points: true, color: ctx.color(m) });
        rows.push(periods.map((_, j) => whOf(i, j)));
      });
    } else if (combined()) {
      // Stacked: each meter's share of every bar.
      meters.forEach((m, i) => {
        specs.push({ label: ctx.name(m), unit: 'kWh', bars: true, digits: 2, stack: true, color: ctx.color(m) });
        rows.push(periods.map((_, j) => whOf(i, j)));
      });
    } else {
      specs.push({ label: energy, unit: 'kWh', bars: true, digits: 2, color: ctx.color(meters[0]) });
      rows.push(periods.map((p) => (p.wh == null ? null : p.wh / 1000)));
    }
    if (st.overlay !== 'meters' && periods.some((p) => p.estimated_wh)) {
      specs.push({ label: i18n.t('estimatedShort'), unit: 'kWh', bars: true, digits: 2, hatch: true, color: cssVar(TOTAL) });
      rows.push(periods.map((p) => (p.wh == null || !p.estimated_wh ? null : p.estimated_wh / 1000)));
    }
    if (st.overlay === 'periods') {
      // The other period's bars by position: its first hour, day or month against this one's.
      specs.push({ label: periodText(o0, o1), unit: 'kWh', digits: 2, points: true, color: cssVar(OTHER) });
      rows.push(periods.map((_, i) => (other[i]?.wh == null ? null : other[i].wh! / 1000)));
    }
    const data = [x, ...rows] as uPlot.AlignedData;
    const tip = (i: number): string[] => {
      const p = periods[i];
      const lines = [periodLabel(i18n, period, p.start_ms, tz)];
      if (combined() || st.overlay === 'meters') meters.forEach((m, k) => lines.push(`${ctx.name(m)}: ${i18n.energy(byMeter[k].get(p.start_ms)?.wh)}`));
      if (st.overlay !== 'meters') lines.push(`${energy}: ${i18n.energy(p.wh)}`, `${i18n.t('cost')}: ${i18n.money(p.cost)}`);
      if (p.estimated_wh) lines.push(`${i18n.t('estimatedShort')}: ${i18n.energy(p.estimated_wh)}`);
      if (other[i]) lines.push(`${periodLabel(i18n, period, other[i].start_ms, tz)}: ${i18n.energy(other[i].wh)}, ${i18n.money(other[i].cost)}`);
      return lines;
    };
    barsExtra = [
      { label: `end (${tz})`, values: periods.map((p) => localStamp(p.end_ms, tz)) },
      { label: `${i18n.t('cost')} [${i18n.currency}]`, values: periods.map((p) => p.cost) },
    ];
    barsChart?.destroy();
    clear(barsHost);
    barsChart = new Chart(barsHost, data, {
      i18n, tz, period, height: 240, title: i18n.t('energyPer', { p: i18n.t(period as Key) }),
      series: specs, tooltip: tip, gaps: missingPeriods(periods, ctx.now()),
    });
    barsChart.setX(from, to);
    barsHost.setAttribute('data-bars', String(periods.length));
    barsHost.setAttribute('data-series', String(specs.length));
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
    const period: PeriodKind = st.kind === 'years5' ? 'year' : (st.kind as PeriodKind);
    const at = st.kind === 'years5' ? periodStart('year', ctx.now(), tz) : from;
    const rows = await Promise.all(drawn().map((m) => ctx.api.compare(m, period, at)));
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
        ? `${periodStart('day', row.end_ms - 1, tz) === row.start_ms ? until : `${i18n.date(row.start_ms)}, ${until}`} (${i18n.t(k === 'current' ? 'soFar' : 'samePart')})`
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
    const any = keys.some(([k]) => pick(k)?.wh != null);
    // A shared page shows no card that has nothing to say.
    if (!any && ctx.share) compareCard.root.hidden = true;
    compareCard.body.append(any ? h('div', { class: 'scroll' }, table) : message(i18n.t('noData'), 'empty'));
  };

  /** The shell's part of the address (the meter choice), kept when this view writes its own. */
  const keep = () => ({ meter: parseRoute().params.get('meter') });

  const showTitle = () => {
    title.textContent = st.zoom ? `${i18n.date(st.zoom[0], 'dayTime')} – ${i18n.date(st.zoom[1], 'dayTime')}` : periodText(st.from, st.to);
    reset.hidden = !st.zoom;
  };

  const showOverlay = () => {
    overlaySel.value = st.overlay;
    clear(overlayExtra);
    if (st.overlay === 'meters') overlayExtra.append(meterA, h('span', { 'aria-hidden': 'true' }, ' / '), meterB);
    if (st.overlay === 'periods') {
      vsInput.set(isoDate(toCivil(otherRange(st, tz)[0], tz)));
      overlayExtra.append(h('span', {}, h('span', { class: 'muted small', 'aria-hidden': 'true' }, `${i18n.t('otherPeriod')} `), vsInput.root));
    }
  };

  let loads = 0;
  /** Shows the state; `record` adds it to the browser's history first (not for the state read from it). */
  const load = (record: boolean) => {
    const seq = ++loads;
    if (record) pushRoute('history', { ...keep(), ...writeState(st, tz) });
    const { from, to } = st;
    const secondary = () => {
      if (seq !== loads || !ctx.alive()) return;
      loadBars(from, to).catch((e) => ctx.fail(e, barsInfo, () => load(false)));
      solar.load(barPeriod(st.kind, from, to, ctx.detailAtLeast('hourly')), from, to).catch((e) => ctx.fail(e, solar.root, () => load(false)));
      if (st.kind === 'custom') compareCard.root.hidden = true;
      else {
        compareCard.root.hidden = false;
        loadCompare(from).catch((e) => ctx.fail(e, compareCard.body, () => load(false)));
      }
    };
    const [pf, pt] = st.zoom ?? [from, to];
    // The power chart comes first: its request goes out before the page is updated, and the bars
    // and the comparison, which would compete with it for the server's workers and the page's
    // main thread, wait until it is painted (a task queued after the frame runs then).
    (canSeries ? loadPower(pf, pt) : Promise.resolve())
      .catch((e) => ctx.fail(e, chartHost, () => load(false)))
      .finally(() => window.setTimeout(secondary, 0));
    kindButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.range === st.kind)));
    showTitle();
    showOverlay();
    dateInput.set(isoDate(toCivil(from, tz)));
    toInput.set(isoDate(toCivil(to - 1, tz)));
    toLabel.hidden = st.kind !== 'custom';
    next.disabled = to > ctx.now();
    prev.disabled = from <= ctx.earliest();
    clear(selInfo);
    if (st.zoom) void showSelection(st.zoom[0], st.zoom[1]);
    else selInfo.append(h('span', { class: 'muted small', id: 'select-hint' }, hint));
    clear(compareCard.body);
    compareCard.body.append(message(i18n.t('loading')));
  };

  const goTo = (kind: RangeKind, at: number, to?: number) => {
    const p = new URLSearchParams({ range: kind, date: isoDate(toCivil(at, tz)) });
    if (to != null) p.set('to', isoDate(toCivil(to - 1, tz)));
    st = { ...readState(p, limits()), overlay: st.overlay, a: st.a, b: st.b, vs: null };
    load(true);
  };
  kindButtons.forEach((b) => b.addEventListener('click', () => {
    const kind = b.dataset.range as RangeKind;
    // A new kind shows the period of that kind around the latest day shown.
    const at = Math.min(st.to - 1, ctx.now());
    if (kind === 'custom') goTo(kind, addPeriods('day', periodStart('day', at, tz), -6, tz), addPeriods('day', periodStart('day', at, tz), 1, tz));
    else goTo(kind, at);
  }));
  const step = (n: number) => {
    const [a, b] = stepRange(st, n, tz);
    if ((n < 0 && prev.disabled) || (n > 0 && next.disabled)) return;
    goTo(st.kind, a, st.kind === 'custom' ? b : undefined);
  };
  prev.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  reset.addEventListener('click', () => { st = { ...st, zoom: null }; load(true); });
  const localDay = (v: string) => { const d = parseIsoDate(v); return d ? fromCivil({ ...d, hour: 0, minute: 0 }, tz) : null; };
  const pickDay = (v: string) => {
    const at = localDay(v);
    if (at == null) return;
    if (st.kind === 'custom') goTo('custom', at, Math.max(at + DAY, st.to));
    else goTo(st.kind, at);
  };
  const pickEnd = (v: string) => {
    const end = localDay(v);
    if (end != null) goTo('custom', st.from, addPeriods('day', end, 1, tz));
  };
  overlaySel.addEventListener('change', () => {
    st = { ...st, overlay: overlaySel.value as HistoryState['overlay'], a: meterA.value, b: meterB.value, zoom: null };
    load(true);
  });
  for (const sel of [meterA, meterB]) sel.addEventListener('change', () => { st = { ...st, a: meterA.value, b: meterB.value }; load(true); });
  const pickOther = (v: string) => {
    const at = localDay(v);
    if (at != null) { st = { ...st, vs: at }; load(true); }
  };
  // ← and → step through the periods, unless a field is being edited.
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const t = e.target as HTMLElement | null;
    if (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) return;
    if (e.key === 'ArrowLeft') { e.preventDefault(); step(-1); }
    if (e.key === 'ArrowRight') { e.preventDefault(); step(1); }
  };
  document.addEventListener('keydown', onKey);
  ctx.onCleanup(() => document.removeEventListener('keydown', onKey));
  // Normalise the address (a missing or invalid date becomes the one shown) without a new entry.
  pushRoute('history', { ...keep(), ...writeState(st, tz) }, true);
  load(false);
}
