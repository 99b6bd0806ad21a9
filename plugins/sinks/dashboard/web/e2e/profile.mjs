// What a page load waits for with Chromium's CPU slowed 4x: imports ten days of simulated
// history, starts meterd with the end-to-end configs, loads a view several times and prints
// each load's request waterfall (start and end of every request, from navigation), then the
// main thread's busiest trace events and the functions with the most CPU time of the first load.
//
//   METERD_BIN=../../../../build/meterd node e2e/profile.mjs [history|insights] [loads]
//
// Build the front end with `npx vite build --minify false` first to see function names.
import { loadavg } from 'node:os';
import { logIn, measuringBrowser, slowPage, startMeterd } from './meterd-instance.mjs';

const view = process.argv[2] ?? 'history';
const loads = Number(process.argv[3] ?? 3);
const CARDS = ['baseload', 'peaks', 'htnt', 'heatmap', 'shares'];

/** Self time per function of a CPU profile, largest first. */
function hotFunctions(profile, n) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** Time per trace event name on the page's main thread (nested events counted in each). */
function busiestEvents(events, n) {
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const sum = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur || !main.has(`${e.pid}:${e.tid}`) || /RunTask$/.test(e.name)) continue;
    sum.set(e.name, (sum.get(e.name) ?? 0) + e.dur / 1000);
  }
  return [...sum].sort((a, b) => b[1] - a[1]).slice(0, n);
}

const meterd = await startMeterd();
const base = meterd.base;
const browser = await measuringBrowser();
const { context } = browser;
try {
  await logIn(context, base);
  console.log(`${view}, CPU slowed 4x, load ${loadavg()[0].toFixed(1)}`);
  for (let run = 0; run < loads; run++) {
    const { page: p, cdp } = await slowPage(context);
    const trace = [];
    if (run === 0) {
      cdp.on('Tracing.dataCollected', (e) => trace.push(...e.value));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8.execute,loading', transferMode: 'ReportEvents' });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await p.goto(`${base}/#/${view}`);
    const done = view === 'insights'
      ? await p.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.querySelector('canvas, .big, dl, ul, .msg-empty')) && performance.now(), CARDS, { timeout: 60_000 })
      : await p.waitForFunction(() => window.__meterdPerf?.firstChart, null, { timeout: 60_000 });
    const ms = await done.jsonValue();
    const marks = await p.evaluate(() => ({
      perf: window.__meterdPerf,
      paint: performance.getEntriesByType('paint').map((e) => `${e.name} ${e.startTime.toFixed(0)}`),
      requests: performance.getEntriesByType('resource').map((r) => `${r.startTime.toFixed(0).padStart(6)} ${r.responseEnd.toFixed(0).padStart(6)}  ${r.name.replace(location.origin, '').slice(0, 80)}`),
    }));
    console.log(`load ${run + 1}: done at ${ms.toFixed(0)} ms; ${Object.entries(marks.perf).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}; ${marks.paint.join(', ')}`);
    console.log('  start    end  request');
    for (const r of marks.requests) console.log(`  ${r}`);
    if (run === 0) {
      const { profile } = await cdp.send('Profiler.stop');
      const traced = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
      await cdp.send('Tracing.end');
      await traced;
      console.log('  main thread, ms per trace event:');
      for (const [name, t] of busiestEvents(trace, 14)) console.log(`  ${t.toFixed(0).padStart(6)}  ${name}`);
      console.log('  CPU profile, self time in ms:');
      for (const [name, t] of hotFunctions(profile, 20)) console.log(`  ${t.toFixed(0).padStart(6)}  ${name}`);
    }
    await p.close();
  }
  console.log(`load ${loadavg()[0].toFixed(1)} at the end`);
} finally {
  await browser.close();
  await meterd.stop();
}
