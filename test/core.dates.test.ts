/** Dates given as options: impossible calendar days and years outside 1970-9999 are refused, naming the option. */
import { describe, it, expect } from 'vitest';
import { checkComparablePeriod, parseDayOption, parseMonthOption, resolvePeriod } from '../core/time.js';
import { parseSince } from '../cli/crawl-output.js';
import { failure } from './helpers/errors.js';

describe('parseDayOption', () => {
  it('takes a day that exists, leap days included', () => {
    expect(parseDayOption('2026-11-30', '--to')).toEqual([2026, 11, 30]);
    expect(parseDayOption('2028-02-29', '--to')).toEqual([2028, 2, 29]);
  });
  it('refuses a day the month does not have, naming the option', () => {
    expect(failure(() => parseDayOption('2026-11-31', '--to'))).toEqual({
      en: '--to: "2026-11-31" is not a date: 2026-11 has 30 days',
      zh: '--to：“2026-11-31”不是有效日期：2026-11 只有 30 天',
    });
    expect(failure(() => parseDayOption('2026-02-29', '--from')).en).toBe('--from: "2026-02-29" is not a date: 2026-02 has 28 days');
    expect(failure(() => parseDayOption('2026-13-01', '--from')).en).toBe('--from: "2026-13-01" has no month 13; expected a month from 01 to 12');
  });
  it('refuses years outside 1970-9999', () => {
    expect(failure(() => parseDayOption('0000-01-01', '--from'))).toEqual({
      en: '--from: year 0000 of "0000-01-01" is out of range; expected a year from 1970 to 9999',
      zh: '--from：“0000-01-01”的年份 0000 超出范围；应在 1970 到 9999 之间',
    });
  });
});

describe('periods', () => {
  it('--period refuses year 0000 and names the option the command gave', () => {
    expect(failure(() => parseMonthOption('0000-01', '--period')).en).toBe('--period: year 0000 of "0000-01" is out of range; expected a year from 1970 to 9999');
    expect(failure(() => resolvePeriod('Asia/Shanghai', '2026-13', undefined, undefined, { period: '--report-period' })).en).toBe(
      '--report-period: expected a month as YYYY-MM (e.g. 2026-10), got "2026-13"',
    );
  });
  it('--from/--to with an impossible day is refused, not rolled into the next month', () => {
    expect(failure(() => resolvePeriod('Asia/Shanghai', undefined, '2026-11-01', '2026-11-31')).en).toBe('--to: "2026-11-31" is not a date: 2026-11 has 30 days');
  });
  it('a report period whose comparison period would start before 1970 is refused, naming --to', () => {
    const range = resolvePeriod('Asia/Shanghai', undefined, '2026-01-01', '9999-12-31');
    expect(failure(() => checkComparablePeriod(range)).en).toBe(
      '--to: the period 2026-01-01..9999-12-31 is too long to report: a report compares it with the period of the same length before it, which would start before 1970; choose a shorter period',
    );
    expect(() => checkComparablePeriod(resolvePeriod('Asia/Shanghai', '2026-11'))).not.toThrow();
  });
  it('the end of year 9999 stays a four-digit ISO time in any zone', () => {
    expect(resolvePeriod('UTC', undefined, '9999-12-01', '9999-12-31').to).toBe('9999-12-31T23:59:59.999Z');
  });
});

describe('crawl --since', () => {
  it('uses the same check for a date, and for the date of an ISO time', () => {
    expect(parseSince('2026-11-30', 'Asia/Shanghai')).toBe('2026-11-29T16:00:00.000Z');
    expect(failure(() => parseSince('2026-11-31', 'Asia/Shanghai')).en).toBe('--since: "2026-11-31" is not a date: 2026-11 has 30 days');
    expect(failure(() => parseSince('0001-01-01T00:00:00Z', 'Asia/Shanghai')).en).toBe('--since: year 0001 of "0001-01-01" is out of range; expected a year from 1970 to 9999');
  });
});
