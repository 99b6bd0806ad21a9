// A meterd for measuring the front end: ten days of simulated history imported into a fresh
// state directory, then the end-to-end live config serving `webRoot`, and a browser context
// logged in to it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { SolarHome } from './solar.mjs';

export const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = resolve(web, process.env.METERD_BIN ?? '../../../../build/meterd');

/** Starts meterd on `host`:`port` (distinct hosts keep two instances' cookies apart). */
export async function startMeterd({ webRoot = join(web, 'dist'), host = '127.0.0.1', port = 20000 + Math.floor(Math.random() * 20000) } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'meterd-measure-'));
  const config = (name, extra = {}) => {
    let text = readFileSync(join(web, 'e2e', name), 'utf8');
    const vars = { PORT: port, STATE_DIR: state, WEB_ROOT: webRoot, PRICES: `${new Date().getUTCFullYear()}-01-01 ht=0.32 nt=0.22`,
      SOLAR_PORT: port + 1, COMMUNITY_PORT: port + 2, SOLAR_HISTORY_CSV: join(state, 'solar-history.csv'), SOLAR_LIVE_CSV: join(state, 'solar-live.csv'), ...extra };
    for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`@${k}@`, String(v));
    const out = join(state, name);
    writeFileSync(out, text);
    return out;
  };
  const end = Date.now() - 5 * 60_000;
  const start = Math.floor((end - 10 * 86_400_000) / 60_000) * 60_000;
  new SolarHome(start).history(join(state, 'solar-history.csv'), end, 5 * 60_000);
  writeFileSync(join(state, 'solar-live.csv'), '');
  const imported = spawnSync(bin, ['--config', config('history-e2e.conf', {
    HISTORY_START: new Date(start).toISOString().slice(0, 19), HISTORY_COUNT: Math.floor((end - start) / 120_000), HISTORY_INTERVAL_MS: 120_000,
  })], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  if (imported.status !== 0) throw new Error('history import failed');
  const proc = spawn(bin, ['--config', config('meterd-e2e.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return {
    base: `http://${host}:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Chromium with a fresh profile, as the timing scripts load pages (desktop size, en-GB). */
export async function measuringBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'meterd-measure-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'], viewport: { width: 1280, height: 800 }, locale: 'en-GB',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One meterd per front-end build (at most two, on different host names: cookies do not tell
 * ports apart) and a measuring browser logged in to each. `close` stops them all.
 */
export async function servedBuilds(dists) {
  const builds = [];
  for (const [i, dist] of dists.entries()) builds.push({ dist, meterd: await startMeterd({ webRoot: dist, host: ['127.0.0.1', 'localhost'][i] }) });
  const browser = await measuringBrowser();
  for (const b of builds) await logIn(browser.context, b.meterd.base);
  return {
    builds,
    context: browser.context,
    async close() {
      await browser.close();
      for (const b of builds) await b.meterd.stop();
    },
  };
}

/** Logs `context` in to the dashboard at `base`, waiting for meterd to answer. */
export async function logIn(context, base) {
  const page = context.pages()[0] ?? await context.newPage();
  for (let i = 0; ; i++) {
    try { await page.goto(`${base}/`); break; } catch (e) { if (i > 100) throw e; await page.waitForTimeout(200); }
  }
  await page.waitForSelector('#password, nav.tabs');
  if (await page.locator('#password').count()) {
    await page.fill('#password', 'e2e-admin-secret');
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('nav.tabs');
  }
}

/** A fresh page with its CPU slowed `rate` times. */
export async function slowPage(context, rate = 4) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { page, cdp };
}
