// Settings, read-only, as the configuration decided them: time zone, currency, prices and the
// high-tariff hours, meter ids with their names, how long each storage tier is kept, the disk
// budget and how much space the history uses.
import type { SettingsReply, StorageReply } from '../api';
import type { Ctx } from '../context';
import { card, h, message } from '../dom';
import { tableDownload } from '../download';
import { budgetText, bytesText, priceRows, tierRows, type Row } from '../settings-text';
import { DAY } from '../shape';

function pairs(rows: Row[], id?: string): HTMLElement {
  return h('dl', { class: 'pairs', id }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function generalRows(ctx: Ctx, s: SettingsReply): HTMLElement {
  const { i18n } = ctx;
  return h('dl', { class: 'pairs' },
    h('dt', {}, i18n.t('timeZone')), h('dd', { id: 'tz' }, s.time_zone),
    h('dt', {}, i18n.t('currency')), h('dd', {}, s.currency),
    h('dt', {}, i18n.t('language')), h('dd', {}, `${i18n.lang} (${i18n.locale})`));
}

/** Configured names next to the quantities each meter has stored. */
function meterTable(ctx: Ctx, s: SettingsReply): HTMLElement {
  const { i18n } = ctx;
  if (!s.meters.length) return message(i18n.t('noData'), 'empty');
  const quantities = (id: string) => (ctx.meters.find((m) => m.id === id)?.quantities ?? [])
    .map((q) => `${i18n.quantity(q.quantity)}${q.unit ? ` [${q.unit}]` : ''}${q.intervals ? ` (${i18n.t('intervalsNote')})` : ''}`).join(', ');
  return h('table', { class: 'meters', id: 'settings-meters' },
    h('thead', {}, h('tr', {}, ...[i18n.t('meter'), i18n.t('name'), i18n.t('quantities')].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...s.meters.map((m) => h('tr', { 'data-meter': m.id }, h('th', { scope: 'row' }, m.id), h('td', {}, m.name),
      h('td', { class: 'small' }, quantities(m.id))))));
}

function storageBody(ctx: Ctx, s: SettingsReply, st: StorageReply): HTMLElement[] {
  const { i18n } = ctx;
  const use = st.budget_bytes ? i18n.t('used', { u: bytesText(st.used_bytes, i18n), b: bytesText(st.budget_bytes, i18n) }) : bytesText(st.file_bytes, i18n);
  const tiers = h('table', { class: 'tiers', id: 'retention' },
    h('thead', {}, h('tr', {}, ...[i18n.t('tier'), i18n.t('kept'), i18n.t('size')].map((x, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : undefined }, x)))),
    h('tbody', {}, ...tierRows(s.retention_days, st.tier_bytes, i18n).map(([tier, kept, size]) =>
      h('tr', {}, h('th', { scope: 'row' }, tier), h('td', {}, kept), h('td', { class: 'num' }, size)))));
  return [pairs([
    [i18n.t('storage'), use],
    [i18n.t('diskBudget'), budgetText(s.disk_budget_bytes, i18n)],
    [i18n.t('tier_raw'), i18n.t('rawPoints', { n: i18n.number(st.raw_points) })],
  ]), tiers];
}

/** What a kWh actually cost over the last 30 days: cost / energy of the first meter. */
async function averagePrice(ctx: Ctx): Promise<string> {
  const first = ctx.meters[0]?.id;
  if (!first) return ctx.i18n.t('notAvailable');
  const now = Date.now();
  const rows = (await ctx.api.energy(first, 'day', now - 30 * DAY, now)).periods;
  const wh = rows.reduce((a, r) => a + (r.wh ?? 0), 0);
  const cost = rows.reduce((a, r) => a + (r.cost ?? 0), 0);
  return wh > 0 ? ctx.i18n.price(cost / (wh / 1000)) : ctx.i18n.t('notAvailable');
}

export async function renderSettings(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const general = card(i18n.t('general'));
  const tariffs = card(i18n.t('tariffs'));
  const meters = card(i18n.t('meters'), 'wide');
  const storage = card(i18n.t('storage'));
  const bodies = [general.body, tariffs.body, meters.body, storage.body];
  tableDownload(i18n, meters, i18n.t('meters'), 'meterd-meters');
  tableDownload(i18n, storage, i18n.t('storage'), 'meterd-storage');
  root.append(h('p', { class: 'muted' }, i18n.t('settingsNote')),
    h('div', { class: 'grid' }, general.root, tariffs.root, meters.root, storage.root));

  const load = async () => {
    for (const b of bodies) b.replaceChildren(message(i18n.t('loading')));
    const [s, st] = await Promise.all([ctx.api.settings(), ctx.api.storage()]);
    if (!ctx.alive()) return;
    const avg = h('dd', { id: 'avg-price' }, i18n.t('loading'));
    const prices = pairs(priceRows(s, i18n), 'prices');
    prices.append(h('dt', {}, i18n.t('avgPrice')), avg);
    general.body.replaceChildren(generalRows(ctx, s));
    tariffs.body.replaceChildren(prices, h('p', { class: 'muted small' }, i18n.t('tariffNote')));
    meters.body.replaceChildren(meterTable(ctx, s));
    storage.body.replaceChildren(...storageBody(ctx, s, st));
    averagePrice(ctx).then((text) => { avg.textContent = text; }, () => { avg.textContent = i18n.t('notAvailable'); });
  };
  const run = (): Promise<void> => load().catch((e) => {
    for (const b of bodies) b.replaceChildren();
    ctx.fail(e, general.body, () => void run());
  });
  await run();
}
