// Display names of meters: the sink's `meter_names`, else the id. The id stays the key in every
// request; only labels use the name.

export interface Named { id: string; name?: string }

export function meterName(meters: readonly Named[], id: string): string {
  return meters.find((m) => m.id === id)?.name || id;
}
