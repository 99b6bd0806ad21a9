// When a dashboard page is done: its view's marker is there, no card still says it is loading,
// and no API request (other than the live stream) has been open for a while.

/** The views of an admin session with what shows that each has drawn its main content. */
export const VIEWS = [
  ['now', '#total-power[data-w]:not([data-w=""])'],
  ['history', '#compare-table tbody tr'],
  ['insights', '#htnt dl.pairs, #htnt .msg-empty'],
  ['quality', '.phase-row'],
  ['settings', '#prices'],
  ['alerts', '#alert-rules, .view-alerts .msg-empty'],
  ['sharing', '#shares-table, .msg-empty'],
];

/** Counts the page's open requests, leaving the live event stream out. */
export function trackRequests(page) {
  const open = new Set();
  let last = Date.now();
  const live = (r) => r.resourceType() === 'eventsource' || r.url().includes('/api/live');
  page.on('request', (r) => { if (!live(r)) { open.add(r); last = Date.now(); } });
  const done = (r) => { if (open.delete(r)) last = Date.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return { idleFor: () => (open.size ? 0 : Date.now() - last) };
}

/** Waits until `ready` is shown, nothing says "loading" and the network has been quiet for `quietMs`. */
export async function settle(page, tracker, ready, quietMs = 400, timeout = 30_000) {
  await page.waitForSelector(ready, { timeout });
  await page.waitForFunction(() => !document.querySelector('main .msg-info, .card .msg-info'), null, { timeout });
  const end = Date.now() + timeout;
  while (tracker.idleFor() < quietMs) {
    if (Date.now() > end) throw new Error('the page never stopped loading');
    await page.waitForTimeout(100);
  }
}

/** Opens `view` by its address (a fresh page load when `reload`) and waits until it is settled. */
export async function openView(page, tracker, base, view, { reload = false } = {}) {
  const ready = VIEWS.find(([v]) => v === view)[1];
  if (reload) await page.goto(`${base}/#/${view}`);
  else await page.evaluate((v) => { location.hash = `#/${v}`; }, view);
  await settle(page, tracker, ready);
}
