/**
 * Time-zone arithmetic with the platform's Intl data only (no dependency): reading local wall
 * times of a page in the target's zone, cutting report periods in the brand's zone, printing
 * dates in the reader's zone. Correct across DST changes because offsets are looked up per instant.
 */
import { InputError } from './errors.js';

// Building an Intl.DateTimeFormat is expensive (it dominated crawl CPU when made per call): one per zone.
const OFFSET_FORMATTERS = new Map<string, Intl.DateTimeFormat>();
function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let f = OFFSET_FORMATTERS.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    OFFSET_FORMATTERS.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `utcMs`, in minutes (Asia/Shanghai -> +480). */
export function zoneOffsetMinutes(utcMs: number, zone: string): number {
  const parts = offsetFormatter(zone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/**
 * The UTC instant of a wall-clock time in `zone`. For a time that occurs twice (DST fall-back)
 * the earlier instant is returned; for one that does not exist (spring-forward gap) the instant
 * one offset later, as most calendars do.
 */
export function zonedWallTimeToUtc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  zone: string,
): number {
  const wallAsUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  // Two passes converge for every real zone: guess with the offset at the wall time, then correct.
  let guess = wallAsUtc - zoneOffsetMinutes(wallAsUtc, zone) * 60000;
  const second = wallAsUtc - zoneOffsetMinutes(guess, zone) * 60000;
  if (second !== guess) {
    const earlier = Math.min(guess, second);
    guess = wallAsUtc - zoneOffsetMinutes(earlier, zone) * 60000 === earlier ? earlier : Math.max(guess, second);
  }
  return guess;
}

const LOCAL_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a page's time string to ISO UTC. Strings with an offset or `Z` are exact; bare local
 * times (`2026-10-03 14:20`, `2026/10/03`) are read in `zone`. Returns undefined when unreadable.
 */
export function parseTimeInZone(value: string, zone: string): string | undefined {
  const v = value.trim().replace(/年|月/g, '-').replace(/日/g, '');
  const m = LOCAL_TIME.exec(v);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
    const ms = zonedWallTimeToUtc(+y!, +mo!, +d!, +h, +mi, +s, zone);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(v) || /GMT|UTC/.test(v)) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  return undefined;
}

export interface PeriodRange {
  /** Label as given (`2026-10`, `2026-W41`, `2026-10-01..2026-10-15`). */
  label: string;
  from: string;
  to: string;
  /** The period of the same length just before, for "versus previous period". */
  previous: { from: string; to: string };
}

/** Years a date option may name: the store's ISO times have four digits, and no post is older than 1970. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

/** The option names a period was given with, for its errors (`voc crawl --report-period`). */
export interface PeriodFlags {
  period?: string;
  from?: string;
  to?: string;
}

function yearInRange(y: number, value: string, flag: string): void {
  if (y < MIN_YEAR || y > MAX_YEAR)
    throw new InputError({
      en: `${flag}: year ${String(y).padStart(4, '0')} of "${value}" is out of range; expected a year from ${MIN_YEAR} to ${MAX_YEAR}`,
      zh: `${flag}：“${value}”的年份 ${String(y).padStart(4, '0')} 超出范围；应在 ${MIN_YEAR} 到 ${MAX_YEAR} 之间`,
    });
}

/** Days in month `m` (1-12) of year `y`. */
function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * A calendar day given as an option (`--from 2026-11-01`): `YYYY-MM-DD` naming a day that exists,
 * in a year from 1970 to 9999. Every error names `flag`. Date.parse is no check: it takes 2026-11-31
 * and 2026-02-30 and rolls them into the next month.
 */
export function parseDayOption(value: string, flag: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m)
    throw new InputError({ en: `${flag}: expected a date as YYYY-MM-DD (e.g. 2026-10-01), got "${value}"`, zh: `${flag}：应为 YYYY-MM-DD 格式的日期（例如 2026-10-01），实际为“${value}”` });
  const [y, mo, d] = [+m[1]!, +m[2]!, +m[3]!];
  yearInRange(y, value, flag);
  if (mo < 1 || mo > 12)
    throw new InputError({ en: `${flag}: "${value}" has no month ${m[2]}; expected a month from 01 to 12`, zh: `${flag}：“${value}”的月份 ${m[2]} 不存在；月份应为 01 到 12` });
  const days = daysInMonth(y, mo);
  if (d < 1 || d > days)
    throw new InputError({
      en: `${flag}: "${value}" is not a date: ${m[1]}-${m[2]} has ${days} days`,
      zh: `${flag}：“${value}”不是有效日期：${m[1]}-${m[2]} 只有 ${days} 天`,
    });
  return [y, mo, d];
}

/** A month given as an option (`--period 2026-10`): `YYYY-MM`, months 01-12, years 1970-9999. */
export function parseMonthOption(value: string, flag: string): [number, number] {
  const m = /^(\d{4})-(\d{2})$/.exec(value.trim());
  if (!m || +m[2]! < 1 || +m[2]! > 12)
    throw new InputError({
      en: `${flag}: expected a month as YYYY-MM (e.g. 2026-10), got "${value}"`,
      zh: `${flag}：应为 YYYY-MM 格式的月份（例如 2026-10），实际为“${value}”`,
    });
  yearInRange(+m[1]!, value, flag);
  return [+m[1]!, +m[2]!];
}

/** An instant clamped into the years the store takes: nothing was posted before 1970 or after 9999. */
function withinYears(ms: number): string {
  return new Date(Math.min(Math.max(ms, Date.UTC(MIN_YEAR, 0, 1)), Date.UTC(MAX_YEAR + 1, 0, 1) - 1)).toISOString();
}

/**
 * Resolves a period in `zone`: `YYYY-MM` (a calendar month) or `--from/--to` dates
 * (`YYYY-MM-DD`, `to` inclusive). Boundaries are local midnights converted to UTC. `flags` names the
 * options in errors when they are not --period, --from and --to.
 */
export function resolvePeriod(zone: string, period?: string, fromDate?: string, toDate?: string, flags: PeriodFlags = {}): PeriodRange {
  const f = { period: flags.period ?? '--period', from: flags.from ?? '--from', to: flags.to ?? '--to' };
  // A boundary or comparison window beyond the store's years (a long --from/--to range's previous
  // period reaching before 1970) holds no posts: clamped, so the query stays a valid ISO time.
  const midnight = (y: number, m: number, d: number) => withinYears(zonedWallTimeToUtc(y, m, d, 0, 0, 0, zone));
  if (period) {
    const [y, mo] = parseMonthOption(period, f.period);
    const prev = mo === 1 ? [y - 1, 12] : [y, mo - 1];
    const next = mo === 12 ? [y + 1, 1] : [y, mo + 1];
    return {
      label: period,
      from: midnight(y, mo, 1),
      to: midnight(next[0]!, next[1]!, 1),
      previous: { from: midnight(prev[0]!, prev[1]!, 1), to: midnight(y, mo, 1) },
    };
  }
  if (!fromDate || !toDate)
    throw new InputError({
      en: `give either ${f.period} YYYY-MM or both ${f.from} YYYY-MM-DD and ${f.to} YYYY-MM-DD`,
      zh: `请给出 ${f.period} YYYY-MM，或同时给出 ${f.from} YYYY-MM-DD 和 ${f.to} YYYY-MM-DD`,
    });
  const [fy, fm, fd] = parseDayOption(fromDate, f.from);
  const [ty, tm, td] = parseDayOption(toDate, f.to);
  const from = midnight(fy, fm, fd);
  // `to` is inclusive for people; the range end is the following local midnight.
  const dayAfter = new Date(Date.UTC(ty, tm - 1, td + 1));
  const to = midnight(dayAfter.getUTCFullYear(), dayAfter.getUTCMonth() + 1, dayAfter.getUTCDate());
  if (Date.parse(to) <= Date.parse(from))
    throw new InputError({ en: `${f.to} (${toDate}) must not be before ${f.from} (${fromDate})`, zh: `${f.to}（${toDate}）不能早于 ${f.from}（${fromDate}）` });
  const lengthMs = Date.parse(to) - Date.parse(from);
  return {
    label: `${fromDate}..${toDate}`,
    from,
    to,
    previous: { from: withinYears(Date.parse(from) - lengthMs), to: from },
  };
}

/**
 * A report compares its period with the one of the same length just before it: that one must start
 * in 1970 or later too, or its query would ask for a year the store cannot hold (`--from 2026-01-01
 * --to 9999-12-31` reached back to the year -5948). Named by the option that set the period's length.
 */
export function checkComparablePeriod(range: Pick<PeriodRange, 'from' | 'to' | 'label'>, flags: PeriodFlags = {}): void {
  const start = Date.parse(range.from) - (Date.parse(range.to) - Date.parse(range.from));
  if (start >= Date.UTC(MIN_YEAR, 0, 1)) return;
  const flag = flags.to ?? '--to';
  throw new InputError({
    en: `${flag}: the period ${range.label} is too long to report: a report compares it with the period of the same length before it, which would start before ${MIN_YEAR}; choose a shorter period`,
    zh: `${flag}：报告期 ${range.label} 太长，无法生成报告：报告会与之前同样长的一段时间比较，而那段时间会早于 ${MIN_YEAR} 年；请缩短报告期`,
  });
}

/** `2026-10-03 14:20` in `zone`, for tables and quotes. */
export function formatInZone(iso: string, zone: string, withTime = true): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  return withTime ? `${date} ${get('hour')}:${get('minute')}` : date;
}
