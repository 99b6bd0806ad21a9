import { describe, expect, it } from 'vitest';
import { balanceTotal, type BalanceNowReply, type BalancePeriod, direction, flowModel, solarBars } from '../src/solar';

const names = { grid: 'Grid', pv: 'Solar', battery: 'Battery', house: 'House' };
const role = (meter: string, r: 'grid' | 'pv' | 'battery' | 'consumer', kind: string = r) => ({ meter, name: meter, role: r, kind });

function period(p: Partial<BalancePeriod>): BalancePeriod {
  return { start_ms: 0, end_ms: 1, import_wh: null, export_wh: null, production_wh: null, self_consumed_wh: null, fed_in_wh: null,
    consumption_wh: null, own_supply_wh: null, self_sufficiency: null, self_consumption_rate: null, coverage: 1, consumers: [], ...p };
}

describe('flowModel', () => {
  it('draws the roles present, the house in the middle and sub-meters drawing from it', () => {
    const r: BalanceNowReply = {
      now_ms: 0, roles: [role('g', 'grid'), { ...role('p', 'pv'), production_w: 3200 }, { ...role('hp', 'consumer', 'heat_pump'), import_w: 900 }],
      flows: { grid_w: -1100, production_w: 3200, consumption_w: 2100, self_consumed_w: 2100, battery_w: null },
    };
    const m = flowModel(r, names);
    expect(m.nodes.map((n) => n.id)).toEqual(['grid', 'pv', 'house', 'hp']);
    expect(m.edges).toEqual([{ node: 'grid', w: -1100 }, { node: 'pv', w: 3200 }, { node: 'hp', w: -900 }]);
    expect(direction(-1100)).toBe('out');
    expect(direction(3200)).toBe('in');
    expect(direction(2)).toBe('none');
    expect(direction(null)).toBe('none');
  });
  it('shows only grid and house for a grid meter alone', () => {
    const m = flowModel({ now_ms: 0, roles: [role('g', 'grid')], flows: { grid_w: 400, production_w: null, consumption_w: null, self_consumed_w: null, battery_w: null } }, names);
    expect(m.nodes.map((n) => n.kind)).toEqual(['grid', 'house']);
    expect(m.nodes[1].w).toBeNull();
  });
});

describe('balanceTotal and solarBars', () => {
  it('sums the periods and takes the ratios of the sums, not the mean of the ratios', () => {
    const ps = [
      period({ import_wh: 100, export_wh: 900, production_wh: 1000, self_consumed_wh: 100, fed_in_wh: 900, consumption_wh: 200, own_supply_wh: 100 }),
      period({ import_wh: 700, export_wh: 0, production_wh: 100, self_consumed_wh: 100, fed_in_wh: 0, consumption_wh: 800, own_supply_wh: 100 }),
      period({}),  // nothing known: counts in no sum
    ];
    const t = balanceTotal(ps);
    expect(t.consumption_wh).toBe(1000);
    expect(t.self_sufficiency).toBeCloseTo(0.2, 12);
    expect(t.self_consumption_rate).toBeCloseTo(200 / 1100, 12);
    const bars = solarBars(ps);
    expect(bars.self).toEqual([0.1, 0.1, null]);
    expect(bars.fedIn).toEqual([0.9, 0, null]);
    expect(bars.imported).toEqual([0.1, 0.7, null]);
  });
  it('takes self-sufficiency from own supply, so PV stored in a battery counts when it reaches the house', () => {
    // Noon: 2000 Wh PV, 1200 into the battery, 300 out, the house 500. Night: the grid charges
    // 1000 Wh and the house uses 300. Morning: the battery gives the house 400.
    const t = balanceTotal([
      period({ import_wh: 0, export_wh: 300, production_wh: 2000, self_consumed_wh: 1700, fed_in_wh: 300, consumption_wh: 500, own_supply_wh: 500 }),
      period({ import_wh: 1300, export_wh: 0, production_wh: 0, self_consumed_wh: 0, fed_in_wh: 0, consumption_wh: 300, own_supply_wh: -1000 }),
      period({ import_wh: 0, export_wh: 0, production_wh: 0, self_consumed_wh: 0, fed_in_wh: 0, consumption_wh: 400, own_supply_wh: 400 }),
    ]);
    expect(t.consumption_wh).toBe(1200);
    expect(t.own_supply_wh).toBe(-100);
    expect(t.self_sufficiency).toBe(0);  // more came from the grid than the house used; self-consumed PV / consumption would say 100 %
  });
  it('leaves the ratios unknown for a grid meter alone and still shows what went out', () => {
    const t = balanceTotal([period({ import_wh: 300, export_wh: 50 })]);
    expect(t.self_sufficiency).toBeNull();
    expect(t.production_wh).toBeNull();
    expect(solarBars([period({ import_wh: 300, export_wh: 50 })]).fedIn).toEqual([0.05]);
  });
});
