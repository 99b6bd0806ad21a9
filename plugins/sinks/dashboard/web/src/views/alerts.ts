// Alerts: the rules an alerts sink judges, read-only, with their state (which meters fire and
// since when) and last firing, and the history of notices, newest first. The rules themselves
// are set in the configuration; this view only shows what the bus announced.
import { type AlertNotice, type AlertRule, fetchAlerts, kindText, sortRules } from '../alerts';
import type { Ctx } from '../context';
import { card, h, message } from '../dom';

function stateCell(ctx: Ctx, r: AlertRule): HTMLElement {
  const { i18n } = ctx;
  if (r.state !== 'firing') return h('td', {}, h('span', { class: 'alert-state ok' }, i18n.t('alertOk')));
  return h('td', {}, h('span', { class: 'alert-state firing' }, i18n.t('alertFiring')),
    ...r.firing.map((f) => h('div', { class: 'small' },
      i18n.t('alertSince', { s: f.subject ? ctx.name(f.subject) : '', t: i18n.date(f.since_ms, 'dayTime') }).trim())));
}

function rulesTable(ctx: Ctx, rules: AlertRule[]): HTMLElement {
  const { i18n } = ctx;
  if (!rules.length) return message(i18n.t('alertsNoRules'), 'empty');
  return h('div', { class: 'scroll' }, h('table', { class: 'alert-rules', id: 'alert-rules' },
    h('thead', {}, h('tr', {}, ...[i18n.t('alertRule'), i18n.t('alertState'), i18n.t('alertLastFired')]
      .map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...sortRules(rules).map((r) => h('tr', { 'data-rule': r.rule, 'data-state': r.state },
      h('th', { scope: 'row' }, h('div', {}, r.rule), r.definition ? h('div', { class: 'small muted' }, r.definition) : null),
      stateCell(ctx, r),
      h('td', {}, r.last_fired_ms ? i18n.date(r.last_fired_ms, 'dayTime') : i18n.t('never')))))));
}

function historyList(ctx: Ctx, notices: AlertNotice[]): HTMLElement {
  const { i18n } = ctx;
  if (!notices.length) return message(i18n.t('alertsNoHistory'), 'empty');
  return h('ol', { class: 'alert-history', id: 'alert-history' }, ...notices.map((n) =>
    h('li', { 'data-kind': n.kind },
      h('span', { class: `alert-state ${n.kind === 'resolved' ? 'ok' : 'firing'}` }, kindText(i18n, n.kind)),
      h('time', { datetime: new Date(n.time_ms).toISOString() }, i18n.date(n.time_ms, 'dayTimeSec')),
      h('span', { class: 'alert-message' }, n.message))));
}

export async function renderAlerts(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const rules = card(i18n.t('alertRules'), 'wide');
  const history = card(i18n.t('alertHistory'), 'wide');
  root.append(h('p', { class: 'muted' }, i18n.t('alertsNote')), h('div', { class: 'grid' }, rules.root, history.root));
  const load = async () => {
    const reply = await fetchAlerts(ctx.api);
    if (!ctx.alive()) return;
    rules.body.replaceChildren(rulesTable(ctx, reply.rules));
    history.body.replaceChildren(historyList(ctx, reply.history));
  };
  const run = (): Promise<void> => load().catch((e) => ctx.fail(e, rules.body, () => void run()));
  rules.body.append(message(i18n.t('loading')));
  await run();
  // Notices come while the page is open: read again every half minute.
  const timer = window.setInterval(() => void load().catch(() => undefined), 30_000);
  ctx.onCleanup(() => window.clearInterval(timer));
}
