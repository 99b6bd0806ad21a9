// Two builds of the front end timed against each other at the same moment: each is served by
// its own meterd (ten days of simulated history), and their History and Insights loads with the
// CPU slowed 4x alternate, so the machine's load weighs on both alike. Prints each build's
// median and spread of the time to the first chart and to a complete Insights page.
//
//   METERD_BIN=../../../../build/meterd node e2e/compare-builds.mjs <dist A> <dist B> [loads]
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { servedBuilds } from './meterd-instance.mjs';
import { othersParked, timesAtSlowCpu } from './wire.mjs';

const [a, b] = process.argv.slice(2, 4).map((d) => resolve(d));
const loads = Number(process.argv[4] ?? 6);
if (!a || !b) throw new Error('usage: node e2e/compare-builds.mjs <dist A> <dist B> [loads]');
const served = await servedBuilds([a, b]);
const { context } = served;
const builds = served.builds.map((x) => ({ ...x, first: [], insights: [] }));
const load = [loadavg()[0]];
try {
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
  await served.close();
}
