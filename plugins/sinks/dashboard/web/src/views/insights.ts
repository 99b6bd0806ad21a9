// Insights: base load and what it costs a year, the highest 15-min demand per month, the
// HT/NT split, energy by hour of day, and each meter's share.
import type uPlot from 'uplot';
import { Chart, periodLabel } from '../chart';
import { cssVar, TOTAL } from '../colors';
import { type Ctx, perMeter } from '../context';
import { card, clear, h, message } from '../dom';
import { csvText, downloadButtons, localStamp } from '../download';
import { addPeriods, DAY, last12Months, periodStart, sumMatrices } from '../shape';
import { addPriceCard } from '../price-card';
import { addSolarInsights } from '../solar-views';

export async function renderInsights(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const now = ctx.now();
  const grid = h('div', { class: 'grid' });
  root.append(grid);
  void addSolarInsights(ctx, grid);
  void addPriceCard(ctx, grid);
  const add = (title: string, id: string, loader: (body: HTMLElement, c: ReturnType<typeof card>) => Promise<void>, need: 'daily' | 'hourly' = 'hourly') => {
    // A share link shows only the cards its detail allows, never a card that could only say no.
    if (!ctx.detailAtLeast(need)) return;
    const c = card(title);
    c.root.id = id;
    grid.append(c.root);
    c.body.append(message(i18n.t('loading')));
    const run = () => loader(c.body, c).catch((e) => ctx.fail(e, c.body, () => void run()));
    void run();
  };

  add(i18n.t('baseLoad'), 'baseload', async (body) => {
    const from = Math.max(ctx.earliest(), now - 30 * DAY);
    const rows = await perMeter(ctx, (m) => ctx.api.baseload(m, from, now));
    if (!ctx.alive()) return;
    const known = rows.filter((r) => r.base_load_w != null);
    const w = known.length ? known.reduce((a, r) => a + (r.base_load_w ?? 0), 0) : null;
    const cost = known.length ? known.reduce((a, r) => a + (r.yearly_cost ?? 0), 0) : null;
    clear(body);
    body.append(
      h('div', { class: 'big', 'data-w': w ?? '' }, i18n.power(w)),
      h('p', {}, h('strong', {}, i18n.t('perYear', { c: i18n.money(cost) }))),
      ...(rows.length > 1 ? [h('ul', { class: 'plain' }, ...rows.map((r) => h('li', {}, `${ctx.name(r.meter)}: ${i18n.power(r.base_load_w)}`)))] : []),
      h('p', { class: 'muted small' }, i18n.t('baseLoadText')),
    );
  });

  add(i18n.t('peaks'), 'peaks', async (body, c) => {
    const from = Math.max(ctx.earliest(), periodStart('month', now - 365 * DAY, ctx.tz));
    // The server adds the meters' 15-min demand before it picks each month's peak.
    const { peaks } = await ctx.api.insights(ctx.selected(), from, now);
    if (!ctx.alive()) return;
    clear(body);
    if (!peaks.length) { body.append(message(i18n.t('noData'), 'empty')); return; }
    const host = h('div', { class: 'chart' });
    body.append(host);
    const chart = new Chart(host, [peaks.map((p) => p.month_start_ms / 1000), peaks.map((p) => p.kw)] as uPlot.AlignedData, {
      i18n, tz: ctx.tz, period: 'month', height: 200, title: i18n.t('peaks'), series: [{ label: i18n.t('kw'), unit: 'kW', bars: true, digits: 2, color: ctx.meter ? ctx.color(ctx.meter) : cssVar(TOTAL) }],
      // A month's bar names when its peak was.
      tooltip: (i) => [periodLabel(i18n, 'month', peaks[i].month_start_ms, ctx.tz),
        i18n.t('peakAt', { kw: `${i18n.number(peaks[i].kw, 2)} kW`, t: i18n.date(peaks[i].at_ms, 'weekdayDate') + ', ' + i18n.date(peaks[i].at_ms, 'time') })],
    });
    // Through the end of the last month, so its bar is drawn whole.
    chart.setX(peaks[0].month_start_ms, addPeriods('month', peaks[peaks.length - 1].month_start_ms, 1, ctx.tz));
    ctx.onCleanup(() => chart.destroy());
    c.actions.append(downloadButtons(i18n, i18n.t('peaks'), 'meterd-peaks', () => csvText(
      [`month (${ctx.tz})`, `peak [kW]`, `at (${ctx.tz})`], peaks.map((p) => [localStamp(p.month_start_ms, ctx.tz).slice(0, 7), p.kw, localStamp(p.at_ms, ctx.tz)])), () => chart.png()));
    const top = peaks.reduce((a, b) => (b.kw > a.kw ? b : a));
    body.append(h('p', {}, `${i18n.t('max')}: `, h('strong', {}, `${i18n.number(top.kw, 2)} kW`), ` – ${i18n.date(top.at_ms, 'dayTime')}`));
  });

  // The HT/NT split and each meter's share cover exactly the same whole days.
  const [yearFrom, yearTo] = last12Months(now, ctx.tz);
  const windowText = `${i18n.date(yearFrom)} – ${i18n.date(yearTo - 1)}`;

  add(i18n.t('htnt'), 'htnt', async (body) => {
    const rows = [(await ctx.api.insights(ctx.selected(), yearFrom, yearTo)).energy];
    if (!ctx.alive()) return;
    clear(body);
    const hasSplit = rows.some((r) => r.ht_wh != null);
    if (!hasSplit) { body.append(message(i18n.t('noSchedule'), 'empty')); return; }
    const add = (k: 'ht_wh' | 'nt_wh' | 'ht_cost' | 'nt_cost') => rows.reduce((a, r) => a + (r[k] ?? 0), 0);
    const ht = add('ht_wh');
    const nt = add('nt_wh');
    const all = ht + nt;
    const bar = h('div', { class: 'split', role: 'img', 'aria-label': `${i18n.t('ht')} ${i18n.percent(all ? ht / all : null)}, ${i18n.t('nt')} ${i18n.percent(all ? nt / all : null)}` });
    const a = h('div', { class: 'split-ht' });
    const b = h('div', { class: 'split-nt' });
    a.style.width = `${all ? (100 * ht) / all : 0}%`;
    b.style.width = `${all ? (100 * nt) / all : 0}%`;
    bar.append(a, b);
    const line = (wh: number, cost: number) => `${i18n.energy(wh)} (${i18n.percent(all ? wh / all : null)}) · ${i18n.money(cost)}`;
    body.append(bar, h('dl', { class: 'pairs', 'data-wh': String(all) },
      h('dt', {}, h('span', { class: 'swatch ht' }), i18n.t('ht')), h('dd', { id: 'htnt-ht' }, line(ht, add('ht_cost'))),
      h('dt', {}, h('span', { class: 'swatch nt' }), i18n.t('nt')), h('dd', { id: 'htnt-nt' }, line(nt, add('nt_cost')))),
    h('p', { class: 'muted small window' }, `${i18n.t('total')}: ${i18n.energy(all)}, ${i18n.money(add('ht_cost') + add('nt_cost'))} · ${windowText}`));
  });

  add(i18n.t('heatmap'), 'heatmap', async (body, c) => {
    const from = Math.max(ctx.earliest(), periodStart('day', now - 56 * DAY, ctx.tz));
    const days = sumMatrices((await perMeter(ctx, (m) => ctx.api.matrix(m, from, now))).map((r) => r.days));
    if (!ctx.alive()) return;
    clear(body);
    if (!days.length) { body.append(message(i18n.t('noData'), 'empty')); return; }
    const map = heatmap(ctx, days);
    body.append(map.root);
    c.actions.replaceChildren(downloadButtons(i18n, i18n.t('heatmap'), 'meterd-hours', () => csvText(
      [`day (${ctx.tz})`, ...Array.from({ length: 24 }, (_, hr) => `${String(hr).padStart(2, '0')}:00 [kWh]`)],
      days.map((d) => [localStamp(d.day_ms, ctx.tz).slice(0, 10), ...d.wh.map((v) => (v == null ? null : v / 1000))])), map.png));
  });

  add(i18n.t('meterShares'), 'shares', async (body, c) => {
    const r = await ctx.api.meterShares(yearFrom, yearTo);
    if (!ctx.alive()) return;
    clear(body);
    if (!r.meters.length || r.total_wh <= 0) { body.append(message(i18n.t('noData'), 'empty')); return; }
    const list = h('ul', { class: 'bars' });
    r.meters.sort((a, b) => b.wh - a.wh).forEach((m) => {
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${(m.share * 100).toFixed(1)}%`;
      const color = ctx.color(m.meter);
      fill.style.background = color;
      list.append(h('li', { class: ctx.meter === m.meter ? 'selected' : '', 'data-meter': m.meter, 'data-color': color }, h('span', { class: 'bar-label' }, ctx.name(m.meter)),
        h('span', { class: 'bar-track' }, fill), h('span', { class: 'bar-value' }, `${i18n.percent(m.share)} · ${i18n.energy(m.wh)}`)));
    });
    body.append(list, h('p', { class: 'muted small window', 'data-wh': String(r.total_wh) }, `${i18n.t('total')}: ${i18n.energy(r.total_wh)} · ${windowText}`));
    c.actions.replaceChildren(downloadButtons(i18n, i18n.t('meterShares'), 'meterd-meter-shares', () => csvText(
      [i18n.t('meter'), `${i18n.t('energy')} [kWh]`, 'share [%]', `from (${ctx.tz})`, `to (${ctx.tz})`],
      r.meters.map((m) => [ctx.name(m.meter), m.wh / 1000, m.share * 100, localStamp(yearFrom, ctx.tz), localStamp(yearTo, ctx.tz)])), null));
  }, 'daily');
}

/**
 * Days down, hours across; colour by energy, empty cells for missing hours; a colour scale
 * below, and the cell under the pointer named in a tooltip.
 */
function heatmap(ctx: Ctx, days: { day_ms: number; wh: (number | null)[] }[]): { root: HTMLElement; png: () => string } {
  const { i18n } = ctx;
  const max = Math.max(1, ...days.flatMap((d) => d.wh.filter((v): v is number => v != null)));
  const canvas = h('canvas', { class: 'heatmap', role: 'img', 'aria-label': i18n.t('heatmap') });
  const tip = h('div', { class: 'chart-tip', hidden: true, id: 'heat-tip' });
  const cellH = 8;
  const labelW = 54;
  const topH = 16;
  let cellW = 10;
  const shade = (v: number) => 0.08 + 0.92 * Math.min(1, v / max);
  const draw = () => {
    const width = Math.max(240, canvas.parentElement?.clientWidth ?? 600);
    const dpr = window.devicePixelRatio || 1;
    const height = topH + days.length * cellH;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    cellW = (width - labelW) / 24;
    const text = cssVar('--muted');
    const base = cssVar('--heat');
    const empty = cssVar('--grid');
    g.font = '10px system-ui, sans-serif';
    g.fillStyle = text;
    const every = cellW < 12 ? 6 : 3;
    for (let hr = 0; hr < 24; hr += every) g.fillText(String(hr).padStart(2, '0'), labelW + hr * cellW + 1, 11);
    days.forEach((d, i) => {
      const y = topH + i * cellH;
      if (i % 7 === 0) { g.fillStyle = text; g.fillText(i18n.date(d.day_ms, 'dayShort'), 0, y + cellH); }
      d.wh.forEach((v, hr) => {
        if (v == null) { g.fillStyle = empty; g.globalAlpha = 0.35; }
        else { g.fillStyle = base; g.globalAlpha = shade(v); }
        g.fillRect(labelW + hr * cellW, y, cellW - 1, cellH - 1);
      });
      g.globalAlpha = 1;
    });
  };
  canvas.addEventListener('pointermove', (e) => {
    const hr = Math.floor((e.offsetX - labelW) / cellW);
    const row = Math.floor((e.offsetY - topH) / cellH);
    const d = days[row];
    if (!d || hr < 0 || hr > 23) { tip.hidden = true; return; }
    const v = d.wh[hr];
    tip.replaceChildren(h('strong', {}, i18n.date(d.day_ms, 'weekdayDate')),
      h('div', {}, `${String(hr).padStart(2, '0')}:00–${String(hr + 1).padStart(2, '0')}:00: ${v == null ? i18n.t('missing') : i18n.energy(v)}`));
    tip.hidden = false;
    tip.style.left = `${Math.min(e.offsetX + 12, canvas.clientWidth - tip.offsetWidth)}px`;
    tip.style.top = `${Math.max(0, e.offsetY - 40)}px`;
  });
  canvas.addEventListener('pointerleave', () => { tip.hidden = true; });
  const scale = h('div', { class: 'heat-scale small', id: 'heat-scale' },
    h('span', {}, `${i18n.t('heatScale')}: `), h('span', {}, i18n.energy(0)), h('span', { class: 'heat-ramp', 'aria-hidden': 'true' }), h('span', {}, i18n.energy(max)),
    h('span', { class: 'heat-none', 'aria-hidden': 'true' }), h('span', {}, i18n.t('missing')));
  const wrap = h('div', { class: 'heat-wrap' }, canvas, tip, scale);
  requestAnimationFrame(draw);
  const ro = new ResizeObserver(() => draw());
  ro.observe(wrap);
  ctx.onCleanup(() => ro.disconnect());
  return { root: wrap, png: () => canvas.toDataURL('image/png') };
}
