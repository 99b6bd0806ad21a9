// Audits of the dashboard, called by e2e/run.mjs (the session ends with them): axe-core (from node_modules, run
// in the page through the DevTools protocol, which the page's Content-Security-Policy does not
// restrict) on every view in light and dark, failing on serious and critical violations; every
// view in every language checked for untranslated text, raw quantity names and raw JSON; and
// the JSON each view loads with the times at a 4x slower CPU (e2e/wire.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openView, trackRequests, VIEWS } from './page-settle.mjs';
import { loadDictionaries, textProblems } from './rendered-text.mjs';
import { jsonPerView, timesAtSlowCpu, WIRE_LIMIT_BYTES } from './wire.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// Option names of the config file, quoted on purpose in the settings' notes.
const CONFIG_KEYS = ['price_ht', 'price_nt', 'ht_schedule', 'fixed_fee_per_month'];

/** Serious and critical axe violations of the page as it is now, one line each. */
export async function axeViolations(page) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

export async function runAudits({ context, base, web, check, assert, log }) {
  const page = await context.newPage();
  const tracker = trackRequests(page);
  await page.goto(`${base}/#/now`);
  const meterIds = (await page.evaluate(async () => (await (await fetch('/api/meters')).json()).meters.map((m) => m.id)));
  const allowed = [...CONFIG_KEYS, ...meterIds.flatMap((id) => id.match(/[a-z][a-z0-9]*(?:_[a-z0-9]+)+/g) ?? [])];

  await check('accessibility: no serious or critical axe-core violations on any view, light and dark', async () => {
    const found = [];
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [view] of VIEWS) {
        await openView(page, tracker, base, view);
        for (const v of await axeViolations(page)) found.push(`${view}/${scheme}: ${v}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    assert(found.length === 0, `${found.length} violations: ${found.join(' | ')}`);
  });

  await check('language: every view in English, German, French and Italian shows no untranslated text, identifier or JSON', async () => {
    const dicts = await loadDictionaries(web);
    const found = [];
    for (const lang of ['en', 'de', 'fr', 'it']) {
      await page.selectOption('#lang', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      for (const [view] of VIEWS) {
        await openView(page, tracker, base, view);
        for (const p of await textProblems(page, dicts, lang, allowed)) found.push(`${lang}/${view}: ${p}`);
      }
    }
    await page.selectOption('#lang', 'en');
    assert(found.length === 0, `${found.length} problems: ${found.slice(0, 12).join(' | ')}`);
  });
  await page.close();

  await check(`wire: no view loads more than ${WIRE_LIMIT_BYTES / 1024} KB of JSON`, async () => {
    const rows = await jsonPerView(context, base);
    for (const r of rows) log(`wire: ${r.view}: ${(r.bytes / 1024).toFixed(1)} KB of JSON in ${r.requests} requests`);
    const over = rows.filter((r) => r.bytes > WIRE_LIMIT_BYTES);
    assert(over.length === 0, `over the limit: ${over.map((r) => `${r.view} ${(r.bytes / 1024).toFixed(0)} KB`).join(', ')}`);
  });

  await check('wire: first chart and a complete Insights page are timed with the CPU slowed 4x', async () => {
    const t = await timesAtSlowCpu(context, base);
    const f = (s) => `median ${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)}, ${s.n} loads)`;
    log(`timing at ${t.throttle}x slower CPU: first chart ${f(t.firstChartMs)} (target < 1000); Insights complete ${f(t.insightsMs)} (target < 1500); load ${t.load.map((l) => l.toFixed(1)).join(' to ')}`);
    // Times are reported, never asserted: the machine is shared.
    assert(t.firstChartMs.n > 0 && t.insightsMs.n > 0, 'nothing was timed');
  });

  // Last, as it ends the session (the caller logs in again).
  await check('accessibility and language: the login page, light and dark, in every language', async () => {
    await context.clearCookies();
    const login = await context.newPage();
    await login.goto(`${base}/`);
    await login.waitForSelector('#password');
    const dicts = await loadDictionaries(web);
    const found = [];
    for (const scheme of ['light', 'dark']) {
      await login.emulateMedia({ colorScheme: scheme });
      for (const v of await axeViolations(login)) found.push(`login/${scheme}: ${v}`);
    }
    for (const lang of ['de', 'fr', 'it', 'en']) {
      await login.selectOption('#lang', lang);
      await login.waitForFunction((l) => document.documentElement.lang === l, lang);
      await login.waitForSelector('#password');
      for (const p of await textProblems(login, dicts, lang, allowed)) found.push(`${lang}/login: ${p}`);
    }
    await login.close();
    assert(found.length === 0, `${found.length} problems: ${found.slice(0, 12).join(' | ')}`);
  });
}
