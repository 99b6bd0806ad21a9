// Settings, read-only: time zone, meters and their quantities, tariffs as far as the API tells,
// storage use.
import type { Ctx } from '../context';
import { card, h, message } from '../dom';
import { DAY } from '../shape';

export async function renderSettings(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const grid = h('div', { class: 'grid' });
  root.append(h('p', { class: 'muted' }, i18n.t('settingsNote')), grid);

  const general = card(i18n.t('timeZone'));
  general.body.append(h('dl', { class: 'pairs' },
    h('dt', {}, i18n.t('timeZone')), h('dd', { id: 'tz' }, ctx.tz),
    h('dt', {}, i18n.t('currency')), h('dd', {}, i18n.currency),
    h('dt', {}, i18n.t('language')), h('dd', {}, `${i18n.lang} (${i18n.locale})`)));
  grid.append(general.root);

  const meters = card(i18n.t('meters'), 'wide');
  meters.body.append(ctx.meters.length ? h('table', { class: 'meters' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, i18n.t('meter')), h('th', { scope: 'col' }, i18n.t('quantities')))),
    h('tbody', {}, ...ctx.meters.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.id),
      h('td', { class: 'small' }, m.quantities.map((q) => `${q.quantity}${q.unit ? ` [${q.unit}]` : ''}${q.intervals ? ' (intervals)' : ''}`).join(', ')))))) : message(i18n.t('noData'), 'empty'));
  grid.append(meters.root);

  const tariffs = card(i18n.t('tariffs'));
  grid.append(tariffs.root);
  tariffs.body.append(message(i18n.t('loading')));
  const storage = card(i18n.t('storage'));
  grid.append(storage.root);
  storage.body.append(message(i18n.t('loading')));

  const first = ctx.meters[0]?.id;
  const loadTariffs = async () => {
    tariffs.body.replaceChildren();
    if (!first) { tariffs.body.append(message(i18n.t('noData'), 'empty')); return; }
    // Effective prices per kWh as observed: cost / energy of the last 30 days.
    const now = Date.now();
    const rows = (await ctx.api.energy(first, 'day', now - 30 * DAY, now)).periods;
    const wh = rows.reduce((a, r) => a + (r.wh ?? 0), 0);
    const cost = rows.reduce((a, r) => a + (r.cost ?? 0), 0);
    const split = rows.some((r) => r.ht_wh != null);
    tariffs.body.append(h('dl', { class: 'pairs' },
      h('dt', {}, i18n.t('currency')), h('dd', {}, i18n.currency),
      h('dt', {}, `${i18n.t('cost')} / kWh`), h('dd', { id: 'avg-price' }, wh > 0 ? i18n.money(cost / (wh / 1000)) : i18n.t('notAvailable')),
      h('dt', {}, `${i18n.t('ht')} / ${i18n.t('nt')}`), h('dd', {}, split ? '✓' : i18n.t('noSchedule'))),
      h('p', { class: 'muted small' }, i18n.t('tariffNote')));
  };
  loadTariffs().catch((e) => ctx.fail(e, tariffs.body, () => void loadTariffs()));

  const loadStorage = async () => {
    const s = await ctx.api.storage();
    if (!ctx.alive()) return;
    storage.body.replaceChildren(h('dl', { class: 'pairs' },
      h('dt', {}, i18n.t('storage')), h('dd', {}, s.budget_bytes ? i18n.t('used', { u: bytes(ctx, s.used_bytes), b: bytes(ctx, s.budget_bytes) }) : `${bytes(ctx, s.file_bytes)} (${i18n.t('noBudget')})`),
      h('dt', {}, 'raw'), h('dd', {}, i18n.t('rawPoints', { n: i18n.number(s.raw_points) })),
      ...Object.entries(s.tier_bytes).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, bytes(ctx, v))])));
  };
  loadStorage().catch((e) => ctx.fail(e, storage.body, () => void loadStorage()));
}

function bytes(ctx: Ctx, n: number): string {
  if (n < 1024 * 1024) return `${ctx.i18n.number(n / 1024, 0)} KB`;
  return `${ctx.i18n.number(n / 1024 / 1024, 1)} MB`;
}
