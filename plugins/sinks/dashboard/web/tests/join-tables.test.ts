import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { joinTables } from '../src/chart';

describe('joinTables', () => {
  it('puts the columns of tables with the same times side by side, as uPlot.join would', () => {
    const a: uPlot.AlignedData = [[1, 2, 3], [10, null, 30]];
    const b: uPlot.AlignedData = [[1, 2, 3], [4, 5, null], [7, 8, 9]];
    expect(joinTables([a, b])).toEqual([[1, 2, 3], [10, null, 30], [4, 5, null], [7, 8, 9]]);
    expect(joinTables([a, b])).toEqual(uPlot.join([a, b]));
  });
  it('joins tables with different times through uPlot', () => {
    const a: uPlot.AlignedData = [[1, 2, 3], [10, 20, 30]];
    const b: uPlot.AlignedData = [[2, 4], [5, 6]];
    expect(joinTables([a, b])).toEqual(uPlot.join([a, b]));
    expect(joinTables([a, b])[0]).toEqual([1, 2, 3, 4]);
  });
  it('leaves repeated or unsorted times to uPlot, and one table as it is', () => {
    const a: uPlot.AlignedData = [[1, 1, 2], [1, 2, 3]];
    expect(joinTables([a, a])).toEqual(uPlot.join([a, a]));
    expect(joinTables([a])).toBe(a);
  });
});
