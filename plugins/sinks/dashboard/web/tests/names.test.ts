import { describe, expect, it } from 'vitest';
import { meterName } from '../src/names';

describe('meterName', () => {
  const meters = [{ id: 'SIM-house', name: 'House' }, { id: 'SIM-heat_pump', name: '' }, { id: 'LGZ1' }];
  it('uses the configured name', () => {
    expect(meterName(meters, 'SIM-house')).toBe('House');
  });
  it('falls back to the id when the name is missing or empty, or the meter unknown', () => {
    expect(meterName(meters, 'LGZ1')).toBe('LGZ1');
    expect(meterName(meters, 'SIM-heat_pump')).toBe('SIM-heat_pump');
    expect(meterName(meters, 'other')).toBe('other');
  });
});
