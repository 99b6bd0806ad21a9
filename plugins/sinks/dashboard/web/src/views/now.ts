// Now: live power per meter and in total, per-phase values, and today's energy and cost so
// far against yesterday until the same time. Updated by every live push.
import uPlot from 'uplot';
import type { LiveValue, Reading } from '../api';
import { Chart } from '../chart';
import { type Ctx, hasQuantity, perMeter } from '../context';
import { card, clear, h, message } from '../dom';
import { addPeriods, lineOf, MINUTE, periodStart, sumPeriods } from '../shape';

const POWER = 'active_power_import';
const EXPORT = 'active_power_export';
const PHASES = ['l1', 'l2', 'l3'];

interface MeterState { values: Record<string, number>; time: number }

function valuesOf(raw: Record<string, LiveValue | number>): MeterState {
  const values: Record<string, number> = {};
  let time = 0;
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'time_ms') time = Number(v);
    else if (typeof v === 'object' && v && typeof v.value === 'number') values[k] = v.value;
  }
  return { values, time };
}

/** Net power of a meter: import minus export when both are known. */
function netPower(s: MeterState | undefined): number | null {
  if (!s || s.values[POWER] == null) return null;
  return s.values[POWER] - (s.values[EXPORT] ?? 0);
}

export async function renderNow(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const ids = ctx.selected();
  const state = new Map<string, MeterState>();

  const live = card(ctx.i18n.t('livePower'), 'live');
  const totalEl = h('div', { class: 'big', id: 'total-power', 'aria-live': 'polite' }, '…');
  const updated = h('div', { class: 'muted small', id: 'live-updated' }, i18n.t('waitingLive'));
  const tiles = h('div', { class: 'tiles' });
  live.body.append(h('div', { class: 'big-row' }, h('span', { class: 'big-label' }, ids.length > 1 ? i18n.t('total') : ctx.name(ids[0])), totalEl), updated, tiles);

  const chartCard = card(i18n.t('last15min'));
  const phasesCard = card(`${i18n.t('phase')} – ${i18n.t('voltage')}, ${i18n.t('current')}, ${i18n.t('power')}`);
  const todayCard = card(i18n.t('today'));
  root.append(h('div', { class: 'grid' }, live.root, todayCard.root, chartCard.root, phasesCard.root));

  const tileEls = new Map<string, HTMLElement>();
  for (const id of ids) {
    const v = h('span', { class: 'tile-value' }, '…');
    tileEls.set(id, v);
    tiles.append(h('div', { class: 'tile', 'data-meter': id }, h('span', { class: 'tile-label' }, ctx.name(id)), v));
  }

  const paint = () => {
    let total = 0;
    let known = 0;
    let newest = 0;
    for (const id of ids) {
      const p = netPower(state.get(id));
      tileEls.get(id)!.textContent = i18n.power(p);
      if (p != null) { total += p; known++; }
      newest = Math.max(newest, state.get(id)?.time ?? 0);
    }
    totalEl.textContent = known ? i18n.power(total) : i18n.t('notAvailable');
    totalEl.setAttribute('data-w', known ? String(total) : '');
    totalEl.setAttribute('data-time', String(newest));
    if (newest) updated.textContent = i18n.t('lastUpdate', { t: i18n.date(newest, 'seconds') });
    paintPhases();
  };

  const paintPhases = () => {
    clear(phasesCard.body);
    const table = h('table', { class: 'phases' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t('meter')), h('th', { scope: 'col' }, i18n.t('phase')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('voltage')), h('th', { scope: 'col', class: 'num' }, i18n.t('current')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('power')))));
    const body = h('tbody', {});
    let rows = 0;
    for (const id of ids) {
      const s = state.get(id);
      if (!s) continue;
      PHASES.forEach((ph, i) => {
        const v = s.values[`voltage_${ph}`];
        const a = s.values[`current_${ph}`];
        const w = s.values[`active_power_import_${ph}`];
        if (v == null && a == null && w == null) return;
        rows++;
        body.append(h('tr', {}, h('td', {}, i === 0 ? ctx.name(id) : ''), h('th', { scope: 'row' }, `L${i + 1}`),
          h('td', { class: 'num' }, v == null ? '–' : `${i18n.number(v, 0)} V`),
          h('td', { class: 'num' }, a == null ? '–' : `${i18n.number(a, 2)} A`),
          h('td', { class: 'num' }, i18n.power(w))));
      });
    }
    table.append(body);
    phasesCard.body.append(rows ? table : message(i18n.t('waitingLive'), 'empty'));
  };

  // Latest values and the chart's last 15 minutes of raw power load together; the latest values
  // are shown first, so the page shows something before the next push.
  const now = Date.now();
  const pending = perMeter(ctx, (m) => (hasQuantity(ctx, m, POWER)
    ? ctx.api.series(m, POWER, now - 15 * MINUTE, now, 'raw').then(lineOf)
    : Promise.resolve({ t: [] as number[], v: [] as (number | null)[] })));
  pending.catch(() => undefined); // a failure surfaces where it is awaited below
  const latest = await perMeter(ctx, (m) => ctx.api.latest(m));
  if (!ctx.alive()) return;
  latest.forEach((l, i) => { if (Object.keys(l.values).length) state.set(ids[i], valuesOf(l.values)); });
  paint();

  // Live chart: one line per meter, then each push appended.
  const lines = await pending;
  if (!ctx.alive()) return;
  const buffers = lines.map((l) => ({ t: l.t.map((x) => x / 1000), v: l.v }));
  const joined = () => {
    const cut = Date.now() / 1000 - 15 * 60;
    for (const b of buffers) {
      while (b.t.length && b.t[0] < cut) { b.t.shift(); b.v.shift(); }
    }
    return uPlot.join(buffers.map((b) => [b.t, b.v] as uPlot.AlignedData));
  };
  const chartHost = h('div', { class: 'chart', id: 'live-chart' });
  chartCard.body.append(chartHost);
  const chart = new Chart(chartHost, joined(), {
    i18n, title: i18n.t('last15min'), height: 220,
    series: ids.map((id) => ({ label: ctx.name(id), unit: 'W' })),
  });
  ctx.perf.firstChart ??= performance.now();
  ctx.onCleanup(() => chart.destroy());

  // Today so far vs yesterday until the same time of day.
  const loadToday = async () => {
    const at = Date.now();
    const todayStart = periodStart('day', at, ctx.tz);
    const yStart = addPeriods('day', todayStart, -1, ctx.tz);
    const elapsed = at - todayStart;
    const [today, yesterday] = await Promise.all([
      perMeter(ctx, (m) => ctx.api.energyRange(m, todayStart, at)),
      perMeter(ctx, (m) => ctx.api.energyRange(m, yStart, yStart + elapsed)),
    ]);
    if (!ctx.alive()) return;
    const t = sumPeriods(today.map((p) => [{ ...p, start_ms: 0 }]))[0];
    const y = sumPeriods(yesterday.map((p) => [{ ...p, start_ms: 0 }]))[0];
    clear(todayCard.body);
    todayCard.body.append(
      h('div', { class: 'kpis' },
        h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, i18n.t('energy')), h('span', { class: 'kpi-value', id: 'today-energy' }, i18n.energy(t?.wh))),
        h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, i18n.t('cost')), h('span', { class: 'kpi-value', id: 'today-cost' }, i18n.money(t?.cost))),
      ),
      h('p', {}, `${i18n.t('yesterdaySameTime')}: `, h('strong', {}, i18n.energy(y?.wh)), ', ', h('strong', {}, i18n.money(y?.cost)),
        ` (${i18n.t('change')} ${i18n.change(t?.wh, y?.wh)})`),
      h('p', { class: 'muted small' }, i18n.t('coverage', { p: i18n.percent(t?.coverage) })),
    );
  };
  todayCard.body.append(message(i18n.t('loading')));
  loadToday().catch((e) => ctx.fail(e, todayCard.body, () => void loadToday()));
  const todayTimer = window.setInterval(() => void loadToday().catch((e) => ctx.fail(e, todayCard.body)), 60_000);
  ctx.onCleanup(() => window.clearInterval(todayTimer));

  // Live push.
  const source = new EventSource(ctx.api.liveUrl(ctx.meter ?? undefined));
  ctx.onCleanup(() => source.close());
  let lostTimer: number | undefined;
  source.addEventListener('reading', (ev) => {
    const r = JSON.parse((ev as MessageEvent).data) as Reading;
    const i = ids.indexOf(r.meter);
    if (i < 0) return;
    const s = state.get(r.meter) ?? { values: {}, time: 0 };
    for (const [k, v] of Object.entries(r.values)) s.values[k] = v.value;
    s.time = r.time_ms;
    state.set(r.meter, s);
    updated.classList.remove('warn');
    paint();
    const p = r.values[POWER]?.value;
    if (p != null) {
      const b = buffers[i];
      const x = r.time_ms / 1000;
      if (!b.t.length || x > b.t[b.t.length - 1]) { b.t.push(x); b.v.push(p); }
      chart.setData(joined());
    }
  });
  source.addEventListener('open', () => window.clearTimeout(lostTimer));
  source.addEventListener('error', () => {
    updated.textContent = i18n.t('liveLost');
    updated.classList.add('warn');
    // The browser reconnects by itself; meanwhile find out whether access itself was lost.
    window.clearTimeout(lostTimer);
    lostTimer = window.setTimeout(() => ctx.checkAccess(), 300);
  });
  ctx.onCleanup(() => window.clearTimeout(lostTimer));
}
