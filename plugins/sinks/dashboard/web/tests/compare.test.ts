import { describe, expect, it } from 'vitest';
import type { EnergyPeriod } from '../src/api';
import { compareRows } from '../src/compare';

const row = (wh: number | null, coverage: number, partial?: boolean): EnergyPeriod =>
  ({ start_ms: 0, end_ms: 1, wh, coverage, cost: null, source: 'register', partial });

describe('comparison rows', () => {
  it('gives a change between the same elapsed parts with the same coverage', () => {
    const v = compareRows(row(1100, 1, true), row(1000, 1, true));
    expect('change' in v && v.change).toBeCloseTo(0.1, 10);
  });
  it('gives none between a part and a whole period', () => {
    expect(compareRows(row(500, 1, true), row(1000, 1, false))).toEqual({ none: 'partial' });
  });
  it('gives none between periods whose data covers different shares', () => {
    expect(compareRows(row(1000, 1), row(600, 0.6))).toEqual({ none: 'coverage' });
    expect('change' in compareRows(row(1000, 0.995), row(990, 1))).toBe(true);  // within 1 point
  });
  it('gives none without data on either side', () => {
    expect(compareRows(row(1000, 1), row(null, 0))).toEqual({ none: 'noData' });
    expect(compareRows(null, row(1000, 1))).toEqual({ none: 'noData' });
    expect(compareRows(row(1000, 1), row(0, 1))).toEqual({ none: 'noData' });
  });
});
