// What each view costs on the wire and in time: the JSON bytes a fresh load of the view
// fetches (and a year of History), and with Chromium's CPU slowed 4x (CDP
// Emulation.setCPUThrottlingRate) the time from navigation to the first chart and to a complete
// Insights page, over several loads for their spread.
import { loadavg } from 'node:os';
import { openView, settle, trackRequests, VIEWS } from './page-settle.mjs';

export const WIRE_LIMIT_BYTES = 300 * 1024;
const INSIGHTS_CARDS = ['baseload', 'peaks', 'htnt', 'heatmap', 'shares'];

/** A fresh page that sums the bytes of the JSON answers it receives. */
async function meteredPage(context, throttle) {
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  const meter = { bytes: 0, requests: 0, pending: [] };
  page.on('response', (r) => {
    if (!(r.headers()['content-type'] ?? '').includes('application/json')) return;
    meter.pending.push(r.body().then((b) => { meter.bytes += b.length; meter.requests++; }, () => undefined));
  });
  return { page, meter, tracker: trackRequests(page) };
}

async function counted(meter, action) {
  await Promise.all(meter.pending);
  const before = { bytes: meter.bytes, requests: meter.requests };
  await action();
  await Promise.all(meter.pending);
  return { bytes: meter.bytes - before.bytes, requests: meter.requests - before.requests };
}

/** JSON bytes of a fresh load of each view, and of switching History to a year. */
export async function jsonPerView(context, base) {
  const out = [];
  for (const [view] of VIEWS) {
    const { page, meter, tracker } = await meteredPage(context, 1);
    out.push({ view, ...await counted(meter, () => openView(page, tracker, base, view, { reload: true })) });
    if (view === 'history' && await page.locator('button[data-range=year]').count()) {
      out.push({ view: 'history, year', ...await counted(meter, async () => {
        await page.click('button[data-range=year]');
        await page.waitForTimeout(200);
        await settle(page, tracker, VIEWS.find(([v]) => v === 'history')[1]);
      }) });
    }
    await page.close();
  }
  return out;
}

function spread(values) {
  const v = values.slice().sort((a, b) => a - b);
  return { median: v[Math.floor(v.length / 2)], min: v[0], max: v[v.length - 1], n: v.length };
}

/** Navigation to first chart (History) and to all Insights cards filled, CPU slowed `throttle` times. */
export async function timesAtSlowCpu(context, base, { throttle = 4, runs = 5 } = {}) {
  const load = [loadavg()[0]];
  const first = [];
  const insights = [];
  for (let i = 0; i < runs; i++) {
    let s = await meteredPage(context, throttle);
    await s.page.goto(`${base}/#/history`);
    first.push(await (await s.page.waitForFunction(() => window.__meterdPerf?.firstChart, null, { timeout: 60_000 })).jsonValue());
    await s.page.close();
    s = await meteredPage(context, throttle);
    await s.page.goto(`${base}/#/insights`);
    const done = await s.page.waitForFunction((ids) => ids.every((id) => {
      const card = document.getElementById(id);
      return card && !card.querySelector('.msg-info') && card.querySelector('canvas, .big, dl, ul, .msg-empty, .msg-error');
    }) && performance.now(), INSIGHTS_CARDS, { timeout: 60_000 });
    insights.push(await done.jsonValue());
    await s.page.close();
  }
  load.push(loadavg()[0]);
  return { throttle, firstChartMs: spread(first), insightsMs: spread(insights), load };
}
