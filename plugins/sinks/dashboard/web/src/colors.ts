// The colours of the charts, read from the page's CSS variables so light and dark each have
// their own, and one colour per meter wherever it is drawn.

export const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];
/** What is not one meter: totals, estimates, the other period of an overlay. */
export const TOTAL = '--c-total';
export const OTHER = '--c-other';

/** The palette slot a meter id asks for, from the id alone. */
function preferredSlot(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % PALETTE.length;
}

/**
 * Each meter's colour variable, the same in every chart: the one its id asks for, so a share
 * link that shows only some of the meters draws them as the dashboard does; two meters that
 * ask for the same one are told apart in the order of their ids, the later taking the next
 * free colour.
 */
export function meterColors(ids: readonly string[]): Map<string, string> {
  const taken = new Set<number>();
  const out = new Map<string, string>();
  for (const id of [...new Set(ids)].sort()) {
    let slot = preferredSlot(id);
    for (let k = 0; k < PALETTE.length && taken.has(slot); k++) slot = (slot + 1) % PALETTE.length;
    taken.add(slot);
    out.set(id, PALETTE[slot]);
  }
  return out;
}

/** A CSS variable's value in the current theme. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
