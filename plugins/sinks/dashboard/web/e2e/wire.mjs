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

/**
 * Reports, through the console, the page's own time of its first chart and of the moment all
 * Insights cards are filled. The page is watched from inside (a mutation observer set up before
 * its scripts run), so the test neither polls it every frame nor injects its own scripts while
 * the slowed page loads: both would take the page's main thread.
 */
export function watchInPage(page) {
  const seen = {};
  const waiters = {};
  page.on('console', (m) => {
    const [tag, value] = m.text().split(' ');
    if (!tag.startsWith('meterd-')) return;
    seen[tag] = Number(value);
    waiters[tag]?.(seen[tag]);
  });
  const next = (tag, ms) => new Promise((resolve, reject) => {
    if (seen[tag] != null) { resolve(seen[tag]); return; }
    const timer = setTimeout(() => reject(new Error(`no ${tag} within ${ms} ms`)), ms);
    waiters[tag] = (v) => { clearTimeout(timer); resolve(v); };
  });
  return {
    install: () => page.addInitScript((ids) => {
      const said = {};
      // A mark too, for a trace of the load to end its sums there (e2e/main-thread.mjs).
      const say = (tag, v) => { if (!said[tag]) { said[tag] = true; performance.mark(tag); console.debug(`${tag} ${v}`); } };
      const check = () => {
        const first = window.__meterdPerf?.firstChart;
        if (first != null) say('meterd-first-chart', first);
        if (ids.every((id) => {
          const card = document.getElementById(id);
          return card && !card.querySelector('.msg-info') && card.querySelector('canvas, .big, dl, ul, .msg-empty, .msg-error');
        })) say('meterd-insights', performance.now());
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    }, INSIGHTS_CARDS),
    firstChart: () => next('meterd-first-chart', 60_000),
    insights: () => next('meterd-insights', 60_000),
  };
}

/**
 * The context's other pages, left on about:blank while `work` runs and then taken back to where
 * they were: a dashboard left open in them keeps drawing its live chart on the machine's other
 * core, which a browser's background tab would not.
 */
export async function othersParked(context, work) {
  const parked = [];
  for (const p of context.pages()) {
    if (p.url() === 'about:blank') continue;
    parked.push([p, p.url()]);
    await p.goto('about:blank');
  }
  try {
    return await work();
  } finally {
    for (const [p, url] of parked) await p.goto(url).catch(() => undefined);
  }
}

/** Navigation to first chart (History) and to all Insights cards filled, CPU slowed `throttle` times. */
export async function timesAtSlowCpu(context, base, opts = {}) {
  return othersParked(context, () => timed(context, base, opts));
}

async function timed(context, base, { throttle = 4, runs = 9 }) {
  const load = [loadavg()[0]];
  const first = [];
  const insights = [];
  for (let i = 0; i < runs; i++) {
    let s = await meteredPage(context, throttle);
    let watch = watchInPage(s.page);
    await watch.install();
    await s.page.goto(`${base}/#/history`, { waitUntil: 'commit' });
    first.push(await watch.firstChart());
    await s.page.close();
    s = await meteredPage(context, throttle);
    watch = watchInPage(s.page);
    await watch.install();
    await s.page.goto(`${base}/#/insights`, { waitUntil: 'commit' });
    insights.push(await watch.insights());
    await s.page.close();
  }
  load.push(loadavg()[0]);
  return { throttle, firstChartMs: spread(first), insightsMs: spread(insights), load };
}
