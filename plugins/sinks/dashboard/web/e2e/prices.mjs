// Day-ahead prices for the end-to-end run: a price file of 15-min prices, read by the
// price_feed source, from the history's start through the end of tomorrow (local), and the
// figures the price card must show worked out from the file itself.
import { writeFileSync } from 'node:fs';

const QUARTER = 900_000;
const HOUR = 3_600_000;
const ZONE = 'Europe/Zurich';
const localHour = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' });
const localDay = new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE });

/**
 * Each hour's four quarters a little dearer one after the other; the hours of a day ordered
 * by (7 × hour + day) mod 24, so every hour has its own price and the cheapest differ by day.
 */
export function priceAt(t) {
  const hour = Number(localHour.format(t));
  const day = Math.floor(t / (24 * HOUR));
  const quarter = Math.floor((t % HOUR) / QUARTER);
  return Number((0.08 + 0.004 * ((hour * 7 + day) % 24) + 0.0005 * quarter).toFixed(4));
}

/** Writes `start_ms,price` lines from `from` (rounded down to a quarter) to the end of the local day after `now`. */
export function writePriceFile(file, from, now) {
  const tomorrow = localDay.format(now + 24 * HOUR);
  const rows = ['start,price'];
  const points = [];
  for (let t = Math.floor(from / QUARTER) * QUARTER; localDay.format(t) <= tomorrow; t += QUARTER) {
    const p = priceAt(t);
    points.push({ t, p });
    rows.push(`${t},${p}`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
  return points;
}

/** The mean of the prices starting in [from, to). */
export function marketMean(points, from, to) {
  const inside = points.filter((x) => x.t >= from && x.t < to);
  return inside.reduce((a, x) => a + x.p, 0) / inside.length;
}

/** Tomorrow's (local) `n` cheapest hours by their quarters' mean, in time order. */
export function cheapestTomorrow(points, now, n) {
  const tomorrow = localDay.format(now + 24 * HOUR);
  const hours = new Map();
  for (const x of points.filter((x) => localDay.format(x.t) === tomorrow)) {
    const start = Math.floor(x.t / HOUR) * HOUR;
    hours.set(start, [...(hours.get(start) ?? []), x.p]);
  }
  const means = [...hours].map(([start, ps]) => ({ start, mean: ps.reduce((a, p) => a + p, 0) / ps.length }));
  return means.sort((a, b) => a.mean - b.mean).slice(0, n).sort((a, b) => a.start - b.start);
}
