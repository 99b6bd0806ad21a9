// Comparisons that compare like with like: a change in percent only between rows of the same
// kind (both whole periods, or both the same elapsed part) whose data covers the same share
// of their time; otherwise the row says why there is none.
import type { EnergyPeriod } from './api';

/** Coverages closer than this count as the same. */
export const COVERAGE_TOLERANCE = 0.01;

export type Verdict = { change: number } | { none: 'noData' | 'coverage' | 'partial' };

export function compareRows(current: EnergyPeriod | null | undefined, other: EnergyPeriod | null | undefined): Verdict {
  if (!current || !other || current.wh == null || other.wh == null || other.wh === 0) return { none: 'noData' };
  if (!!current.partial !== !!other.partial) return { none: 'partial' };
  if (Math.abs(current.coverage - other.coverage) > COVERAGE_TOLERANCE) return { none: 'coverage' };
  return { change: current.wh / other.wh - 1 };
}
