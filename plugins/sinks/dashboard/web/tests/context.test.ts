import { describe, expect, it } from 'vitest';
import { shareScope } from '../src/context';

describe('shareScope', () => {
  it('takes the scope from the share session', () => {
    expect(shareScope({
      kind: 'share', label: 'for the landlord', meters: ['SIM-house'], from_ms: 1, to_ms: 2, detail: 'daily', expires_ms: null, currency: 'CHF',
    })).toEqual({ label: 'for the landlord', meters: ['SIM-house'], from: 1, to: 2, detail: 'daily', expires: null, expiresDate: null });
  });
  it('keeps the expiry date as it was entered', () => {
    expect(shareScope({
      kind: 'share', label: '', meters: ['m'], from_ms: 1, to_ms: 2, detail: 'daily', expires_ms: 1711922400000,
      expires_date: '2024-03-31', currency: 'CHF',
    }).expiresDate).toBe('2024-03-31');
  });
});
