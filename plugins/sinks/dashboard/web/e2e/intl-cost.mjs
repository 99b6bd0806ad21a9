// What the first date format of a fresh page costs on its main thread with Chromium's CPU
// slowed 4x. The first Intl.DateTimeFormat of a page loads the locale's and the time zones'
// data, whichever format comes first (the browser's own zone, as uPlot looks it up when it is
// loaded, or a named zone, as the dashboard's axes and dates use); the next ones cost little.
// The third case has a worker make one format first: the data it loads is shared with the main
// thread. Blank pages from a local server, no meterd.
//
//   node e2e/intl-cost.mjs [loads]
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

const loads = Number(process.argv[2] ?? 3);
const WORKER = "new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: 'numeric' }).format(Date.now()); postMessage('done');";
const server = createServer((req, res) => {
  const worker = req.url === '/worker.js';
  res.writeHead(200, { 'Content-Type': worker ? 'text/javascript' : 'text/html' });
  res.end(worker ? WORKER : '<p>meterd</p>');
}).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ locale: 'en-GB' });
  for (let i = 0; i < loads; i++) {
    for (const order of [['zone', 'browser'], ['browser', 'zone'], ['worker', 'zone']]) {
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto(base);
      const ms = await page.evaluate(async (steps) => {
        const out = [];
        for (const what of steps) {
          const t = performance.now();
          if (what === 'zone') new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', weekday: 'short', day: 'numeric' }).format(Date.now());
          else if (what === 'browser') void new Intl.DateTimeFormat().resolvedOptions().timeZone;
          else await new Promise((r) => { new Worker('/worker.js').onmessage = r; });
          out.push(`${what} ${(performance.now() - t).toFixed(1)} ms`);
        }
        return out;
      }, order);
      console.log(ms.join(', then '));
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
