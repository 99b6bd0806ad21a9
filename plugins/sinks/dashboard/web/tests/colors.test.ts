import { describe, expect, it } from 'vitest';
import { meterColors, PALETTE } from '../src/colors';

describe('meterColors', () => {
  it('gives each meter the same colour whatever the order the meters arrive in', () => {
    const a = meterColors(['SIM-house', 'SIM-heat_pump', 'SIM-gone']);
    const b = meterColors(['SIM-gone', 'SIM-house', 'SIM-heat_pump']);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
  });

  it('gives a meter shown alone, as on a share link, the colour it has among the others', () => {
    const all = meterColors(['SIM-house', 'SIM-heat_pump', 'SIM-gone']);
    for (const id of all.keys()) expect(meterColors([id]).get(id)).toBe(all.get(id));
  });

  it('gives different meters different colours while the palette lasts', () => {
    const ids = Array.from({ length: PALETTE.length }, (_, i) => `meter-${i}`);
    expect(new Set(meterColors(ids).values()).size).toBe(PALETTE.length);
  });

  it('names one of the palette colours for every meter, more meters than colours included', () => {
    const ids = Array.from({ length: PALETTE.length + 3 }, (_, i) => `m${i}`);
    for (const v of meterColors(ids).values()) expect(PALETTE).toContain(v);
  });
});
