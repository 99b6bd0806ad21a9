// The household energy balance from the sink's meter roles: what the API answers, the model
// of the live energy-flow diagram, and the sums the solar cards show. Pure, so it is tested
// without a page; the views draw it (solar-views.ts).
import type { Api } from './api';

export type Role = 'grid' | 'pv' | 'battery' | 'consumer';
export interface RoleMeter { meter: string; name: string; role: Role; kind: string }
export interface BalancePeriod {
  start_ms: number; end_ms: number;
  import_wh: number | null; export_wh: number | null; production_wh: number | null; self_consumed_wh: number | null;
  fed_in_wh: number | null; consumption_wh: number | null;
  /** consumption − import: what PV and battery gave the house (negative when the grid charged the battery more). */
  own_supply_wh: number | null;
  self_sufficiency: number | null; self_consumption_rate: number | null;
  coverage: number; consumers: { meter: string; kind: string; wh: number | null; share: number | null }[];
}
export interface BalanceReply {
  period: string; roles: RoleMeter[]; known: { grid: boolean; production: boolean; consumption: boolean }; periods: BalancePeriod[];
}
export interface NowRole extends RoleMeter { import_w?: number | null; export_w?: number | null; production_w?: number | null }
export interface BalanceNowReply {
  now_ms: number; roles: NowRole[];
  flows: { grid_w: number | null; production_w: number | null; consumption_w: number | null; self_consumed_w: number | null; battery_w: number | null };
}

export function fetchBalance(api: Api, meters: string[] | null, period: string, from: number, to: number): Promise<BalanceReply> {
  return api.get<BalanceReply>('balance', { period, from: Math.floor(from), to: Math.ceil(to), meters: meters?.length ? meters.join(',') : undefined });
}
export function fetchBalanceNow(api: Api, meters: string[] | null): Promise<BalanceNowReply> {
  return api.get<BalanceNowReply>('balance-now', { meters: meters?.length ? meters.join(',') : undefined });
}

/** One node of the flow diagram. */
export interface FlowNode { id: string; kind: 'grid' | 'pv' | 'battery' | 'house' | 'consumer'; label: string; w: number | null }
/** A line between the house and another node; `w` > 0 flows towards the house, < 0 away from it. */
export interface FlowEdge { node: string; w: number | null }
export interface FlowModel { nodes: FlowNode[]; edges: FlowEdge[] }

// Below this a flow is shown as still: meters disagree by a few watts.
const STILL_W = 5;

/** Which way power flows on an edge: towards the house, away from it, or not at all (or unknown). */
export function direction(w: number | null): 'in' | 'out' | 'none' {
  if (w == null || Math.abs(w) < STILL_W) return 'none';
  return w > 0 ? 'in' : 'out';
}

/**
 * The diagram for a live answer: the house in the middle; the grid (positive when drawing),
 * PV and battery (positive when discharging) feed it; sub-meters draw from it. Nodes only for
 * the roles present, so a grid-only home shows grid and house.
 */
export function flowModel(r: BalanceNowReply, names: { grid: string; pv: string; battery: string; house: string }): FlowModel {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const has = (role: Role) => r.roles.some((m) => m.role === role);
  if (has('grid')) {
    nodes.push({ id: 'grid', kind: 'grid', label: names.grid, w: r.flows.grid_w });
    edges.push({ node: 'grid', w: r.flows.grid_w });
  }
  if (has('pv')) {
    nodes.push({ id: 'pv', kind: 'pv', label: names.pv, w: r.flows.production_w });
    edges.push({ node: 'pv', w: r.flows.production_w });
  }
  if (has('battery')) {
    nodes.push({ id: 'battery', kind: 'battery', label: names.battery, w: r.flows.battery_w });
    edges.push({ node: 'battery', w: r.flows.battery_w });
  }
  nodes.push({ id: 'house', kind: 'house', label: names.house, w: r.flows.consumption_w });
  for (const m of r.roles.filter((x) => x.role === 'consumer')) {
    nodes.push({ id: m.meter, kind: 'consumer', label: m.name, w: m.import_w ?? null });
    edges.push({ node: m.meter, w: m.import_w == null ? null : -m.import_w });
  }
  return { nodes, edges };
}

/** A period's split of the production for stacked bars, in kWh: self-consumed, fed in, and import. */
export function solarBars(periods: BalancePeriod[]): { self: (number | null)[]; fedIn: (number | null)[]; imported: (number | null)[] } {
  const kwh = (v: number | null) => (v == null ? null : v / 1000);
  return {
    self: periods.map((p) => kwh(p.self_consumed_wh)),
    // Without a production meter all export is shown: it is still what went out.
    fedIn: periods.map((p) => kwh(p.fed_in_wh ?? p.export_wh)),
    imported: periods.map((p) => kwh(p.import_wh)),
  };
}

/**
 * Sums of a set of periods; ratios from the sums, null where nothing is known. Self-sufficiency
 * is own supply / consumption (the server's rule): with a battery, PV stored at noon is
 * self-consumed then but supplies the house only when discharged.
 */
export function balanceTotal(periods: BalancePeriod[]): { import_wh: number | null; export_wh: number | null; production_wh: number | null;
  self_consumed_wh: number | null; consumption_wh: number | null; own_supply_wh: number | null; self_sufficiency: number | null;
  self_consumption_rate: number | null } {
  const sum = (f: (p: BalancePeriod) => number | null) => {
    const known = periods.map(f).filter((v): v is number => v != null);
    return known.length ? known.reduce((a, v) => a + v, 0) : null;
  };
  const self = sum((p) => p.self_consumed_wh);
  const consumption = sum((p) => p.consumption_wh);
  const own = sum((p) => p.own_supply_wh);
  const production = sum((p) => p.production_wh);
  return {
    import_wh: sum((p) => p.import_wh), export_wh: sum((p) => p.export_wh), production_wh: production, self_consumed_wh: self,
    consumption_wh: consumption, own_supply_wh: own,
    self_sufficiency: own != null && consumption ? Math.min(1, Math.max(0, own / consumption)) : null,
    self_consumption_rate: self != null && production ? Math.min(1, Math.max(0, self / production)) : null,
  };
}
