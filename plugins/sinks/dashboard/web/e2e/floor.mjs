// What a page costs before any of the dashboard's own work, with Chromium's CPU slowed 4x: the
// time to the first frame of a blank page and of a page that only loads the chart library
// (uPlot), the part of the first-chart budget spent before any data or drawing; of a page that
// waits for a worker to load the date formats' data, made by its first script; and, for
// comparison, of a page that only fetches one day of minutes for four lines (three meters and
// their total, as History's first chart) and draws it with uPlot's default options. Loads
// alternate between the pages, so the machine's load weighs on each alike. The dashboard's own
// first chart is timed by e2e/wire.mjs in the end-to-end run.
//
//   node e2e/floor.mjs [loads]
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { web } from './meterd-instance.mjs';

const loads = Number(process.argv[2] ?? 9);
const FRAME = "requestAnimationFrame(() => { window.__firstFrame = performance.now(); });";
const PAGES = {
  blank: FRAME,
  library: `import uPlot from 'uplot'; window.__uPlot = uPlot; ${FRAME}`,
  // The locale's and zones' data loaded by a worker made as soon as the page's first script runs,
  // the page waiting for its answer.
  worker: `const w = new Worker('/warm.js');
await new Promise((r) => { w.onmessage = r; });
${FRAME}`,
  chart: `import uPlot from 'uplot';
const data = await (await fetch('/day.json')).json();
new uPlot({ width: 1200, height: 300, series: [{}, { stroke: '#555', fill: '#5555' }, { stroke: '#c33' }, { stroke: '#36c' }, { stroke: '#3a3' }] },
  data, document.getElementById('app'));
${FRAME}`,
};

/** One day of minute means in W for three meters and their total, x in seconds. */
function day() {
  const start = Math.floor(Date.now() / 86_400_000) * 86_400;
  const t = Array.from({ length: 1440 }, (_, i) => start + 60 * i);
  const meters = [400, 1500, 200].map((base, k) => t.map((_, i) => Math.round(base * (1 + Math.sin((i + 300 * k) / 90)) + ((i * 7919 + k * 104729) % 97))));
  return [t, t.map((_, i) => meters.reduce((sum, m) => sum + m[i], 0)), ...meters];
}

const files = {
  '/day.json': ['application/json', JSON.stringify(day())],
  '/warm.js': ['text/javascript', "new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: 'numeric' }).format(Date.now()); postMessage(1);"],
};
for (const [name, code] of Object.entries(PAGES)) {
  const out = await build({ stdin: { contents: code, resolveDir: web, loader: 'js' }, bundle: true, format: 'esm', minify: true, write: false, logLevel: 'warning' });
  files[`/${name}.js`] = ['text/javascript', out.outputFiles[0].text];
  files[`/${name}`] = ['text/html', `<!doctype html><html lang="en"><head><meta charset="utf-8"><script type="module" src="/${name}.js"></script></head><body><div id="app"></div></body></html>`];
}
const server = createServer((req, res) => {
  const f = files[req.url];
  res.writeHead(f ? 200 : 404, { 'Content-Type': f?.[0] ?? 'text/plain' });
  res.end(f?.[1] ?? '');
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const load = [loadavg()[0]];
try {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
  const times = Object.fromEntries(Object.keys(PAGES).map((p) => [p, []]));
  for (let i = 0; i < loads; i++) {
    for (const name of Object.keys(PAGES)) {
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(`${base}/${name}`, { waitUntil: 'commit' });
      times[name].push(await (await page.waitForFunction(() => window.__firstFrame, null, { timeout: 60_000 })).jsonValue());
      await page.close();
    }
  }
  load.push(loadavg()[0]);
  for (const [name, v] of Object.entries(times)) {
    const s = v.sort((a, b) => a - b);
    console.log(`${name}: first frame median ${s[Math.floor(s.length / 2)].toFixed(0)} ms (${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)}, ${s.length} loads)`);
  }
  console.log(`CPU slowed 4x; load ${load.map((l) => l.toFixed(1)).join(' to ')}`);
} finally {
  await browser.close();
  server.close();
}
