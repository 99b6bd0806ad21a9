// Quality: each phase's voltage over the last week against 230 V ±10 % (207–253 V), minutes
// outside the band, and the power factor. The week's chart reads hourly means (168 points a
// phase): the band above already shows the extremes, and the page stays light on the wire.
import { Chart, lineTable } from '../chart';
import { type Ctx, hasQuantity } from '../context';
import { card, clear, h, message } from '../dom';
import { chartCsv, downloadButtons } from '../download';
import { bandPosition, DAY, lineOf, maxGapFor } from '../shape';

const SCALE_LO = 195;
const SCALE_HI = 265;

export async function renderQuality(ctx: Ctx, root: HTMLElement): Promise<void> {
  const { i18n } = ctx;
  const now = ctx.now();
  const from = Math.max(ctx.earliest(), now - 7 * DAY);
  const grid = h('div', { class: 'grid' });
  root.append(grid);
  for (const meter of ctx.selected()) {
    const c = card(`${i18n.t('voltageBand')} – ${ctx.name(meter)}`, 'wide');
    c.root.setAttribute('data-meter', meter);
    grid.append(c.root);
    c.body.append(message(i18n.t('loading')));
    const run = async () => {
      const phases = ['l1', 'l2', 'l3'].filter((p) => hasQuantity(ctx, meter, `voltage_${p}`));
      const [v, lines] = await Promise.all([ctx.api.voltage(meter, from, now),
        Promise.all(phases.map((p) => ctx.api.series(meter, `voltage_${p}`, from, now, '1h').then(lineOf)))]);
      if (!ctx.alive()) return;
      clear(c.body);
      const [lo, hi] = v.band;
      if (!v.phases.length) {
        c.body.append(message(i18n.t('noData'), 'empty'));
      }
      for (const p of v.phases) {
        const track = h('div', { class: 'vband', role: 'img', 'aria-label': `${p.phase}: ${i18n.t('min')} ${i18n.number(p.min, 1)} V, ${i18n.t('mean')} ${i18n.number(p.mean, 1)} V, ${i18n.t('max')} ${i18n.number(p.max, 1)} V` });
        const ok = h('div', { class: 'vband-ok' });
        ok.style.left = `${bandPosition(lo, SCALE_LO, SCALE_HI) * 100}%`;
        ok.style.width = `${(bandPosition(hi, SCALE_LO, SCALE_HI) - bandPosition(lo, SCALE_LO, SCALE_HI)) * 100}%`;
        track.append(ok);
        if (p.min != null && p.max != null) {
          const span = h('div', { class: 'vband-span' });
          span.style.left = `${bandPosition(p.min, SCALE_LO, SCALE_HI) * 100}%`;
          span.style.width = `${Math.max(0.5, (bandPosition(p.max, SCALE_LO, SCALE_HI) - bandPosition(p.min, SCALE_LO, SCALE_HI)) * 100)}%`;
          track.append(span);
        }
        if (p.mean != null) {
          const mark = h('div', { class: 'vband-mean' });
          mark.style.left = `${bandPosition(p.mean, SCALE_LO, SCALE_HI) * 100}%`;
          track.append(mark);
        }
        const outside = p.minutes_below_207v + p.minutes_above_253v;
        c.body.append(h('div', { class: 'phase-row' },
          h('div', { class: 'phase-name' }, p.phase.toUpperCase().replace('VOLTAGE_', '')),
          h('div', { class: 'phase-band' }, track,
            h('div', { class: 'vband-scale muted small' }, h('span', {}, `${SCALE_LO} V`), h('span', {}, `${lo} V`), h('span', {}, `${v.nominal_v} V`), h('span', {}, `${hi} V`), h('span', {}, `${SCALE_HI} V`))),
          h('div', { class: 'phase-text' },
            `${i18n.t('min')} ${i18n.number(p.min, 1)} V · ${i18n.t('mean')} ${i18n.number(p.mean, 1)} V · ${i18n.t('max')} ${i18n.number(p.max, 1)} V`,
            h('br', {}),
            h('span', { class: outside ? 'bad' : 'good' }, i18n.t('minutesOutside', { b: i18n.number(p.minutes_below_207v), a: i18n.number(p.minutes_above_253v), m: i18n.number(p.minutes) })))));
      }
      if (lines.length) {
        const host = h('div', { class: 'chart' });
        c.body.append(host);
        const chart = new Chart(host, lineTable(lines, maxGapFor('1h')), {
          i18n, tz: ctx.tz, height: 220, title: i18n.t('voltage'), series: phases.map((p) => ({ label: p.toUpperCase(), unit: 'V', digits: 1 })),
        });
        ctx.onCleanup(() => chart.destroy());
        c.actions.append(downloadButtons(i18n, i18n.t('voltage'), `meterd-voltage-${meter}`, () => chartCsv(chart, ctx.tz), () => chart.png()));
        ctx.perf.firstChart ??= performance.now();
      }
      c.body.append(h('p', { class: 'pf' }, `${i18n.t('powerFactor')}: ${i18n.t('mean')} `, h('strong', {}, i18n.number(v.power_factor.mean, 2)),
        `, ${i18n.t('min')} `, h('strong', {}, i18n.number(v.power_factor.min, 2))));
    };
    run().catch((e) => ctx.fail(e, c.body, () => void run()));
  }
}
