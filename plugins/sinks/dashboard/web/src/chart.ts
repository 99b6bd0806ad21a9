// uPlot with the dashboard's look: colours from CSS variables (light/dark), axes formatted
// with Intl in the chosen locale and the meters' time zone, labels spaced by their measured
// width so they never overlap, bars from zero, a tooltip, a legend that shows the newest values
// at rest, missing periods shaded, touch selection, and the data behind it for a download.
import uPlot from 'uplot';
import { cssVar, PALETTE } from './colors';
import { h } from './dom';
import type { DateStyle, I18n } from './i18n';
import { addPeriods, gappedRows, type Line, type PeriodKind, sameTimes, toCivil, zonedDate } from './shape';

const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';

let measureCtx: CanvasRenderingContext2D | null = null;
/** Width in CSS pixels of `text` in the axes' font. */
function textWidth(text: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 7;
  measureCtx.font = AXIS_FONT;
  return measureCtx.measureText(text).width;
}

/** Is this instant a local midnight? */
function isMidnight(ms: number, tz: string): boolean {
  const c = toCivil(ms, tz);
  return c.hour === 0 && c.minute === 0;
}

/** Tick labels chosen by the tick step: times (with the day at midnight), weekdays, dates, months, years. */
function timeValues(i18n: I18n, tz: string) {
  return (u: uPlot, splits: number[], _ax: number, _space: number, incr: number) => {
    const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
    return splits.map((s, i) => {
      const ms = s * 1000;
      if (incr < 60) return i18n.date(ms, 'seconds');
      if (incr < 86400) return isMidnight(ms, tz) && s < (u.scales.x.max ?? 0) - 1 ? i18n.date(ms, 'weekdayNum') : i18n.date(ms, 'time');
      if (incr < 28 * 86400) return span <= 10 * 86400 ? i18n.date(ms, 'weekdayNum') : i18n.date(ms, 'dayShort');
      if (incr < 365 * 86400) return i === 0 || toCivil(ms, tz).month === 1 ? i18n.date(ms, 'month') : i18n.date(ms, 'monthName');
      return i18n.date(ms, 'year');
    });
  };
}

/** The widest label the x axis may show for a span, plus a gap: the least distance between ticks. */
function timeSpace(i18n: I18n) {
  const sample = Date.UTC(2026, 8, 30, 23, 59, 59);
  const widths: Record<string, number> = {};
  const w = (style: DateStyle) => (widths[style] ??= textWidth(i18n.date(sample, style)));
  return (_u: uPlot, _ax: number, min: number, max: number) => {
    const span = max - min;
    const styles: DateStyle[] = span <= 600 ? ['seconds'] : span <= 10 * 86400 ? ['time', 'weekdayNum']
      : span <= 62 * 86400 ? ['time', 'weekdayNum', 'dayShort'] : span <= 800 * 86400 ? ['dayShort', 'monthName', 'month'] : ['month', 'year'];
    return Math.ceil(Math.max(...styles.map(w))) + 18;
  };
}

/** The whole period starting at `start`: "Mon 6 Dec 2026, 14:00–15:00", "December 2026", … */
export function periodLabel(i18n: I18n, period: PeriodKind, start: number, tz: string): string {
  switch (period) {
    case 'hour': return `${i18n.date(start, 'weekdayDate')}, ${i18n.date(start, 'time')}–${i18n.date(addPeriods('hour', start, 1, tz), 'time')}`;
    case 'day': return i18n.date(start, 'weekdayDate');
    case 'week': return `${i18n.date(start)} – ${i18n.date(addPeriods('day', addPeriods('week', start, 1, tz), -1, tz))}`;
    case 'month': return i18n.date(start, 'monthLong');
    case 'year': return i18n.date(start, 'year');
  }
}

export interface SeriesSpec {
  label: string; unit: string; color?: string; bars?: boolean; fill?: boolean; band?: boolean; digits?: number;
  /** Filled with diagonal lines: a value that is an estimate. */
  hatch?: boolean;
  /** Part of the stack (bars of several meters on top of each other). */
  stack?: boolean;
  /** Hidden until switched on in the legend. */
  hidden?: boolean;
  /** A line with a dot at each value (an overlay on bars). */
  points?: boolean;
}

const patterns = new Map<string, CanvasPattern | string>();
/** Diagonal lines in `color` on a transparent ground; one tile per colour, as every draw uses it again. */
function hatchPattern(color: string, alpha = 1): CanvasPattern | string {
  const key = `${color} ${alpha}`;
  let p = patterns.get(key);
  if (p) return p;
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const g = tile.getContext('2d');
  if (!g) return `${color}33`;
  g.globalAlpha = alpha;
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(0, 8);
  g.lineTo(8, 0);
  g.stroke();
  p = g.createPattern(tile, 'repeat') ?? `${color}33`;
  patterns.set(key, p);
  return p;
}

export interface ChartOptions {
  i18n: I18n;
  /** The meters' zone: ticks fall on its midnights and month starts. */
  tz: string;
  series: SeriesSpec[];
  height?: number;
  /** Bars: each x is the start of one such period. */
  period?: PeriodKind;
  onZoom?: (from: number, to: number) => void;
  title?: string;
  /** Lines of the tooltip for a data index; the default lists the time and every visible series. */
  tooltip?: (idx: number) => string[];
  /** Spans without data [from, to) in ms, shaded and named in the key below the chart. */
  gaps?: [number, number][];
}

/** A time chart filling its container's width. */
export class Chart {
  readonly plot: uPlot;
  private readonly resize: ResizeObserver;
  private raw: uPlot.AlignedData;
  private readonly colors: string[] = [];
  private gaps: [number, number][];
  private readonly key: HTMLElement;
  private readonly muted: string;
  private readonly tip: HTMLElement;

  constructor(readonly container: HTMLElement, data: uPlot.AlignedData, readonly opts: ChartOptions) {
    const { i18n, tz } = opts;
    const axis = this.muted = cssVar('--muted');
    const grid = cssVar('--grid');
    const palette = PALETTE.map(cssVar);
    this.raw = data;
    this.gaps = opts.gaps ?? [];
    const xLabel = (ms: number) => (opts.period ? periodLabel(i18n, opts.period, ms, tz) : i18n.date(ms, 'dayTime'));
    const series: uPlot.Series[] = [{
      label: i18n.t('time'),
      value: (_u, v, _s, idx) => {
        const x = idx == null ? this.latestX() : v;
        return x == null ? i18n.t('notAvailable') : xLabel(x * 1000);
      },
    }];
    opts.series.forEach((s, i) => {
      const color = s.color ?? palette[i % palette.length];
      this.colors.push(color);
      series.push({
        label: s.label,
        stroke: color,
        width: s.band ? 0 : s.bars ? 1 : 1.5,
        fill: s.hatch ? () => hatchPattern(color) : s.bars ? (s.stack ? `${color}cc` : `${color}88`) : s.fill ? `${color}55` : undefined,
        spanGaps: false,
        show: !s.hidden,
        points: { show: !!s.points, size: 7, fill: color },
        paths: s.bars ? uPlot.paths.bars!({ size: [0.8, 800], align: 1 }) : undefined,
        // At rest (no cursor) the legend shows the newest value instead of a dash.
        value: (_u, _v, sidx, idx) => {
          const v = this.rawAt(sidx, idx ?? this.latestIndex(sidx));
          return v == null ? i18n.t('notAvailable') : `${i18n.number(v, s.digits ?? 0)} ${s.unit}`;
        },
      });
    });
    const width = Math.max(240, container.clientWidth);
    const unit = opts.series[0]?.unit ?? '';
    // Bars and power start at zero: a bar's height is its value. A voltage keeps its close-up.
    const zero = !!opts.period || ['W', 'kW', 'kWh'].includes(unit);
    const yRange = (min: number, max: number): uPlot.Range.MinMax => (zero && (min == null || min >= 0)
      ? [0, uPlot.rangeNum(0, max > 0 ? max : 1, 0.1, true)[1]] : uPlot.rangeNum(min, max, 0.1, true));
    const yLabel = (v: number) => `${i18n.number(v, Math.abs(v) < 10 && v % 1 ? 1 : 0)} ${unit}`;
    const yWidth = (labels: string[]) => Math.ceil(Math.max(30, ...labels.map(textWidth))) + 14;
    // The y axis's width guessed from the data's range before the first draw: when the labels
    // drawn need just that, uPlot lays the chart out once, not again for their measured width.
    const yWidthFor = (d: uPlot.AlignedData): number => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = 1; k < d.length; k++) {
        const row = d[k] as (number | null | undefined)[];
        for (let i = 0; i < row.length; i++) {
          const v = row[i];
          if (v == null || !Number.isFinite(v)) continue;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      return lo > hi ? yWidth([]) : yWidth(yRange(lo, hi).map((v) => yLabel(v ?? 0)));
    };
    let yGuess = yWidthFor(this.stacked(data));
    let zooming = false;
    let userDrag = false;
    this.plot = new uPlot(
      {
        width,
        height: opts.height ?? 280,
        series,
        tzDate: (ts) => zonedDate(ts * 1000, tz),
        scales: {
          x: { time: true },
          y: { range: (_u, min, max) => yRange(min, max) },
        },
        legend: { live: true },
        // uPlot's own room beside the axes, given as numbers: worked out by uPlot, it is known
        // only after a first layout pass, and the chart is laid out a second time.
        padding: [17, 25, 0, 0],
        cursor: { drag: { x: true, y: false, setScale: !!opts.onZoom }, points: { show: false } },
        select: { show: true, left: 0, top: 0, width: 0, height: 0 },
        axes: [
          opts.period ? this.periodAxis(axis, grid)
            : { stroke: axis, font: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: timeValues(i18n, tz), space: timeSpace(i18n) },
          {
            stroke: axis, font: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid },
            values: (_u, splits) => splits.map(yLabel),
            size: (_u, values) => (values ? yWidth(values) : yGuess),
          },
        ],
        hooks: {
          drawAxes: [(u) => this.drawGaps(u)],
          setCursor: [(u) => this.moveTip(u)],
          draw: [(u) => this.describe(u)],
          setScale: [
            (u, key) => {
              // uPlot may apply scale changes later than setData/setScale return, so only a
              // drag that just ended counts as the user's zoom.
              if (key !== 'x' || !opts.onZoom || zooming || !userDrag) return;
              userDrag = false;
              const { min, max } = u.scales.x;
              if (min != null && max != null) opts.onZoom(min * 1000, max * 1000);
            },
          ],
        },
      },
      this.stacked(data),
      container,
    );
    this.plot.over.addEventListener('mousedown', () => { userDrag = true; });
    if (opts.onZoom) this.touchSelect((a, b) => {
      zooming = true;
      try { this.plot.setScale('x', { min: a, max: b }); } finally { zooming = false; }
      opts.onZoom!(a * 1000, b * 1000);
    });
    this.plot.root.setAttribute('role', 'img');
    if (opts.title) this.plot.root.setAttribute('aria-label', opts.title);
    this.tip = h('div', { class: 'chart-tip', hidden: true, 'aria-hidden': 'true' });
    this.plot.over.append(this.tip);
    this.key = h('div', { class: 'chart-key small' });
    this.plot.root.append(this.key);
    this.showKey();
    this.resize = new ResizeObserver(() => {
      const w = Math.max(240, container.clientWidth);
      if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: this.plot.height });
    });
    this.resize.observe(container);
    this.setData = (d: uPlot.AlignedData, resetScales = true, gaps?: [number, number][]) => {
      this.raw = d;
      if (gaps) { this.gaps = gaps; this.showKey(); }
      const shown = this.stacked(d);
      yGuess = yWidthFor(shown);
      zooming = true;
      try { this.plot.setData(shown, resetScales); } finally { zooming = false; }
    };
    this.setX = (min: number, max: number) => {
      zooming = true;
      try { this.plot.setScale('x', { min: min / 1000, max: max / 1000 }); } finally { zooming = false; }
    };
  }

  /** New data without reporting it as a user zoom; `gaps` replaces the shaded spans. */
  setData: (d: uPlot.AlignedData, resetScales?: boolean, gaps?: [number, number][]) => void;
  /** Shows [min, max) in ms without reporting it as a user zoom. */
  setX: (min: number, max: number) => void;

  /** The data as given (not stacked): x in seconds, one row per series. */
  data(): uPlot.AlignedData {
    return this.raw;
  }

  /** The chart as a PNG data URL, on the page's background so it reads in any viewer. */
  png(): string {
    const src = this.plot.ctx.canvas;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height;
    const g = out.getContext('2d')!;
    g.fillStyle = cssVar('--panel');
    g.fillRect(0, 0, out.width, out.height);
    g.drawImage(src, 0, 0);
    return out.toDataURL('image/png');
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }

  private rawAt(sidx: number, idx: number | null): number | null {
    if (idx == null) return null;
    const v = (this.raw[sidx] as (number | null | undefined)[] | undefined)?.[idx];
    return v == null || !Number.isFinite(v) ? null : v;
  }

  private latestIndex(sidx: number): number | null {
    const row = this.raw[sidx] as (number | null | undefined)[] | undefined;
    if (!row) return null;
    for (let i = row.length - 1; i >= 0; i--) if (row[i] != null) return i;
    return null;
  }

  /** x of the newest point that has any value. */
  private latestX(): number | null {
    let best: number | null = null;
    for (let s = 1; s < this.raw.length; s++) {
      const i = this.latestIndex(s);
      if (i != null && (best == null || i > best)) best = i;
    }
    return best == null ? null : (this.raw[0][best] as number);
  }

  /** Bars of a stack drawn tallest first: series k shows the sum of stacked series k…n. */
  private stacked(d: uPlot.AlignedData): uPlot.AlignedData {
    const idx = this.opts.series.map((s, i) => (s.stack ? i + 1 : -1)).filter((i) => i > 0);
    if (idx.length < 2) return d;
    const out = d.slice() as (number | null)[][];
    for (let k = idx.length - 2; k >= 0; k--) {
      const a = d[idx[k]] as (number | null)[];
      const below = out[idx[k + 1]];
      out[idx[k]] = a.map((v, i) => (v == null && below[i] == null ? null : (v ?? 0) + (below[i] ?? 0)));
    }
    return out as uPlot.AlignedData;
  }

  /**
   * Bars: a tick at the start of every period that has room for its label (every second,
   * third, … when they are narrow), labelled as that period: hours, days, months or years.
   */
  private periodAxis(axis: string, grid: string): uPlot.Axis {
    const { i18n, tz } = this.opts;
    const period = this.opts.period!;
    const style: DateStyle = period === 'hour' ? 'time' : period === 'day' ? 'weekdayNum' : period === 'week' ? 'dayShort' : period === 'month' ? 'monthName' : 'year';
    const label = (ms: number, first: boolean) => (period === 'day' && toCivil(ms, tz).day === 1) || (period === 'month' && (first || toCivil(ms, tz).month === 1))
      ? i18n.date(ms, period === 'day' ? 'dayShort' : 'month') : i18n.date(ms, style);
    return {
      stroke: axis, font: AXIS_FONT, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid },
      splits: (u) => {
        const xs = (this.raw[0] as number[]).filter((x) => x >= (u.scales.x.min ?? -Infinity) && x < (u.scales.x.max ?? Infinity));
        if (xs.length < 2) return xs;
        const px = (u.bbox.width / devicePixelRatio) / xs.length;
        const widest = Math.max(...xs.map((x, i) => textWidth(label(x * 1000, i === 0))));
        const every = [1, 2, 3, 4, 6, 8, 12].find((k) => k * px >= widest + 14) ?? Math.ceil((widest + 14) / px);
        return xs.filter((_, i) => i % every === 0);
      },
      values: (_u, splits) => splits.map((x, i) => label(x * 1000, i === 0)),
    };
  }

  /**
   * What was drawn, on the container for tests and tools: the x range, the y axis's lowest
   * value and each x label with its position and width.
   */
  private describe(u: uPlot) {
    const ax = u.axes[0] as uPlot.Axis & { _splits?: number[]; _values?: (string | null)[] };
    const ticks = (ax._splits ?? []).map((s, i) => [Math.round(u.valToPos(s, 'x')), Math.ceil(textWidth(ax._values?.[i] ?? '')), ax._values?.[i] ?? '']);
    const d = this.container.dataset;
    d.xticks = JSON.stringify(ticks.filter((t) => t[2] !== ''));
    d.ymin = String(u.scales.y.min);
    d.xmin = String((u.scales.x.min ?? 0) * 1000);
    d.xmax = String((u.scales.x.max ?? 0) * 1000);
    d.gaps = String(this.gaps.length);
    // Which colour each series is drawn in: a meter must look the same in every chart.
    d.colors = JSON.stringify(Object.fromEntries(this.opts.series.map((s, i) => [s.label, this.colors[i]])));
  }

  private drawGaps(u: uPlot) {
    if (!this.gaps.length) return;
    const g = u.ctx;
    const { left, top, width, height } = u.bbox;
    g.save();
    g.beginPath();
    g.rect(left, top, width, height);
    g.clip();
    g.fillStyle = hatchPattern(this.muted, 0.35);
    for (const [a, b] of this.gaps) {
      const x0 = u.valToPos(a / 1000, 'x', true);
      const x1 = u.valToPos(b / 1000, 'x', true);
      if (x1 > x0) g.fillRect(x0, top, x1 - x0, height);
    }
    g.restore();
  }

  /** The key for what the legend cannot name: shaded spans without data. */
  private showKey() {
    this.key.replaceChildren();
    this.key.hidden = !this.gaps.length;
    if (this.gaps.length) this.key.append(h('span', { class: 'key-gap' }), this.opts.i18n.t('missing'));
  }

  private moveTip(u: uPlot) {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (idx == null || left < 0) { this.tip.hidden = true; return; }
    const lines = this.opts.tooltip ? this.opts.tooltip(idx) : this.defaultTip(idx);
    this.tip.replaceChildren(...lines.map((l, i) => h(i === 0 ? 'strong' : 'div', {}, l)));
    this.tip.hidden = false;
    const w = this.tip.offsetWidth;
    const over = u.over.clientWidth;
    this.tip.style.left = `${Math.max(0, Math.min(over - w, left + 12 + w > over ? left - w - 12 : left + 12))}px`;
    this.tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
  }

  private defaultTip(idx: number): string[] {
    const x = this.raw[0][idx] as number;
    const { i18n, period, tz } = this.opts;
    const lines = [period ? periodLabel(i18n, period, x * 1000, tz) : i18n.date(x * 1000, 'dayTimeSec')];
    this.opts.series.forEach((s, i) => {
      if (!this.plot.series[i + 1].show) return;
      const v = this.rawAt(i + 1, idx);
      if (v != null || !s.hatch) lines.push(`${s.label}: ${v == null ? i18n.t('notAvailable') : `${i18n.number(v, s.digits ?? 0)} ${s.unit}`}`);
    });
    return lines;
  }

  /** Touch: a horizontal slide across the chart selects a range (a vertical one scrolls the page). */
  private touchSelect(done: (a: number, b: number) => void) {
    const over = this.plot.over;
    let start: number | null = null;
    over.addEventListener('pointerdown', (e) => {
      if (e.pointerType !== 'touch') return;
      start = e.offsetX;
      over.setPointerCapture(e.pointerId);
    });
    over.addEventListener('pointermove', (e) => {
      if (e.pointerType !== 'touch' || start == null) return;
      const x = Math.max(0, Math.min(over.clientWidth, e.offsetX));
      this.plot.setSelect({ left: Math.min(start, x), width: Math.abs(x - start), top: 0, height: over.clientHeight }, false);
    });
    const end = (e: PointerEvent) => {
      if (e.pointerType !== 'touch' || start == null) return;
      const x = Math.max(0, Math.min(over.clientWidth, e.offsetX));
      const [l, r] = [Math.min(start, x), Math.max(start, x)];
      start = null;
      this.plot.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
      if (r - l >= 8) done(this.plot.posToVal(l, 'x'), this.plot.posToVal(r, 'x'));
    };
    over.addEventListener('pointerup', end);
    over.addEventListener('pointercancel', () => { start = null; });
  }
}

/** Spans where a line has no value ([from, to) in ms), from data with nulls at its gaps; none after `until`. */
export function gapSpans(x: number[], y: (number | null)[], until = Infinity): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    if (y[i] != null) continue;
    const a = i > 0 ? x[i - 1] : x[i];
    let j = i;
    while (j < x.length && y[j] == null) j++;
    const b = j < x.length ? x[j] : x[x.length - 1];
    if (b > a && a * 1000 < until) out.push([a * 1000, Math.min(b * 1000, until)]);
    i = j;
  }
  return out;
}

/**
 * One table of several [x, y...] tables, as uPlot.join makes it. Lines of aligned buckets share
 * their times: their columns are then put side by side without the general join (a set and a
 * sort of all times), which takes a slow phone tens of milliseconds for a day of minutes.
 */
export function joinTables(tables: uPlot.AlignedData[]): uPlot.AlignedData {
  if (tables.length === 1) return tables[0];
  const x = tables[0][0] as number[];
  if (!tables.every((tb) => sameTimes(tb[0] as number[], x))) return uPlot.join(tables);
  return [x, ...tables.flatMap((tb) => tb.slice(1))] as uPlot.AlignedData;
}

/**
 * The table of a chart's lines: x in seconds, a row per line, and a null wherever two points
 * are further apart than `maxGap`, as `withGaps` draws a gap. Lines of the same times, as the
 * API answers for meters that all reported, are read in one pass; others are gapped and joined.
 */
export function lineTable(lines: Line[], maxGap: number): uPlot.AlignedData {
  if (!lines.length) return [[]];
  const t = lines[0].t;
  if (lines.every((l) => sameTimes(l.t, t))) return gappedRows(t, lines.map((l) => l.v), maxGap);
  return joinTables(lines.map((l) => gappedRows(l.t, [l.v], maxGap)));
}
