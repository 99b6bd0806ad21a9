// The page's address holds every view's state (#/history?range=month&date=2026-11-01&meter=…),
// so Back steps through what was shown and any view can be bookmarked or sent on.

export interface Route { view: string; params: URLSearchParams }

export function parseRoute(hash = location.hash): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  return { view: q < 0 ? body : body.slice(0, q), params: new URLSearchParams(q < 0 ? '' : body.slice(q + 1)) };
}

export function routeHash(view: string, params: URLSearchParams | Record<string, string | null | undefined>): string {
  const p = params instanceof URLSearchParams ? params : new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] != null && e[1] !== ''));
  const q = p.toString();
  return `#/${view}${q ? `?${q}` : ''}`;
}

/**
 * Records a change made inside a view as a new entry of the history (no re-render: the view
 * already shows it); Back then fires hashchange and the shell renders the older address.
 */
export function pushRoute(view: string, params: Record<string, string | null | undefined>, replace = false): void {
  const hash = routeHash(view, params);
  if (hash === location.hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}

/** A local calendar date as YYYY-MM-DD, and back to its local midnight. */
export function isoDate(c: { year: number; month: number; day: number }): string {
  return `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

export function parseIsoDate(s: string | null | undefined): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { year, month, day } : null;
}
