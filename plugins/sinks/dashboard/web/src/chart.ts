// uPlot with the dashboard's look: colours from CSS variables (light/dark), axes formatted
// with Intl in the chosen locale and the meters' time zone, resizing with its container.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { I18n } from './i18n';

export const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function timeValues(i18n: I18n) {
  return (_u: uPlot, splits: number[], _ax: number, _space: number, incr: number) =>
    splits.map((s) => {
      const ms = s * 1000;
      if (incr < 60) return i18n.date(ms, 'seconds');
      if (incr < 86400) return i18n.date(ms, 'time');
      if (incr < 28 * 86400) return i18n.date(ms, 'dayShort');
      if (incr < 365 * 86400) return i18n.date(ms, 'month');
      return i18n.date(ms, 'year');
    });
}

export interface SeriesSpec {
  label: string; unit: string; color?: string; bars?: boolean; fill?: boolean; band?: boolean; digits?: number;
  /** Filled with diagonal lines: a value that is an estimate. */
  hatch?: boolean;
}

/** Diagonal lines in `color` on a transparent ground. */
function hatchPattern(color: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const g = tile.getContext('2d');
  if (!g) return `${color}33`;
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(0, 8);
  g.lineTo(8, 0);
  g.stroke();
  return g.createPattern(tile, 'repeat') ?? `${color}33`;
}

export interface ChartOptions {
  i18n: I18n;
  series: SeriesSpec[];
  height?: number;
  bars?: boolean;
  onSelect?: (from: number, to: number) => void;
  onZoom?: (from: number, to: number) => void;
  title?: string;
}

/** A time chart filling its container's width. */
export class Chart {
  readonly plot: uPlot;
  private readonly resize: ResizeObserver;
  private readonly palette: string[];

  constructor(readonly container: HTMLElement, data: uPlot.AlignedData, readonly opts: ChartOptions) {
    const { i18n } = opts;
    const axis = cssVar('--muted');
    const grid = cssVar('--grid');
    this.palette = PALETTE.map(cssVar);
    const series: uPlot.Series[] = [{ label: i18n.t('time'), value: (_u, v) => (v == null ? '' : i18n.date(v * 1000, opts.bars ? 'day' : 'dayTime')) }];
    opts.series.forEach((s, i) => {
      const color = s.color ?? this.palette[i % this.palette.length];
      series.push({
        label: s.label,
        stroke: color,
        width: s.band ? 0 : 1.5,
        fill: s.hatch ? () => hatchPattern(color) : s.bars || s.fill ? `${color}66` : undefined,
        spanGaps: false,
        points: { show: false },
        paths: s.bars ? uPlot.paths.bars!({ size: [0.7, 60], align: 1 }) : undefined,
        value: (_u, v) => (v == null ? '–' : `${i18n.number(v, s.digits ?? 0)} ${s.unit}`),
        show: true,
      });
    });
    const width = Math.max(280, container.clientWidth);
    let zooming = false;
    let userDrag = false;
    this.plot = new uPlot(
      {
        width,
        height: opts.height ?? 280,
        series,
        scales: { x: { time: true } },
        legend: { live: true },
        cursor: { drag: { x: true, y: false, setScale: !!opts.onZoom }, points: { show: false } },
        select: { show: true, left: 0, top: 0, width: 0, height: 0 },
        axes: [
          { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: timeValues(i18n) },
          {
            stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 60,
            values: (_u, splits) => splits.map((v) => `${i18n.number(v, Math.abs(v) < 10 && v % 1 ? 1 : 0)}`),
            label: opts.series[0]?.unit, labelSize: 14,
          },
        ],
        hooks: {
          setSelect: [
            (u) => {
              if (!opts.onSelect || u.select.width < 2) return;
              const a = u.posToVal(u.select.left, 'x');
              const b = u.posToVal(u.select.left + u.select.width, 'x');
              opts.onSelect(a * 1000, b * 1000);
            },
          ],
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
      data,
      container,
    );
    this.plot.over.addEventListener('mousedown', () => { userDrag = true; });
    this.plot.root.setAttribute('role', 'img');
    if (opts.title) this.plot.root.setAttribute('aria-label', opts.title);
    this.resize = new ResizeObserver(() => {
      const w = Math.max(280, container.clientWidth);
      if (Math.abs(w - this.plot.width) > 2) this.plot.setSize({ width: w, height: this.plot.height });
    });
    this.resize.observe(container);
    this.setData = (d: uPlot.AlignedData, resetScales = true) => {
      zooming = true;
      try { this.plot.setData(d, resetScales); } finally { zooming = false; }
    };
    this.setX = (min: number, max: number) => {
      zooming = true;
      try { this.plot.setScale('x', { min: min / 1000, max: max / 1000 }); } finally { zooming = false; }
    };
  }

  /** New data without reporting it as a user zoom. */
  setData: (d: uPlot.AlignedData, resetScales?: boolean) => void;
  /** Shows [min, max) in ms without reporting it as a user zoom. */
  setX: (min: number, max: number) => void;

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }
}
