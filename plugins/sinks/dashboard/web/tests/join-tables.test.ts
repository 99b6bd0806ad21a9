import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { joinTables, lineTable } from '../src/chart';
import { withGaps, type Line } from '../src/shape';

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

describe('lineTable', () => {
  const gapped = (lines: Line[], gap: number) => joinTables(lines.map((l) => withGaps({ t: l.t, v: l.v }, gap) as uPlot.AlignedData));
  it('reads lines of the same times in one pass, with the gaps withGaps draws', () => {
    const t = [0, 60_000, 120_000, 600_000, 660_000, 1_200_000];
    const lines: Line[] = [
      { t, v: [1, 2, null, 4, 5, 6] },
      { t: t.slice(), v: [10, Number.NaN, 30, 40, undefined as unknown as null, 60] },
      { t: t.slice(), v: [7, 7, 7, 7, 7, 7] },
    ];
    const table = lineTable(lines, 90_000);
    expect(table).toEqual(gapped(lines, 90_000));
    expect(table[0]).toEqual([0, 60, 120, 165, 600, 660, 705, 1200]);
    expect(table[2]).toEqual([10, null, 30, null, 40, null, null, 60]);
  });
  it('joins lines of different, repeated or single times as the general way does', () => {
    const a: Line = { t: [0, 60_000, 120_000], v: [1, 2, 3] };
    const b: Line = { t: [60_000, 120_000, 400_000], v: [4, 5, 6] };
    const r: Line = { t: [0, 60_000, 60_000], v: [1, 2, 3] };
    expect(lineTable([a, b], 90_000)).toEqual(gapped([a, b], 90_000));
    expect(lineTable([r, r], 90_000)).toEqual(gapped([r, r], 90_000));
    expect(lineTable([b], 90_000)).toEqual(withGaps(b, 90_000));
    expect(lineTable([], 90_000)).toEqual([[]]);
  });
});
