// Downloads of what a card shows: CSV built from the data the view already holds (a header row
// naming each column's unit and the time zone of the times) and charts as PNG.
import type { Chart } from './chart';
import { h } from './dom';
import type { I18n } from './i18n';
import { toCivil } from './shape';

export type Cell = string | number | null | undefined;

/** RFC 4180 text: comma-separated, quoted where needed, numbers with a dot. */
export function csvText(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    if (v == null || (typeof v === 'number' && !Number.isFinite(v))) return '';
    const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Local wall-clock time in `tz`, written YYYY-MM-DD HH:MM:SS. */
export function localStamp(ms: number, tz: string): string {
  const c = toCivil(ms, tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${c.year}-${p(c.month)}-${p(c.day)} ${p(c.hour)}:${p(c.minute)}:${p(c.second)}`;
}

/** A chart's series as columns, time first; `extra` columns (e.g. cost) follow, row by row. */
export function chartCsv(chart: Chart, tz: string, extra: { label: string; values: Cell[] }[] = []): string {
  const d = chart.data();
  const specs = chart.opts.series;
  const header = [`time (${tz})`, ...specs.map((s) => `${s.label} [${s.unit}]`), ...extra.map((e) => e.label)];
  const rows = (d[0] as number[]).map((x, i) => [localStamp(x * 1000, tz), ...specs.map((_, s) => (d[s + 1] as Cell[])[i]), ...extra.map((e) => e.values[i])]);
  // Rows inserted only to draw a gap carry no value at all: they are no data.
  return csvText(header, rows.filter((r) => r.slice(1).some((v) => v != null)));
}

/** A table's cells as shown, the header rows included. */
export function tableCsv(table: HTMLTableElement): string {
  const rows = Array.from(table.rows).map((r) => Array.from(r.cells).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim()));
  return csvText(rows[0] ?? [], rows.slice(1));
}

export function save(name: string, href: string): void {
  const a = h('a', { href, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

export function saveText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  save(name, url);
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Small CSV and PNG buttons for a card's heading; either may be left out. */
export function downloadButtons(i18n: I18n, what: string, file: string, csv: (() => string) | null, png: (() => string) | null): HTMLElement {
  const box = h('span', { class: 'downloads' });
  if (csv) box.append(h('button', { type: 'button', class: 'btn mini', 'data-download': 'csv', 'aria-label': i18n.t('downloadCsv', { t: what }), title: i18n.t('downloadCsv', { t: what }),
    onclick: () => saveText(`${file}.csv`, csv()) }, 'CSV'));
  if (png) box.append(h('button', { type: 'button', class: 'btn mini', 'data-download': 'png', 'aria-label': i18n.t('downloadPng', { t: what }), title: i18n.t('downloadPng', { t: what }),
    onclick: () => save(`${file}.png`, png()) }, 'PNG'));
  return box;
}

/** A CSV button for the table a card shows when it is clicked (the table may be redrawn meanwhile). */
export function tableDownload(i18n: I18n, c: { actions: HTMLElement; body: HTMLElement }, what: string, file: string): void {
  c.actions.append(downloadButtons(i18n, what, file, () => {
    const t = c.body.querySelector('table');
    return t ? tableCsv(t) : '';
  }, null));
}
