// Now: live power per meter and in total, per-phase values, and today's energy and cost so
// far against yesterday until the same time. Updated by every live push.
import type uPlot from 'uplot';
import type { Reading } from '../api';
import { Chart, joinTables } from '../chart';
import { compareRows } from '../compare';
import { type Ctx, perMeter, seriesPerMeter } from '../context';
import { card, clear, h, message } from '../dom';
import { chartCsv, downloadButtons, tableDownload } from '../download';
import { ageText, judge, merge, type MeterLive, type MeterView, netPower } from '../freshness';
import { addPeriods, lineOf, MINUTE, periodStart, sumPeriods } from '../shape';
import { addFlowCard } from '../solar-views';

const POWER = 'active_power_import';
const PHASES = ['l1', 'l2', 'l3'];

export async function renderNow(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const ids = ctx.selected();
  const state = new Map<string, MeterLive>();
  let offlineAfter = 60_000;
  let skew = 0;  // server clock minus this browser's: ages are judged by the server's time
  const serverNow = () => Date.now() + skew;

  const live = card(ctx.i18n.t('livePower'), 'live');
  const totalEl = h('div', { class: 'big', id: 'total-power', 'aria-live': 'polite' }, '…');
  const totalNote = h('div', { class: 'small warn', id: 'total-note', hidden: true });
  const updated = h('div', { class: 'muted small', id: 'live-updated' }, i18n.t('waitingLive'));
  const tiles = h('div', { class: 'tiles' });
  live.body.append(h('div', { class: 'big-row' }, h('span', { class: 'big-label' }, ids.length > 1 ? i18n.t('total') : ctx.name(ids[0])), totalEl), totalNote, updated, tiles);

  const chartCard = card(i18n.t('last15min'));
  const phasesCard = card(`${i18n.t('phase')} – ${i18n.t('voltage')}, ${i18n.t('current')}, ${i18n.t('power')}`);
  const todayCard = card(i18n.t('today'));
  const grid = h('div', { class: 'grid' }, live.root, todayCard.root, chartCard.root, phasesCard.root);
  root.append(grid);
  void addFlowCard(ctx, grid);

  const tileEls = new Map<string, { root: HTMLElement; value: HTMLElement; note: HTMLElement }>();
  for (const id of ids) {
    const value = h('span', { class: 'tile-value' }, '…');
    const note = h('span', { class: 'tile-note small' });
    const root = h('div', { class: 'tile', 'data-meter': id }, h('span', { class: 'tile-label' }, ctx.name(id)), value, note);
    tileEls.set(id, { root, value, note });
    tiles.append(root);
  }

  const paint = () => {
    const now = serverNow();
    const views = new Map<string, MeterView>();
    for (const id of ids) {
      const s = state.get(id);
      if (s) views.set(id, judge(s, now, offlineAfter));
    }
    let total = 0;
    let known = 0;
    let newest = 0;
    const offline: string[] = [];
    for (const id of ids) {
      const v = views.get(id);
      const tile = tileEls.get(id)!;
      const p = netPower(v);
      const power = v?.values[POWER];
      tile.value.textContent = v?.offline ? i18n.power(power?.value) : i18n.power(p);
      tile.root.classList.toggle('offline', !!v?.offline);
      tile.root.classList.toggle('stale', !!v && !v.offline && !!power?.stale);
      tile.root.setAttribute('data-state', !v ? 'waiting' : v.offline ? 'offline' : power?.stale ? 'stale' : 'live');
      tile.note.textContent = !v ? '' : v.offline ? i18n.t('offlineSince', { t: i18n.date(v.since, 'dayTime') })
        : power?.stale ? ageText(now - power.time, i18n) : '';
      if (v?.offline) offline.push(ctx.name(id));
      if (p != null) { total += p; known++; }
      newest = Math.max(newest, v?.since ?? 0);
    }
    totalEl.textContent = known ? i18n.power(total) : i18n.t('notAvailable');
    totalEl.setAttribute('data-w', known ? String(total) : '');
    totalEl.setAttribute('data-time', String(newest));
    totalEl.setAttribute('data-meters', String(known));
    // The total says which meters it leaves out.
    totalNote.hidden = offline.length === 0;
    totalNote.textContent = offline.length ? i18n.t('totalWithout', { m: offline.join(', ') }) : '';
    if (newest) updated.textContent = i18n.t('lastUpdate', { t: i18n.date(newest, 'seconds') });
    paintPhases(views, now);
  };

  const paintPhases = (views: Map<string, MeterView>, now: number) => {
    clear(phasesCard.body);
    const table = h('table', { class: 'phases' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t('meter')), h('th', { scope: 'col' }, i18n.t('phase')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('voltage')), h('th', { scope: 'col', class: 'num' }, i18n.t('current')),
        h('th', { scope: 'col', class: 'num' }, i18n.t('power')))));
    const body = h('tbody', {});
    let rows = 0;
    const cell = (v: { value: number; time: number; stale: boolean } | undefined, text: (x: number) => string, q: string) => {
      if (!v) return h('td', { class: 'num' }, '–');
      return h('td', { class: v.stale ? 'num stale' : 'num', 'data-q': q, title: v.stale ? ageText(now - v.time, i18n) : undefined },
        text(v.value), v.stale ? h('span', { class: 'age block small' }, ageText(now - v.time, i18n)) : null);
    };
    for (const id of ids) {
      const s = views.get(id);
      if (!s || s.offline) continue;
      PHASES.forEach((ph, i) => {
        const v = s.values[`voltage_${ph}`];
        const a = s.values[`current_${ph}`];
        const w = s.values[`active_power_import_${ph}`];
        if (v == null && a == null && w == null) return;
        rows++;
        body.append(h('tr', { 'data-meter': id }, h('td', {}, i === 0 ? ctx.name(id) : ''), h('th', { scope: 'row' }, `L${i + 1}`),
          cell(v, (x) => `${i18n.number(x, 0)} V`, `voltage_${ph}`),
          cell(a, (x) => `${i18n.number(x, 2)} A`, `current_${ph}`),
          cell(w, (x) => i18n.power(x), `active_power_import_${ph}`)));
      });
    }
    table.append(body);
    phasesCard.body.append(rows ? table : message(i18n.t('waitingLive'), 'empty'));
  };

  // Latest values and the chart's last 15 minutes of raw power load together; the latest values
  // are shown first, so the page shows something before the next push.
  const now = Date.now();
  const pending = seriesPerMeter(ctx, ctx.selected(), POWER, now - 15 * MINUTE, now, 'raw')
    .then((all) => all.map((s) => (s ? lineOf(s) : { t: [] as number[], v: [] as (number | null)[] })));
  pending.catch(() => undefined); // a failure surfaces where it is awaited below
  const asked = Date.now();
  const latest = await perMeter(ctx, (m) => ctx.api.latest(m));
  if (!ctx.alive()) return;
  latest.forEach((l, i) => {
    if (l.now_ms) skew = l.now_ms - (asked + Date.now()) / 2;
    if (l.offline_after_ms) offlineAfter = l.offline_after_ms;
    if (Object.keys(l.values).length) state.set(ids[i], merge(undefined, Number(l.values.time_ms ?? 0), Number(l.values.interval_ms ?? 0), l.values));
  });
  paint();
  // Ages move on and meters go offline without any push arriving.
  const ageTimer = window.setInterval(paint, 5_000);
  ctx.onCleanup(() => window.clearInterval(ageTimer));

  // Live chart: one line per meter, then each push appended.
  const lines = await pending;
  if (!ctx.alive()) return;
  const buffers = lines.map((l) => ({ t: l.t.map((x) => x / 1000), v: l.v }));
  const joined = () => {
    const cut = Date.now() / 1000 - 15 * 60;
    for (const b of buffers) {
      while (b.t.length && b.t[0] < cut) { b.t.shift(); b.v.shift(); }
    }
    return joinTables(buffers.map((b) => [b.t, b.v] as uPlot.AlignedData));
  };
  const chartHost = h('div', { class: 'chart', id: 'live-chart' });
  chartCard.body.append(chartHost);
  const chart = new Chart(chartHost, joined(), {
    i18n, tz: ctx.tz, title: i18n.t('last15min'), height: 220,
    series: ids.map((id) => ({ label: ctx.name(id), unit: 'W', color: ctx.color(id) })),
  });
  ctx.perf.firstChart ??= performance.now();
  ctx.onCleanup(() => chart.destroy());
  chartCard.actions.append(downloadButtons(i18n, i18n.t('last15min'), 'meterd-live', () => chartCsv(chart, ctx.tz), () => chart.png()));
  tableDownload(i18n, phasesCard, i18n.t('phase'), 'meterd-phases');

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
    const verdict = compareRows(t, y);
    clear(todayCard.body);
    todayCard.body.append(
      h('div', { class: 'kpis' },
        h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, i18n.t('energy')), h('span', { class: 'kpi-value', id: 'today-energy' }, i18n.energy(t?.wh))),
        h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, i18n.t('cost')), h('span', { class: 'kpi-value', id: 'today-cost' }, i18n.money(t?.cost))),
        t?.fixed_fee != null ? h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, i18n.t('fixedFee')),
          h('span', { class: 'kpi-value', id: 'today-fee' }, i18n.money(t.fixed_fee))) : null,
      ),
      h('p', {}, `${i18n.t('yesterdaySameTime')}: `, h('strong', {}, i18n.energy(y?.wh)), ', ', h('strong', {}, i18n.money(y?.cost)),
        ` (${i18n.t('change')} ${'change' in verdict ? i18n.signed(verdict.change) : i18n.t(`noChange_${verdict.none}`)})`),
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
    state.set(r.meter, merge(state.get(r.meter), r.time_ms, r.interval_ms ?? 0, r.values));
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
