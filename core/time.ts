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

/**
 * Resolves a period in `zone`: `YYYY-MM` (a calendar month) or `--from/--to` dates
 * (`YYYY-MM-DD`, `to` inclusive). Boundaries are local midnights converted to UTC.
 */
export function resolvePeriod(zone: string, period?: string, fromDate?: string, toDate?: string): PeriodRange {
  const midnight = (y: number, m: number, d: number) => new Date(zonedWallTimeToUtc(y, m, d, 0, 0, 0, zone)).toISOString();
  if (period) {
    const m = /^(\d{4})-(\d{2})$/.exec(period);
    if (!m || +m[2]! < 1 || +m[2]! > 12)
      throw new InputError({
        en: `--period: expected a month as YYYY-MM (e.g. 2026-10), got "${period}"`,
        zh: `--period：应为 YYYY-MM 格式的月份（例如 2026-10），实际为“${period}”`,
      });
    const y = +m[1]!;
    const mo = +m[2]!;
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
      en: 'give either --period YYYY-MM or both --from YYYY-MM-DD and --to YYYY-MM-DD',
      zh: '请给出 --period YYYY-MM，或同时给出 --from YYYY-MM-DD 和 --to YYYY-MM-DD',
    });
  const parse = (v: string, flag: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) throw new InputError({ en: `${flag}: expected a date as YYYY-MM-DD, got "${v}"`, zh: `${flag}：应为 YYYY-MM-DD 格式的日期，实际为“${v}”` });
    return [+m[1]!, +m[2]!, +m[3]!] as const;
  };
  const [fy, fm, fd] = parse(fromDate, '--from');
  const [ty, tm, td] = parse(toDate, '--to');
  const from = midnight(fy, fm, fd);
  // `to` is inclusive for people; the range end is the following local midnight.
  const dayAfter = new Date(Date.UTC(ty, tm - 1, td + 1));
  const to = midnight(dayAfter.getUTCFullYear(), dayAfter.getUTCMonth() + 1, dayAfter.getUTCDate());
  if (Date.parse(to) <= Date.parse(from))
    throw new InputError({ en: `--to (${toDate}) must not be before --from (${fromDate})`, zh: `--to（${toDate}）不能早于 --from（${fromDate}）` });
  const lengthMs = Date.parse(to) - Date.parse(from);
  return {
    label: `${fromDate}..${toDate}`,
    from,
    to,
    previous: { from: new Date(Date.parse(from) - lengthMs).toISOString(), to: from },
  };
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
