// Where the main thread of a History load spends its time up to the first chart, with Chromium's
// CPU slowed 4x: a trace (CDP Tracing) of each load, summed per kind of work on the page's main
// thread (all its tasks, compiling JavaScript (V8.CompileCode), style and layout, painting) from
// the trace's start to the first chart (a task running then is counted whole).
// Several builds of the front end are loaded in turn, each from its own meterd, so the machine's
// load weighs on each alike. The trace itself slows the page: the times to the first chart are
// e2e/compare-builds.mjs's, this says what they are made of.
//
//   METERD_BIN=../../../../build/meterd node e2e/main-thread.mjs <loads> <dist A> [<dist B>]
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { servedBuilds, slowPage } from './meterd-instance.mjs';
import { watchInPage } from './wire.mjs';

const loads = Number(process.argv[2]);
const dists = process.argv.slice(3, 5).map((d) => resolve(d));
if (!loads || !dists.length) throw new Error('usage: node e2e/main-thread.mjs <loads> <dist A> [<dist B>]');
const KINDS = {
  tasks: ['RunTask'],
  compiling: ['V8.CompileCode'],
  'style and layout': ['UpdateLayoutTree', 'Layout'],
  painting: ['Paint', 'PrePaint', 'Layerize', 'Commit'],
};
const CATEGORIES = 'devtools.timeline,disabled-by-default-devtools.timeline,v8,disabled-by-default-v8.compile,blink.user_timing';

/** Milliseconds per kind of work on the page's main thread: the renderer thread busiest in the trace. */
function mainThreadTimes(events) {
  const renderers = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const busy = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === 'RunTask' && e.ph === 'X' && renderers.has(key)) busy.set(key, (busy.get(key) ?? 0) + e.dur);
  }
  const main = [...busy].sort((a, b) => b[1] - a[1])[0]?.[0];
  // Up to the mark the page's watcher sets when it sees the first chart.
  const end = events.find((e) => e.name === 'meterd-first-chart' && `${e.pid}:${e.tid}` === main)?.ts ?? Infinity;
  const out = Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0]));
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || `${e.pid}:${e.tid}` !== main || e.ts >= end) continue;
    for (const [kind, names] of Object.entries(KINDS)) if (names.includes(e.name)) out[kind] += e.dur / 1000;
  }
  return out;
}

const served = await servedBuilds(dists);
const { context } = served;
const builds = served.builds.map((b) => ({ ...b, rows: [] }));
const load = [loadavg()[0]];
try {
  for (const p of context.pages()) await p.goto('about:blank');
  // The first load of each build fills the browser's caches and is not counted.
  for (let i = 0; i <= loads; i++) {
    for (const b of i % 2 ? [...builds].reverse() : builds) {
      const { page, cdp } = await slowPage(context);
      const watch = watchInPage(page);
      await watch.install();
      const events = [];
      cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
      const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
      await page.goto(`${b.meterd.base}/#/history`, { waitUntil: 'commit' });
      const first = await watch.firstChart();
      await cdp.send('Tracing.end');
      await complete;
      if (i > 0) b.rows.push({ 'first chart (traced)': first, ...mainThreadTimes(events) });
      await page.close();
    }
  }
  load.push(loadavg()[0]);
  const median = (v) => v.slice().sort((p, q) => p - q)[Math.floor(v.length / 2)];
  for (const b of builds) {
    const keys = Object.keys(b.rows[0]);
    console.log(`${b.dist}: ${keys.map((k) => `${k} ${median(b.rows.map((r) => r[k])).toFixed(0)} ms`).join(', ')} (medians of ${b.rows.length})`);
  }
  console.log(`load ${load.map((l) => l.toFixed(1)).join(' to ')}`);
} finally {
  await served.close();
}
