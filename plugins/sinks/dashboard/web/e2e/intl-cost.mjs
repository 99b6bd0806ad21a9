// What the first date format of a fresh page costs with Chromium's CPU slowed 4x: the first
// Intl.DateTimeFormat of a page loads the locale's and the time zones' data, whichever format
// comes first (the browser's own zone, as uPlot looks it up when loaded, or a named zone, as
// the dashboard's axes and dates use); the next ones cost little. Blank pages, no meterd.
//
//   node e2e/intl-cost.mjs [loads]
import { chromium } from 'playwright-core';

const loads = Number(process.argv[2] ?? 3);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ locale: 'en-GB' });
  for (let i = 0; i < loads; i++) {
    for (const order of [['zone', 'browser'], ['browser', 'zone']]) {
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 4 });
      await page.goto('data:text/html,<p>meterd</p>');
      const ms = await page.evaluate((first) => first.map((what) => {
        const t = performance.now();
        if (what === 'zone') new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Zurich', hour: 'numeric' }).format(Date.now());
        else void new Intl.DateTimeFormat().resolvedOptions().timeZone;
        return `${what} ${(performance.now() - t).toFixed(1)} ms`;
      }), order);
      console.log(ms.join(', then '));
      await page.close();
    }
  }
} finally {
  await browser.close();
}
