// Sharing: create read-only links scoped to meters, a date range, a detail level and an
// optional expiry; list and revoke them.
import type { Detail, ShareRow } from '../api';
import type { Ctx } from '../context';
import { dateField } from '../date-field';
import { card, clear, h, message } from '../dom';
import { tableDownload } from '../download';
import type { Key } from '../i18n';
import { addPeriods, DAY, fromCivil, periodStart, toCivil } from '../shape';

const DETAILS: Detail[] = ['daily', 'hourly', 'full'];

function dateInput(ms: number, tz: string): string {
  const c = toCivil(ms, tz);
  return `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

function parseDate(text: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m ? fromCivil({ year: +m[1], month: +m[2], day: +m[3], hour: 0, minute: 0 }, tz) : null;
}

export async function renderSharing(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const now = Date.now();
  const form = card(i18n.t('createShare'));
  const list = card(i18n.t('shares'), 'wide');
  root.append(h('div', { class: 'grid' }, form.root, list.root));
  tableDownload(i18n, list, i18n.t('shares'), 'meterd-share-links');

  const label = h('input', { id: 'share-label', type: 'text', maxlength: 200 });
  const meterBoxes = ctx.meters.map((m) => h('input', { type: 'checkbox', name: 'meters', value: m.id, checked: !ctx.meter || ctx.meter === m.id }));
  const from = dateField(i18n, { id: 'share-from', label: i18n.t('from'), required: true, value: dateInput(addPeriods('month', periodStart('month', now, ctx.tz), -1, ctx.tz), ctx.tz) });
  const to = dateField(i18n, { id: 'share-to', label: i18n.t('to'), required: true, value: dateInput(now, ctx.tz) });
  const detail = h('select', { id: 'share-detail' }, ...DETAILS.map((d) => h('option', { value: d, selected: d === 'daily' }, i18n.t(`detail_${d}` as Key))));
  const expires = dateField(i18n, { id: 'share-expires', label: i18n.t('expires'), value: dateInput(now + 30 * DAY, ctx.tz) });
  const result = h('div', { 'aria-live': 'polite', id: 'share-result' });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, i18n.t('create'));
  const f = h('form', { class: 'form' },
    h('label', { for: 'share-label' }, i18n.t('label')), label,
    h('fieldset', {}, h('legend', {}, i18n.t('meters')), ...ctx.meters.map((m, i) => h('label', { class: 'check' }, meterBoxes[i], ctx.name(m.id)))),
    h('div', { class: 'row2' },
      h('div', {}, h('label', { for: 'share-from' }, i18n.t('from')), from.root),
      h('div', {}, h('label', { for: 'share-to' }, i18n.t('to')), to.root)),
    h('label', { for: 'share-detail' }, i18n.t('detail')), detail,
    h('label', { for: 'share-expires' }, `${i18n.t('expires')} (${i18n.t('never')}: –)`), expires.root,
    submit, result);
  form.body.append(f);

  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(result);
    const meters = meterBoxes.filter((b) => b.checked).map((b) => b.value);
    const a = parseDate(from.value, ctx.tz);
    const bStart = parseDate(to.value, ctx.tz);
    const e = expires.value ? parseDate(expires.value, ctx.tz) : null;
    if (!meters.length || a == null || bStart == null) {
      result.append(message(i18n.t('error', { msg: `${i18n.t('meters')}, ${i18n.t('from')}, ${i18n.t('to')}` }), 'error'));
      return;
    }
    submit.disabled = true;
    try {
      const reply = await ctx.api.createShare({
        label: label.value, meters, from: a, to: addPeriods('day', bStart, 1, ctx.tz), detail: detail.value as Detail,
        // The date as entered: the server keeps the link until that local day ends.
        ...(e != null ? { expires: expires.value } : {}),
      });
      const url = `${location.origin}${reply.url}`;
      const out = h('input', { type: 'text', readonly: true, value: url, id: 'share-url', 'aria-label': 'URL' });
      const copy = h('button', { type: 'button', class: 'btn' }, i18n.t('copy'));
      copy.addEventListener('click', async () => {
        out.select();
        try { await navigator.clipboard.writeText(url); copy.textContent = i18n.t('copied'); } catch { /* selected for manual copy */ }
      });
      result.append(message(i18n.t('shareCreated'), 'info'), h('div', { class: 'copyrow' }, out, copy));
      await loadList();
    } catch (err) {
      ctx.fail(err, result);
    } finally {
      submit.disabled = false;
    }
  });

  const loadList = async () => {
    const { shares } = await ctx.api.shares();
    if (!ctx.alive()) return;
    clear(list.body);
    if (!shares.length) { list.body.append(message(i18n.t('noShares'), 'empty')); return; }
    const table = h('table', { class: 'shares', id: 'shares-table' }, h('thead', {}, h('tr', {},
      ...[i18n.t('label'), i18n.t('meters'), i18n.t('range'), i18n.t('detail'), i18n.t('expires'), ''].map((x) => h('th', { scope: 'col' }, x)))));
    const body = h('tbody', {});
    for (const s of shares.slice().reverse()) body.append(row(s));
    table.append(body);
    list.body.append(h('div', { class: 'scroll' }, table));
  };

  const row = (s: ShareRow) => {
    const expired = s.expires_ms != null && s.expires_ms <= Date.now();
    const status = s.revoked ? i18n.t('revoked') : expired ? i18n.t('expired') : i18n.t('active');
    const revoke = h('button', { type: 'button', class: 'btn danger', 'data-share': s.id }, i18n.t('revoke'));
    revoke.addEventListener('click', async () => {
      if (!window.confirm(i18n.t('confirmRevoke'))) return;
      revoke.disabled = true;
      try {
        await ctx.api.revokeShare(s.id);
        await loadList();
      } catch (err) {
        ctx.fail(err, list.body, () => void loadList());
      }
    });
    return h('tr', { 'data-share': s.id, class: s.revoked || expired ? 'inactive' : '' },
      // data-label names each cell where a phone shows the rows as blocks, without the header.
      h('td', { 'data-label': i18n.t('label') }, s.label || '–', h('span', { class: 'muted small block' }, status)),
      h('td', { 'data-label': i18n.t('meters') }, s.meters.map(ctx.name).join(', ')),
      h('td', { 'data-label': i18n.t('range') }, `${i18n.date(s.from_ms)} – ${i18n.date(s.to_ms - 1)}`),
      h('td', { 'data-label': i18n.t('detail') }, i18n.t(`detail_${s.detail}` as Key)),
      h('td', { class: 'expires', 'data-label': i18n.t('expires') }, i18n.expiry(s.expires_date, s.expires_ms)),
      h('td', { class: 'actions' }, s.revoked || expired ? '' : revoke));
  };
  list.body.append(message(i18n.t('loading')));
  await loadList().catch((e) => ctx.fail(e, list.body, () => void loadList()));
}
