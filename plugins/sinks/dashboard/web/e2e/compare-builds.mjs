// Two builds of the front end timed against each other at the same moment: each is served by
// its own meterd (ten days of simulated history), and their History and Insights loads with the
// CPU slowed 4x alternate, so the machine's load weighs on both alike. Prints each build's
// median and spread of the time to the first chart and to a complete Insights page.
//
//   METERD_BIN=../../../../build/meterd node e2e/compare-builds.mjs <dist A> <dist B> [loads]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { logIn, startMeterd } from './meterd-instance.mjs';
import { othersParked, timesAtSlowCpu } from './wire.mjs';

const [a, b] = process.argv.slice(2, 4).map((d) => resolve(d));
const loads = Number(process.argv[4] ?? 6);
if (!a || !b) throw new Error('usage: node e2e/compare-builds.mjs <dist A> <dist B> [loads]');
// Different host names: cookies do not tell ports apart.
const builds = [{ dist: a, host: '127.0.0.1' }, { dist: b, host: 'localhost' }];
for (const x of builds) Object.assign(x, { meterd: await startMeterd({ webRoot: x.dist, host: x.host }), first: [], insights: [] });
const profile = mkdtempSync(join(tmpdir(), 'meterd-compare-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1280, height: 800 }, locale: 'en-GB',
});
const load = [loadavg()[0]];
try {
  for (const x of builds) await logIn(context, x.meterd.base);
  await othersParked(context, async () => {
    for (let i = 0; i < loads; i++) {
      for (const x of i % 2 ? [...builds].reverse() : builds) {
        const t = await timesAtSlowCpu(context, x.meterd.base, { runs: 1 });
        x.first.push(t.firstChartMs.median);
        x.insights.push(t.insightsMs.median);
      }
    }
  });
  load.push(loadavg()[0]);
  const f = (v) => {
    const s = v.slice().sort((p, q) => p - q);
    return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)}, ${s.length} loads)`;
  };
  for (const x of builds) console.log(`${x.dist}: first chart ${f(x.first)}; Insights complete ${f(x.insights)}`);
  console.log(`load ${load.map((l) => l.toFixed(1)).join(' to ')}`);
} finally {
  await context.close();
  for (const x of builds) await x.meterd.stop();
  rmSync(profile, { recursive: true, force: true });
}
