import { describe, expect, it } from 'vitest';
import { dateOrder, formatDate, parseDate } from '../src/date-field';

const day = { year: 2026, month: 3, day: 9 };

describe('dates in the order of the page language', () => {
  it('writes day, month and year in each locale\'s order', () => {
    expect(formatDate(day, 'de-CH')).toBe('09.03.2026');
    expect(formatDate(day, 'en-GB')).toBe('09/03/2026');
    expect(formatDate(day, 'en-US')).toBe('03/09/2026');
    expect(formatDate(day, 'fr-CH')).toBe('09.03.2026');
    expect(formatDate(day, 'it-CH')).toBe('09.03.2026');
    expect(dateOrder('en-GB')).toEqual(['day', 'month', 'year']);
    expect(dateOrder('en-US')).toEqual(['month', 'day', 'year']);
  });

  it('reads what it writes, in every locale', () => {
    for (const l of ['de-CH', 'en-GB', 'en-US', 'fr-CH', 'it-CH', 'de-DE']) expect(parseDate(formatDate(day, l), l)).toEqual(day);
  });

  it('reads days typed without leading zeros or with other separators, and YYYY-MM-DD', () => {
    expect(parseDate('9.3.2026', 'de-CH')).toEqual(day);
    expect(parseDate('9/3/2026', 'en-GB')).toEqual(day);
    expect(parseDate('3-9-2026', 'en-US')).toEqual(day);
    expect(parseDate('2026-03-09', 'de-CH')).toEqual(day);
  });

  it('refuses what is no real day or not yet a whole one', () => {
    expect(parseDate('31.02.2026', 'de-CH')).toBeNull();
    expect(parseDate('1.1.202', 'de-CH')).toBeNull();
    expect(parseDate('13/13/2026', 'en-GB')).toBeNull();
    expect(parseDate('9.3', 'de-CH')).toBeNull();
    expect(parseDate('', 'de-CH')).toBeNull();
  });
});
