import uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { zonedDate } from '../src/shape';

describe('zonedDate', () => {
  it('shows the same wall-clock time as uPlot.tzDate, across both DST changes', () => {
    const instants = [Date.UTC(2026, 2, 29, 0, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(2026, 9, 25, 0, 30, 0),
      Date.UTC(2026, 9, 25, 1, 30, 0), Date.UTC(2026, 11, 31, 23, 0, 0, 250), Date.UTC(2025, 5, 15, 12, 0, 0)];
    for (const tz of ['Europe/Zurich', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
      for (const ms of instants) expect(zonedDate(ms, tz).getTime(), `${tz} ${new Date(ms).toISOString()}`).toBe(uPlot.tzDate(new Date(ms), tz).getTime());
    }
  });
});
