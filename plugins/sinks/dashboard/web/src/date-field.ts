// A date field that shows and reads dates in the order of the page's language (31.12.2026,
// 31/12/2026, 12/31/2026), whatever the browser's own locale: a native date input shows the
// browser's order. A calendar button beside it opens the browser's date picker.
import { h } from './dom';
import type { I18n } from './i18n';
import { isoDate as iso } from './route';

export interface CivilDate { year: number; month: number; day: number }
type Part = 'day' | 'month' | 'year';

const formats = new Map<string, Intl.DateTimeFormat>();
/** One formatter per locale: making one costs far more than using it. */
function numericFormat(locale: string): Intl.DateTimeFormat {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' });
    formats.set(locale, f);
  }
  return f;
}

/** The order of day, month and year in the locale's numeric dates. */
export function dateOrder(locale: string): Part[] {
  return numericFormat(locale).formatToParts(Date.UTC(2026, 11, 31))
    .map((p) => p.type).filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
}

/** A calendar day as the locale writes it in digits. */
export function formatDate(d: CivilDate, locale: string): string {
  return numericFormat(locale).format(Date.UTC(d.year, d.month - 1, d.day));
}

/** A calendar day typed in the locale's order (any separators) or as YYYY-MM-DD; null if it is no real day. */
export function parseDate(text: string, locale: string): CivilDate | null {
  const s = text.trim();
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const digits = isoMatch ? isoMatch.slice(1) : s.split(/\D+/).filter(Boolean);
  const order: Part[] = isoMatch ? ['year', 'month', 'day'] : dateOrder(locale);
  // A year of four digits: "1.1.202" is still being typed, not the year 202.
  if (digits.length !== 3 || digits[order.indexOf('year')].length !== 4) return null;
  const d = { year: 0, month: 0, day: 0 };
  order.forEach((p, i) => { d[p] = Number(digits[i]); });
  const check = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return check.getUTCFullYear() === d.year && check.getUTCMonth() === d.month - 1 && check.getUTCDate() === d.day ? d : null;
}

export interface DateField {
  root: HTMLElement;
  input: HTMLInputElement;
  /** The day shown, as YYYY-MM-DD ('' when empty). */
  value: string;
  set(isoDay: string): void;
}

/**
 * `onPick` runs with the new day (YYYY-MM-DD, or '' when an optional field is emptied) as soon
 * as a whole day is typed or one is picked in the calendar.
 */
export function dateField(i18n: I18n, o: { id: string; label: string; value?: string; min?: string; max?: string; required?: boolean; onPick?: (isoDay: string) => void }): DateField {
  const example = formatDate({ year: 2026, month: 12, day: 31 }, i18n.locale);
  const hint = i18n.t('dateFormat', { f: example });
  const input = h('input', {
    type: 'text', id: o.id, inputmode: 'numeric', autocomplete: 'off', 'aria-label': o.label, title: hint, placeholder: example,
    required: o.required, size: example.length + 1, class: 'date-text',
  });
  // The browser's own date input is made when its calendar is first asked for: laid out in
  // every field from the start, its inner parts would weigh on the first paint of each view.
  let native: HTMLInputElement | null = null;
  const calendar = (): HTMLInputElement => {
    if (native) return native;
    const n = h('input', { type: 'date', class: 'date-native', tabindex: '-1', 'aria-hidden': 'true', min: o.min, max: o.max, 'aria-label': o.label });
    n.addEventListener('change', () => { if (n.value) take(n.value); });
    field.root.append(n);
    native = n;
    return n;
  };
  const button = h('button', { type: 'button', class: 'btn date-cal', 'aria-label': `${i18n.t('calendar')}: ${o.label}`, title: i18n.t('calendar') },
    h('span', { class: 'cal-icon', 'aria-hidden': 'true' }));
  const field: DateField = {
    root: h('span', { class: 'date-field' }, input, button),
    input,
    value: '',
    set(day: string) {
      const d = parseDate(day, i18n.locale);
      field.value = d ? iso(d) : '';
      input.value = d ? formatDate(d, i18n.locale) : '';
      input.dataset.value = field.value;
      input.setCustomValidity('');
      input.removeAttribute('aria-invalid');
    },
  };
  const take = (day: string) => {
    const changed = day !== field.value;
    field.set(day);
    if (changed) o.onPick?.(field.value);
  };
  input.addEventListener('input', () => {
    const d = parseDate(input.value, i18n.locale);
    if (d) {
      input.dataset.value = iso(d);
      if (iso(d) !== field.value) { field.value = iso(d); o.onPick?.(field.value); }
    }
  });
  input.addEventListener('change', () => {
    const text = input.value.trim();
    const d = parseDate(text, i18n.locale);
    if (d || (!text && !o.required)) { take(d ? iso(d) : ''); return; }
    input.setCustomValidity(hint);
    input.setAttribute('aria-invalid', 'true');
    input.reportValidity();
  });
  button.addEventListener('click', () => {
    const n = calendar();
    n.value = field.value;
    try { n.showPicker(); } catch { input.focus(); }
  });
  if (o.value) field.set(o.value);
  return field;
}
