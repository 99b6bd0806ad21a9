// Community: the operator's view of the energy community. Production and consumption of the
// members now, self-sufficiency today and this month, the local energy each member got per
// day of a billing period with its totals and printable bills, and a share link per member
// created in one go. Admin only; every figure comes from the server's community ledger.
import type uPlot from 'uplot';
import type { CommunityDaysReply, CommunityLink, CommunityReply } from '../api';
import { Chart } from '../chart';
import { cssVar, OTHER, PALETTE } from '../colors';
import {
  allocationBars, memberIn, memberTotals, periodDates, periodLabelAt, recentPeriods, selfSufficiency, totalsOf,
} from '../community';
import type { Ctx } from '../context';
import { card, clear, h, message } from '../dom';
import { chartCsv, downloadButtons, tableDownload } from '../download';
import { isoDate, parseRoute, pushRoute } from '../route';
import { fromCivil, toCivil } from '../shape';

const LIVE_POLL_MS = 5_000;
// Today's and this month's self-sufficiency move with each 15 minutes; asked again this often.
const SHARE_POLL_MS = 300_000;

type DaysOf = (period: string) => Promise<CommunityDaysReply>;

export async function renderCommunity(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const info = await ctx.api.community();
  if (!ctx.alive()) return;
  const current = periodLabelAt(info.period, Date.now(), ctx.tz);
  const periods = recentPeriods(info.period, Date.now(), ctx.tz, info.period === 'year' ? 3 : 12);
  const asked = parseRoute().params.get('period');
  const chosen = asked && periods.includes(asked) ? asked : current;

  // The first answer for a period serves every card that shows it (the ledger is computed once).
  const cache = new Map<string, Promise<CommunityDaysReply>>();
  const daysOf: DaysOf = (p) => {
    let reply = cache.get(p);
    if (!reply) cache.set(p, reply = ctx.api.communityDays(p));
    reply.catch(() => cache.delete(p));
    return reply;
  };
  const live = card(`${info.name}: ${i18n.t('communityNow')}`);
  const share = card(i18n.t('selfSufficiency'));
  const alloc = card(i18n.t('allocationPerDay'), 'wide');
  const links = card(i18n.t('memberLinks'), 'wide');
  root.append(h('div', { class: 'grid' }, live.root, share.root, alloc.root, links.root));

  renderLive(ctx, live.body);
  void renderSelfSufficiency(ctx, share.body, () => daysOf(current));
  const again = window.setInterval(() => void renderSelfSufficiency(ctx, share.body, () => ctx.api.communityDays(current)), SHARE_POLL_MS);
  ctx.onCleanup(() => window.clearInterval(again));
  renderAllocation(ctx, alloc, info, periods, chosen, daysOf);
  renderLinks(ctx, links.body, info, chosen);
}

/** Production, consumption and what is shared locally now, polled; who is silent is named. */
function renderLive(ctx: Ctx, body: HTMLElement) {
  const { i18n } = ctx;
  const kpi = (id: string, label: string) => {
    const value = h('span', { class: 'kpi-value', id }, '…');
    return { root: h('div', { class: 'kpi' }, h('span', { class: 'kpi-label' }, label), value), value };
  };
  const made = kpi('community-production', i18n.t('production'));
  const used = kpi('community-consumption', i18n.t('consumption'));
  const local = kpi('community-local', i18n.t('localPower'));
  const silent = h('p', { class: 'small warn', id: 'community-silent', hidden: true });
  const updated = h('p', { class: 'muted small', id: 'community-updated' }, i18n.t('waitingLive'));
  body.append(h('div', { class: 'kpis', 'aria-live': 'polite' }, made.root, used.root, local.root), silent, updated);
  const poll = async () => {
    try {
      const now = await ctx.api.communityNow();
      if (!ctx.alive()) return;
      made.value.textContent = i18n.power(now.production_w);
      used.value.textContent = i18n.power(now.consumption_w);
      local.value.textContent = i18n.power(now.local_w);
      made.value.setAttribute('data-w', String(now.production_w ?? ''));
      used.value.setAttribute('data-w', String(now.consumption_w ?? ''));
      const missing = now.members.filter((m) => m.consumption_w == null || m.production_w == null).map((m) => m.name);
      silent.hidden = !missing.length;
      silent.textContent = missing.length ? i18n.t('membersSilent', { m: missing.join(', ') }) : '';
      updated.textContent = i18n.t('lastUpdate', { t: i18n.date(now.now_ms, 'seconds') });
    } catch (e) {
      ctx.fail(e, updated);
    }
  };
  void poll();
  const timer = window.setInterval(() => void poll(), LIVE_POLL_MS);
  ctx.onCleanup(() => window.clearInterval(timer));
}

/** Local energy over the members' consumption, today so far and this month so far. */
async function renderSelfSufficiency(ctx: Ctx, body: HTMLElement, load: () => Promise<CommunityDaysReply>) {
  const { i18n } = ctx;
  if (!body.firstChild) body.append(message(i18n.t('loading')));
  try {
    const reply = await load();
    if (!ctx.alive()) return;
    const civil = isoDate(toCivil(Date.now(), ctx.tz));
    const rows: [string, string, string][] = [['today', i18n.t('today'), civil], ['month', i18n.t('thisMonth'), civil.slice(0, 7)]];
    clear(body);
    body.append(h('div', { class: 'kpis' }, ...rows.map(([id, label, prefix]) => {
      const t = totalsOf(reply.days, prefix);
      return h('div', { class: 'kpi', id: `community-ss-${id}` },
        h('span', { class: 'kpi-label' }, label),
        h('span', { class: 'kpi-value', 'data-ratio': String(selfSufficiency(t) ?? '') }, i18n.percent(selfSufficiency(t), 1)),
        h('span', { class: 'small muted' }, i18n.t('localOfUse', { l: i18n.energy(t.local_wh), c: i18n.energy(t.consumption_wh) })));
    })));
  } catch (e) {
    ctx.fail(e, body, () => { clear(body); void renderSelfSufficiency(ctx, body, load); });
  }
}

/** The chosen period's days as stacked bars (each member's local kWh, then the grid's) and its totals. */
function renderAllocation(ctx: Ctx, c: ReturnType<typeof card>, info: CommunityReply, periods: string[], chosen: string, daysOf: DaysOf) {
  const { i18n } = ctx;
  const select = h('select', { id: 'community-period' },
    ...periods.map((p) => h('option', { value: p, selected: p === chosen }, periodName(ctx, p))));
  const out = h('div', { id: 'community-allocation' });
  c.body.append(h('div', { class: 'toolbar' }, h('label', { for: 'community-period' }, i18n.t('billingPeriod')), select), out);
  let chart: Chart | null = null;
  const chartButtons = h('span', {});
  c.actions.append(chartButtons);
  const draw = async (period: string) => {
    chart?.destroy();
    chart = null;
    clear(out);
    clear(chartButtons);
    out.append(message(i18n.t('loading')));
    let reply: CommunityDaysReply;
    try {
      reply = await daysOf(period);
    } catch (e) {
      ctx.fail(e, out, () => void draw(period));
      return;
    }
    if (!ctx.alive() || select.value !== period) return;
    clear(out);
    const incomplete = totalsOf(reply.days, '', Date.now()).incomplete;
    if (incomplete) out.append(message(i18n.t('daysIncomplete', { n: incomplete }), 'info'));
    const bars = allocationBars(reply);
    const host = h('div', { class: 'chart', id: 'community-chart' });
    out.append(host);
    const title = i18n.t('chartOfPeriod', { p: periodName(ctx, period) });
    chart = new Chart(host, [reply.days.map((d) => d.start_ms / 1000), ...bars.local, bars.grid] as uPlot.AlignedData, {
      i18n, tz: ctx.tz, period: 'day', height: 280, title,
      series: [
        ...bars.members.map((m, k) => ({ label: reply.members[m].name, unit: 'kWh', bars: true, stack: true, digits: 2, color: cssVar(PALETTE[k % PALETTE.length]) })),
        { label: i18n.t('fromGrid'), unit: 'kWh', bars: true, stack: true, digits: 2, hatch: true, color: cssVar(OTHER) },
      ],
    });
    host.setAttribute('data-days', String(reply.days.length));
    chartButtons.append(downloadButtons(i18n, title, `community-${period}`, () => chartCsv(chart!, ctx.tz), () => chart!.png()));
    // The table has a heading and a download of its own: the card's are the chart's.
    const tableTitle = `${i18n.t('member')} – ${i18n.t('total')}`;
    const tableActions = h('div', { class: 'card-actions' });
    const table = h('div', { id: 'community-totals' }, totalsTable(ctx, reply, info, period));
    out.append(h('div', { class: 'card-head' }, h('h3', {}, tableTitle), tableActions), table);
    tableDownload(i18n, { actions: tableActions, body: table }, tableTitle, `community-members-${period}`);
    out.append(h('p', {}, h('a', { href: `/api/community/summary?period=${encodeURIComponent(period)}&format=html`, target: '_blank', rel: 'noopener', id: 'community-summary-link' }, i18n.t('summaryPage'))));
  };
  select.addEventListener('change', () => {
    pushRoute('community', { period: select.value, meter: parseRoute().params.get('meter') }, true);
    void draw(select.value);
  });
  ctx.onCleanup(() => chart?.destroy());
  void draw(chosen);
}

/** A month by its name in the page's language ("December 2026"); a quarter or year as the API writes it. */
function periodName(ctx: Ctx, label: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(label);
  return m ? ctx.i18n.date(fromCivil({ year: +m[1], month: +m[2], day: 1, hour: 12, minute: 0 }, ctx.tz), 'monthLong') : label;
}

/** Per member: consumption, local energy, grid, self-sufficiency, sold, and its printable bill. */
function totalsTable(ctx: Ctx, reply: CommunityDaysReply, info: CommunityReply, period: string): HTMLElement {
  const { i18n } = ctx;
  const [first, last] = periodDates(period);
  const totals = memberTotals(reply);
  const cols = [i18n.t('member'), i18n.t('consumption'), i18n.t('localEnergy'), i18n.t('fromGrid'), i18n.t('selfSufficiency'), i18n.t('soldLocally'), i18n.t('bill')];
  const num = (label: string, text: string) => h('td', { class: 'num', 'data-label': label }, text);
  const body = h('tbody', {}, ...totals.map((m, i) => {
    const member = info.members[i];
    const billed = member && memberIn(member, first, last);
    return h('tr', { 'data-member': m.member },
      h('th', { scope: 'row' }, m.name),
      num(cols[1], i18n.energy(m.consumption_wh)), num(cols[2], i18n.energy(m.allocated_wh)), num(cols[3], i18n.energy(m.grid_wh)),
      num(cols[4], i18n.percent(m.consumption_wh ? m.allocated_wh / m.consumption_wh : null, 1)),
      num(cols[5], m.sold_wh ? i18n.energy(m.sold_wh) : '–'),
      h('td', { 'data-label': cols[6] }, billed
        ? h('a', { href: ctx.api.communityBillUrl(m.member, period), target: '_blank', rel: 'noopener', 'aria-label': i18n.t('billOf', { m: m.name }), class: 'bill-link' }, i18n.t('bill'))
        : '–'));
  }));
  const t = totalsOf(reply.days);
  const foot = h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, i18n.t('total')),
    num(cols[1], i18n.energy(t.consumption_wh)), num(cols[2], i18n.energy(t.local_wh)), num(cols[3], i18n.energy(t.grid_wh)),
    num(cols[4], i18n.percent(selfSufficiency(t), 1)), num(cols[5], i18n.energy(reply.local_wh)), h('td', {})));
  const table = h('table', { class: 'community-members', id: 'community-members' },
    h('thead', {}, h('tr', {}, ...cols.map((x, i) => h('th', { scope: 'col', class: i > 0 && i < 6 ? 'num' : '' }, x)))), body, foot);
  return h('div', { class: 'scroll' }, table);
}

/** One button creates every member's link; each is listed with a copy button and the member's bill. */
function renderLinks(ctx: Ctx, body: HTMLElement, info: CommunityReply, period: string) {
  const { i18n } = ctx;
  const result = h('div', { id: 'community-links', 'aria-live': 'polite' });
  const create = h('button', { type: 'button', class: 'btn primary', id: 'create-member-links' }, i18n.t('createMemberLinks'));
  body.append(h('p', { class: 'muted small' }, i18n.t('memberLinksNote')), create, result);
  create.addEventListener('click', async () => {
    create.disabled = true;
    clear(result);
    try {
      const { shares } = await ctx.api.createCommunityLinks();
      if (!ctx.alive()) return;
      result.append(h('ul', { class: 'member-links' }, ...shares.map((s) => linkRow(ctx, s, info, period))));
      result.querySelector<HTMLInputElement>('input')?.focus();
    } catch (e) {
      ctx.fail(e, result);
    } finally {
      create.disabled = false;
    }
  });
}

function linkRow(ctx: Ctx, s: CommunityLink, info: CommunityReply, period: string): HTMLElement {
  const { i18n } = ctx;
  const url = `${location.origin}${s.url}`;
  const id = `member-link-${s.member}`;
  const out = h('input', { type: 'text', readonly: true, value: url, id, 'data-member': s.member });
  const copy = h('button', { type: 'button', class: 'btn', 'aria-label': i18n.t('copyLinkOf', { m: s.name }) }, i18n.t('copy'));
  copy.addEventListener('click', async () => {
    out.select();
    try { await navigator.clipboard.writeText(url); copy.textContent = i18n.t('copied'); } catch { /* selected for manual copy */ }
  });
  const member = info.members.find((m) => m.member === s.member);
  const [first, last] = periodDates(period);
  return h('li', { 'data-member': s.member },
    h('label', { for: id }, i18n.t('linkOf', { m: s.name })),
    h('div', { class: 'copyrow' }, out, copy),
    member && memberIn(member, first, last)
      ? h('a', { href: ctx.api.communityBillUrl(s.member, period), target: '_blank', rel: 'noopener', class: 'small' }, i18n.t('billOf', { m: s.name }))
      : null);
}
