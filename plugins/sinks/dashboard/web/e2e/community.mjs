// The energy community's view, called by e2e/run.mjs against the third dashboard of the live
// config (a roof PV shared by two flats): the operator's live flows, self-sufficiency, the
// allocation per member and day and the members' links; the figures against the server's
// own summary; keyboard use, 360 px, light and dark, four languages, axe; and that neither a
// member's link nor a visitor without a session reaches the view or its data, nor does a
// dashboard without a community show it.
import { join } from 'node:path';
import { axeViolations } from './accessibility.mjs';
import { loadDictionaries, textProblems } from './rendered-text.mjs';

const PASSWORD = 'e2e-admin-secret';
const ZONE = 'Europe/Zurich';

/** The billing month containing now, as the API names it. */
const thisMonth = () => new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).format(Date.now());

export async function communityChecks({ context, base, plainBase, web, check, assert, shootMatrix, shots }) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const month = thisMonth();
  const ready = async () => {
    await page.waitForSelector('#community-chart[data-days]', { timeout: 30_000 });
    await page.waitForSelector('#community-members tbody tr', { timeout: 30_000 });
    await page.waitForSelector('#community-ss-month .kpi-value[data-ratio]', { timeout: 30_000 });
  };

  await check('community: the operator sees live flows, self-sufficiency today and this month, and the allocation per member and day', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#password');
    await page.fill('#password', PASSWORD);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('nav.tabs a[data-view=community]', { timeout: 20_000 });
    const pageDays = page.waitForResponse((r) => r.url().includes(`/api/community/intervals?period=${month}&group=day`), { timeout: 30_000 })
      .then((r) => r.json());
    await page.click('nav.tabs a[data-view=community]');
    await ready();
    await page.waitForSelector('#community-production[data-w]:not([data-w=""])', { timeout: 20_000 });
    await page.waitForSelector('#community-consumption[data-w]:not([data-w=""])', { timeout: 20_000 });
    const consumption = Number(await page.getAttribute('#community-consumption', 'data-w'));
    assert(consumption > 0, `live consumption ${consumption} W`);
    // The page's figures are the server's summary of the same month. Both are asked together;
    // a reading stored between the two answers can part them, so a mismatch is asked again.
    const keys = ['production_wh', 'consumption_wh', 'local_wh', 'grid_wh', 'fed_in_wh'];
    let summary;
    let days;
    const sum = (k) => days.days.reduce((a, d) => a + d[k], 0);
    for (let tries = 0; tries < 3; tries++) {
      [summary, days] = await page.evaluate(async (p) => Promise.all([
        (await fetch(`/api/community/summary?period=${p}`)).json(), (await fetch(`/api/community/intervals?period=${p}&group=day`)).json()]), month);
      if (keys.every((k) => sum(k) === summary[k])) break;
    }
    for (const k of keys) assert(sum(k) === summary[k], `days' ${k} ${sum(k)} != summary's ${summary[k]}`);
    assert(summary.consumption_wh > 0 && summary.local_wh > 0, `no local energy in ${month}: ${JSON.stringify(summary).slice(0, 200)}`);
    // Readings keep arriving, so the page's ratio is checked against the days it was given (the
    // days against the summary above): local energy over consumption, summed, not averaged.
    const given = (await pageDays).days;
    const sumOf = (k) => given.reduce((x, d) => x + d[k], 0);
    const ratio = Number(await page.getAttribute('#community-ss-month .kpi-value', 'data-ratio'));
    assert(Math.abs(ratio - sumOf('local_wh') / sumOf('consumption_wh')) < 1e-12,
      `month's self-sufficiency ${ratio} vs the days' ${sumOf('local_wh') / sumOf('consumption_wh')}`);
    const today = await page.getAttribute('#community-ss-today .kpi-value', 'data-ratio');
    assert(today !== null && today !== '' && Number(today) >= 0 && Number(today) <= 1, `today's self-sufficiency ${today}`);
    const rows = await page.$$eval('#community-members tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-member')));
    assert(rows.join(',') === 'roof,flat1,flat2', `member rows ${rows}`);
    assert(Number(await page.getAttribute('#community-chart', 'data-days')) === days.days.length, 'a bar per day of the month');
    const legend = await page.textContent('#community-chart');
    assert(/Flat 1 \(Meier\)/.test(legend) && /Flat 2 \(Keller\)/.test(legend) && /From the grid/.test(legend), `legend: ${legend.slice(0, 200)}`);
    const bill = await page.getAttribute('#community-members tr[data-member=flat1] a.bill-link', 'href');
    const printed = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, r.headers.get('content-type')]; }, bill);
    assert(printed[0] === 200 && /text\/html/.test(printed[1]), `bill link ${bill}: ${printed}`);
    // Each download says what it holds: the chart's in the card's heading, the table's above it.
    const heads = await page.$$eval('section.card .card-head', (hs) => hs.map((hd) => [hd.querySelector('h2, h3')?.textContent,
      [...hd.querySelectorAll('[data-download]')].map((b) => b.textContent)]));
    for (const [title, buttons] of heads)
      assert(new Set(buttons).size === buttons.length, `two downloads with the same label under "${title}": ${buttons}`);
    assert(heads.some(([t, b]) => /Member/.test(t) && b.join() === 'CSV'), `the members table's own download: ${JSON.stringify(heads)}`);
    await shootMatrix(page, 'community');
  });

  await check('community: keyboard alone picks the previous month and creates the members\' links', async () => {
    await page.focus('#community-period');
    await page.keyboard.press('ArrowDown');
    const previous = await page.$eval('#community-period', (s) => s.value);
    assert(previous !== month, `the period stays ${previous}`);
    await page.waitForFunction((p) => location.hash.includes(`period=${p}`), previous, { timeout: 10_000 });
    await ready();
    await page.focus('#create-member-links');
    await page.keyboard.press('Enter');
    await page.waitForSelector('ul.member-links li', { timeout: 10_000 });
    const focused = await page.evaluate(() => document.activeElement?.id);
    assert(focused === 'member-link-roof', `focus after creating: ${focused}`);
    await page.keyboard.press('Tab');
    const copy = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert(copy === 'Copy the link of Roof PV (owner)', `next in tab order: ${copy}`);
    await page.setViewportSize({ width: 360, height: 900 });
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, 'community-links-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await check('community: a member\'s link shows its own bill only, never the community view or another member\'s data', async () => {
    const links = await page.$$eval('ul.member-links input', (xs) => xs.map((x) => [x.getAttribute('data-member'), x.value]));
    assert(links.length === 3, `${links.length} links`);
    for (const [member, url] of links) {
      const token = new URL(url).pathname.split('/')[2];
      // Through the link's own address; the admin's cookie of this browser is not what answers.
      const shared = await context.newPage();
      await shared.goto(`${url.replace(/^http:\/\/[^/]+/, base)}#/community`);
      await shared.waitForSelector('p.scope', { timeout: 20_000 });
      assert(await shared.locator('nav.tabs a[data-view=community]').count() === 0, `${member}: a Community tab`);
      assert(await shared.locator('#community-chart, #create-member-links').count() === 0, `${member}: the community view`);
      const answers = await shared.evaluate(async ({ t, p }) => {
        const get = async (path) => { const r = await fetch(`/s/${t}/api/${path}`); return [r.status, await r.text()]; };
        return {
          own: await get(`community-bill?period=${p}`),
          others: await Promise.all(['roof', 'flat1', 'flat2'].map((m) => get(`community-bill?period=${p}&member=${m}`))),
          closed: await Promise.all([`community/now`, `community/intervals?period=${p}&group=day`, `community/summary?period=${p}`, 'community'].map(get)),
        };
      }, { t: token, p: month });
      assert(answers.own[0] === 200 && JSON.parse(answers.own[1]).member === member, `${member}: own bill ${answers.own[0]}`);
      ['roof', 'flat1', 'flat2'].forEach((m, i) => {
        if (m !== member) assert(answers.others[i][0] === 404, `${member} reached ${m}'s bill: ${answers.others[i][0]}`);
      });
      for (const [status, body] of answers.closed) assert(status === 404 && !/_wh|_w"/.test(body), `${member}: ${status} ${body.slice(0, 80)}`);
      await shared.close();
    }
    // No session at all: refused, and the page asks for the password.
    for (const path of ['community/now', `community/intervals?period=${month}&group=day`, 'community'])
      assert((await fetch(`${base}/api/${path}`)).status === 401, `${path} without a session`);
  });

  await check('community: a dashboard without a community shows no Community tab', async () => {
    const plain = await context.newPage();
    await plain.goto(`${plainBase}/#/community`);
    await plain.waitForSelector('nav.tabs', { timeout: 20_000 });
    assert(await plain.locator('nav.tabs a[data-view=community]').count() === 0, 'a Community tab without a community');
    assert(await plain.locator('#community-chart').count() === 0, 'the community view without a community');
    const settings = await plain.evaluate(async () => (await fetch('/api/settings')).json());
    assert(settings.community === null, `settings.community ${settings.community}`);
    await plain.close();
  });

  await check('community: no sideways scrolling at 360 px, every label translated, no serious axe violations, light and dark', async () => {
    const dicts = await loadDictionaries(web);
    const found = [];
    await page.goto(`${base}/#/community`);
    await ready();
    await page.click('#create-member-links');
    await page.waitForSelector('ul.member-links li');
    for (const lang of ['en', 'de', 'fr', 'it']) {
      await page.selectOption('#lang', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await ready();
      await page.click('#create-member-links');
      await page.waitForSelector('ul.member-links li');
      for (const p of await textProblems(page, dicts, lang, [])) found.push(`${lang}: ${p}`);
      await page.setViewportSize({ width: 360, height: 900 });
      await page.waitForTimeout(400);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      if (w > 360) found.push(`${lang}: ${w} px wide at 360`);
      await page.evaluate(() => window.scrollTo(0, 0));
      if (lang === 'de') await page.screenshot({ path: join(shots, 'community-de-360.png'), fullPage: true });
      await page.setViewportSize({ width: 1400, height: 900 });
      if (lang === 'fr') await page.screenshot({ path: join(shots, 'community-fr-1400.png'), fullPage: true });
    }
    await page.selectOption('#lang', 'en');
    await ready();
    await page.click('#create-member-links');
    await page.waitForSelector('ul.member-links li');
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(800);
      for (const v of await axeViolations(page)) found.push(`${scheme}: ${v}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    assert(found.length === 0, `${found.length} problems: ${found.slice(0, 12).join(' | ')}`);
  });

  await check('community: no uncaught script errors', async () => { assert(errors.length === 0, errors.join('; ')); });
  await page.close();
}
