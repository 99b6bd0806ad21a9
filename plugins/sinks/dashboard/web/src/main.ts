// The dashboard shell: the session check (login, dashboard or share link), navigation, meter
// and language choice, and the page-wide states (session expired, link revoked, service
// unreachable).
// uPlot's few rules come with the page's own: as part of the charts' chunk they would be a
// stylesheet of their own that the first chart waits for.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { Api, ApiError, readBoot, type MeterInfo } from './api';
import { h, clear, message } from './dom';
import { I18n, LANGS, LANG_NAMES, localeOf, pickLang, type Key, type Lang } from './i18n';
import { type Ctx, type ShareScope, detailRank, shareScope, showFailure } from './context';
import { meterName } from './names';
import { cssVar, meterColors, TOTAL } from './colors';
import { type Render, VIEWS, type View, type ViewDef } from './registry';
import { parseRoute, routeHash } from './route';
import { watchAlertBadge } from './alert-badge';

const app = document.getElementById('app')!;
const shareMatch = /^\/s\/([^/]+)\/?$/.exec(location.pathname);
const token = shareMatch ? decodeURIComponent(shareMatch[1]) : null;
// The session, meters and settings come with the page when it has a session: no round trip first.
const bootData = readBoot();
const api = new Api(token, undefined, bootData);
const perf: Record<string, number> = {};
(window as unknown as { __meterdPerf: Record<string, number> }).__meterdPerf = perf;

let lang: Lang = pickLang(navigator.languages ?? [navigator.language], safeStorage('meterd.lang'));
let meters: MeterInfo[] = [];
// The meters' zone, known after start-up. The browser's zone is looked up only when needed:
// the first time zone lookup loads the time zone data, which would delay the start-up requests.
let tz: string | undefined;
let currency = 'CHF';
let share: ShareScope | null = null;
// The admin's settings say whether an energy community is configured (its view only then).
let community = false;
let generation = 0;
let cleanups: (() => void)[] = [];
let watchdog: number | undefined;

function safeStorage(key: string, value?: string): string | null {
  try {
    if (value !== undefined) localStorage.setItem(key, value);
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function i18n(): I18n {
  return new I18n(lang, localeOf(lang, navigator.languages ?? []), tz, currency);
}

function runCleanups() {
  for (const c of cleanups.splice(0)) {
    try { c(); } catch { /* a failing cleanup must not block the next view */ }
  }
}

function fullPage(text: string, kind: 'error' | 'info', actions: HTMLElement[] = []) {
  generation++;
  runCleanups();
  window.clearInterval(watchdog);
  clear(app);
  document.documentElement.lang = lang;
  app.append(h('main', { class: 'center-page', id: 'main' }, h('h1', {}, 'meterd'), message(text, kind), ...actions));
}

function showShareInvalid() {
  fullPage(i18n().t('shareInvalid'), 'error');
  app.querySelector('.msg')?.setAttribute('data-state', 'share-invalid');
}

function showLogin(note?: Key) {
  generation++;
  runCleanups();
  window.clearInterval(watchdog);
  const t = i18n();
  clear(app);
  document.documentElement.lang = lang;
  const status = h('div', { class: 'login-status', 'aria-live': 'assertive' });
  if (note) status.append(message(t.t(note), note === 'sessionExpired' ? 'error' : 'info'));
  const pw = h('input', { type: 'password', id: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn primary' }, t.t('login'));
  const form = h('form', { class: 'login card' },
    h('h1', {}, t.t('loginTitle')), status,
    h('label', { for: 'password' }, t.t('password')), pw, submit, langSwitch(() => showLogin(note)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    clear(status);
    try {
      await api.login(pw.value);
      await start();
    } catch (e) {
      const err = e as ApiError;
      status.append(message(err.status === 429 ? t.t('tooManyLogins', { s: err.retryAfter || 60 })
        : err.kind === 'unauthorized' ? t.t('wrongPassword') : err.kind === 'unreachable' ? t.t('unreachable') : t.t('error', { msg: err.message }), 'error'));
      submit.disabled = false;
      pw.focus();
    }
  });
  app.append(h('main', { class: 'center-page', id: 'main' }, form));
  pw.focus();
}

function langSwitch(rerender: () => void): HTMLElement {
  const sel = h('select', { id: 'lang', 'aria-label': i18n().t('language') },
    ...LANGS.map((l) => h('option', { value: l, selected: l === lang }, LANG_NAMES[l])));
  sel.addEventListener('change', () => {
    lang = sel.value as Lang;
    safeStorage('meterd.lang', lang);
    rerender();
  });
  return h('label', { class: 'lang' }, h('span', { class: 'sr-only' }, i18n().t('language')), sel);
}

interface Boot { meters: MeterInfo[]; tz: string; currency: string; share: ShareScope | null; community: boolean }

/**
 * What the shell needs. The session decides between dashboard, login and an invalid link; the
 * meters and the admin's settings load alongside it, so the admin page starts in one round trip.
 */
async function boot(): Promise<Boot> {
  const session = api.session();
  const list = api.meters();
  const money = token ? session.then((s) => ({ currency: s.currency, community: false }))
    : api.settings().then((s) => ({ currency: s.currency, community: !!s.community }));
  preloadView();
  // Read after the session, whose failure decides what to show; until then a rejection of
  // these must not count as unhandled.
  for (const p of [list, money]) p.catch(() => undefined);
  const s = await session;
  const [reply, cur] = await Promise.all([list, money]);
  return {
    // The browser's zone only when the server names none: finding it costs a tenth of a second.
    meters: reply.meters, tz: reply.time_zone || browserZone(), currency: cur.currency,
    share: s.kind === 'share' ? shareScope(s) : null, community: s.kind === 'admin' && cur.community,
  };
}

async function start() {
  const gen = ++generation;
  clear(app);
  app.append(h('main', { class: 'center-page', id: 'main' }, message(i18n().t('loading'))));
  let b: Boot;
  try {
    b = await boot();
  } catch (e) {
    if (gen !== generation) return;
    handleGlobal(e, () => void start());
    return;
  }
  if (gen !== generation) return;
  ({ meters, tz, currency, share, community } = b);
  perf.boot ??= performance.now();
  startWatchdog();
  renderShell();
}

/** Session, share and connectivity failures that concern the whole page. */
function handleGlobal(e: unknown, retry: () => void): boolean {
  if (e instanceof ApiError) {
    if (e.kind === 'unauthorized') {
      if (token) showShareInvalid();
      else showLogin(meters.length ? 'sessionExpired' : undefined);
      return true;
    }
    if (e.kind === 'share-invalid') {
      showShareInvalid();
      return true;
    }
  }
  const box = h('div', {});
  fullPage('', 'info');
  clear(app.querySelector('main')!);
  app.querySelector('main')!.append(h('h1', {}, 'meterd'), box);
  showFailure(ctxStub(), e, box, retry);
  if (e instanceof ApiError && e.kind === 'unreachable') {
    const timer = window.setTimeout(retry, 5000);
    cleanups.push(() => window.clearTimeout(timer));
  }
  return true;
}

function ctxStub(): Ctx {
  return makeCtx(-1, null);
}

/** Notices a revoked link or an expired session even while nothing is being clicked. */
function startWatchdog() {
  window.clearInterval(watchdog);
  watchdog = window.setInterval(() => void checkAccess(), token ? 10_000 : 30_000);
}

async function checkAccess(): Promise<void> {
  try {
    await api.session();
    setBanner(null);
  } catch (e) {
    if (e instanceof ApiError && (e.kind === 'unauthorized' || e.kind === 'share-invalid')) handleGlobal(e, () => void start());
    else if (e instanceof ApiError && e.kind === 'unreachable') setBanner(i18n().t('unreachable'));
  }
}

function setBanner(text: string | null) {
  const b = document.getElementById('banner');
  if (!b) return;
  clear(b);
  b.hidden = !text;
  if (text) b.append(text);
}

/** The view named in the address, if any. */
function hashView(): string {
  return parseRoute().view;
}

function currentView(): View {
  const avail = availableViews();
  return avail.find((v) => v.id === hashView())?.id ?? avail[0]?.id ?? 'history';
}

/** Fetches the code of the view about to be shown while the start-up requests are under way. */
function preloadView() {
  const guess = VIEWS.find((v) => v.id === hashView()) ?? VIEWS.find((v) => v.id === (token ? 'history' : 'now'))!;
  guess.load().catch(() => undefined); // a failure is reported when the view is shown
}

function availableViews(): ViewDef[] {
  return VIEWS.filter((v) => (share ? !v.admin && (!v.need || detailRank(share.detail) >= detailRank(v.need)) : true)
    && (!v.community || (community && !share)));
}

let storedMeter: string | null = safeStorage('meterd.meter');
/** The meter in the address (a bookmark names it), else the one chosen last; '' is all meters. */
function selectedMeter(): string | null {
  const m = parseRoute().params.get('meter');
  return m === null ? storedMeter : m || null;
}

function makeCtx(gen: number, main: HTMLElement | null): Ctx {
  const t = i18n();
  const colors = meterColors(meters.map((m) => m.id));
  const ctx: Ctx = {
    api, i18n: t, meters, tz: tz ?? browserZone(), share, perf,
    name: (id) => meterName(meters, id),
    color: (id) => cssVar(colors.get(id) ?? TOTAL),
    meter: meters.some((m) => m.id === selectedMeter()) ? selectedMeter() : null,
    // A share's last instant: its latest period is the last one inside the link's range.
    now: () => (share ? Math.min(Date.now(), share.to - 1) : Date.now()),
    earliest: () => (share ? share.from : 0),
    detailAtLeast: (d) => !share || detailRank(share.detail) >= detailRank(d),
    selected: () => (ctx.meter ? [ctx.meter] : meters.map((m) => m.id)),
    alive: () => gen === generation,
    fail: (err, where, retry) => {
      if (gen !== generation) return;
      if (err instanceof ApiError && (err.kind === 'unauthorized' || err.kind === 'share-invalid')) {
        handleGlobal(err, () => void start());
        return;
      }
      showFailure(ctx, err, where, retry);
      if (err instanceof ApiError && err.kind === 'unreachable') setBanner(t.t('unreachable'));
    },
    onCleanup: (fn) => cleanups.push(fn),
    checkAccess: () => void checkAccess(),
  };
  void main;
  return ctx;
}

/**
 * Shows the shell with the view of the address. The view's code is awaited before the page
 * changes: a shell shown while that code still loads would be laid out and painted on its own,
 * one layout and one paint more before the view's first chart.
 */
function renderShell() {
  const gen = ++generation;
  const def = VIEWS.find((v) => v.id === currentView())!;
  const code = def.load();
  code.catch(() => undefined).then(() => {
    if (gen === generation) showShell(gen, def, code);
  });
}

function showShell(gen: number, def: ViewDef, code: Promise<Render>) {
  runCleanups();
  const t = i18n();
  const view = def.id;
  document.documentElement.lang = lang;
  document.title = `meterd – ${t.t(view)}`;
  clear(app);
  const nav = h('nav', { class: 'tabs', 'aria-label': 'meterd' },
    ...availableViews().map((v) => h('a', { href: routeHash(v.id, { meter: parseRoute().params.get('meter') }), class: v.id === view ? 'tab active' : 'tab', 'aria-current': v.id === view ? 'page' : undefined, 'data-view': v.id }, t.t(v.id))));
  const meterSel = h('select', { id: 'meter', 'aria-label': t.t('meter') },
    h('option', { value: '' }, t.t('allMeters')),
    ...meters.map((m) => h('option', { value: m.id, selected: m.id === selectedMeter() }, meterName(meters, m.id))));
  meterSel.addEventListener('change', () => {
    storedMeter = meterSel.value || null;
    safeStorage('meterd.meter', meterSel.value);
    // A new entry of the history: Back returns to the meter shown before.
    const r = parseRoute();
    r.params.set('meter', meterSel.value);
    history.pushState(null, '', routeHash(view, r.params));
    renderShell();
  });
  const tools = h('div', { class: 'tools' },
    h('label', { class: 'meter-pick' }, h('span', { class: 'sr-only' }, t.t('meter')), meterSel),
    langSwitch(renderShell),
    token ? null : h('button', { type: 'button', class: 'btn ghost', id: 'logout', onclick: async () => {
      await api.logout().catch(() => undefined);
      meters = [];
      showLogin();
    } }, t.t('logout')));
  const header = h('header', { class: 'top' },
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); document.getElementById('main')?.focus(); } }, t.t('skip')),
    h('div', { class: 'brand' }, h('strong', {}, 'meterd'), token ? h('span', { class: 'badge' }, t.t('sharedView')) : null),
    h('div', { class: 'tabs-wrap' }, nav), tools);
  const banner = h('div', { id: 'banner', class: 'banner', role: 'alert', hidden: true });
  const main = h('main', { id: 'main', tabindex: '-1', class: `view view-${view}` });
  app.append(header, banner, main);
  if (share) main.append(scopeLine(t, share));
  const ctx = makeCtx(gen, main);
  code.then((render) => (ctx.alive() ? render(ctx, main) : undefined)).catch((e) => ctx.fail(e, main, renderShell));
  keepTabInView(nav);
  if (!token) watchAlertBadge(api, t, nav.querySelector<HTMLElement>('[data-view="alerts"]'), (fn) => cleanups.push(fn));
}

/**
 * A tab bar wider than the screen scrolls; a fade on the side where more tabs hide says so, and
 * the active tab is scrolled into the middle.
 */
function keepTabInView(nav: HTMLElement) {
  const wrap = nav.parentElement!;
  const cue = () => {
    wrap.classList.toggle('more-left', nav.scrollLeft > 2);
    wrap.classList.toggle('more-right', nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 2);
  };
  const active = nav.querySelector<HTMLElement>('.tab.active');
  const centre = () => {
    if (active) nav.scrollLeft = active.offsetLeft - nav.offsetLeft - (nav.clientWidth - active.offsetWidth) / 2;
    cue();
  };
  nav.addEventListener('scroll', cue, { passive: true });
  // Centred in the first frame, after the view has sent its requests (a layout forced here would
  // hold them up), and again on a turned phone or a resized window.
  const frame = requestAnimationFrame(centre);
  cleanups.push(() => cancelAnimationFrame(frame));
  const ro = new ResizeObserver(centre);
  ro.observe(nav);
  cleanups.push(() => ro.disconnect());
}

/** The share's label, meters, dates, detail and expiry, as its session reports them. */
function scopeLine(t: I18n, s: ShareScope): HTMLElement {
  const text = t.t('sharedScope', {
    m: s.meters.map((id) => meterName(meters, id)).join(', '), from: t.date(s.from), to: t.date(s.to - 1), d: t.t(`detail_${s.detail}` as Key),
  });
  return h('p', { class: 'scope', 'data-meters': s.meters.join(','), 'data-from': s.from, 'data-to': s.to, 'data-detail': s.detail },
    s.label ? h('strong', {}, `${s.label}: `) : null, text, s.expires == null ? null : h('span', { class: 'scope-expiry' }, `, ${t.t('validUntil', { d: t.expiry(s.expiresDate, s.expires) })}`));
}

window.addEventListener('hashchange', () => {
  if (meters.length || share) renderShell();
});
window.addEventListener('online', () => void checkAccess());
// Charts take their colours when drawn: a switch between light and dark draws them again.
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => {
  if (meters.length || share) renderShell();
});

void start();
