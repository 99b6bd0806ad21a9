// The colours of the charts, read from the page's CSS variables so light and dark each have
// their own, and one colour per meter wherever it is drawn.

export const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];
/** What is not one meter: totals, estimates, the other period of an overlay. */
export const TOTAL = '--c-total';
export const OTHER = '--c-other';

/**
 * Each meter's colour variable, the same in every chart: its place among all the meters'
 * ids in sorted order, so neither the selection nor the order of a reply changes it.
 */
export function meterColors(ids: readonly string[]): Map<string, string> {
  return new Map([...new Set(ids)].sort().map((id, i) => [id, PALETTE[i % PALETTE.length]]));
}


/** A CSS variable's value in the current theme. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
