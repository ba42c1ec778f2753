/**
 * Post times as pages print them, to ISO UTC: ISO and local wall times (read in the target's
 * zone), unix seconds / milliseconds, explicit patterns (`DD/MM/YYYY HH:mm`), RFC 822 dates of
 * feeds, and the relative times forums love (`刚刚`, `3小时前`, `昨天 14:20`, `2 hours ago`,
 * `10-03 14:20` without a year), which are read against the crawl instant.
 */
import type { TimeFormat } from '../core/types.js';
import { parseTimeInZone, zonedWallTimeToUtc, zoneOffsetMinutes } from '../core/time.js';

// Zone conversion builds Intl formatters and is the costliest step per post; listings repeat
// times a lot (date-only pages, pinned posts, the same post on every crawl), so absolute results
// are memoised. Bounded: cleared when full rather than tracked as an LRU.
const timeCache = new Map<string, string | undefined>();
const TIME_CACHE_MAX = 4096;

/** A copy of `s` that does not keep a parsed page's backing string alive. */
function detach(s: string): string {
  return (' ' + s).slice(1);
}

/**
 * A page time to ISO UTC per `format`; undefined when unreadable. 10/13-digit numbers are read
 * as unix s/ms even in `iso` mode. Relative times need `nowMs` (the crawl instant).
 *
 * @example parsePageTime('2026-10-03 14:20', 'iso', 'Asia/Shanghai') // '2026-10-03T06:20:00.000Z'
 * @example parsePageTime('3小时前', 'iso', 'Asia/Shanghai', Date.parse('2026-10-03T06:00:00Z')) // '2026-10-03T03:00:00.000Z'
 */
export function parsePageTime(
  value: string | undefined,
  format: TimeFormat | undefined,
  timeZone: string,
  nowMs?: number,
): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.length > 64) return undefined; // no real time is that long
  const key = `${format ?? 'iso'}|${timeZone}|${v}`;
  if (timeCache.has(key)) return timeCache.get(key);
  const free = format === undefined || format === 'iso';
  // A label around the time (发表于 2026-10-05 12:30, Posted on …) is read past only when the whole
  // value does not parse: every value that parsed before parses the same.
  // Computed only for a value that did not parse: every page time passes through here.
  let bare: string | undefined;
  const unlabelled = () => (bare ??= free ? withoutLabel(v) : v);
  const iso = readAbsolute(v, format, timeZone) ?? (unlabelled() !== v ? readAbsolute(unlabelled(), format, timeZone) : undefined);
  if (iso !== undefined || nowMs === undefined) {
    if (timeCache.size >= TIME_CACHE_MAX) timeCache.clear();
    timeCache.set(detach(key), iso);
    return iso;
  }
  // Relative times depend on the instant, so they are never cached.
  return free ? (readRelative(v, timeZone, nowMs) ?? (unlabelled() !== v ? readRelative(unlabelled(), timeZone, nowMs) : undefined)) : undefined;
}

/** Words forums put before or after a post's time (Discuz 发表于, WordPress "Posted on"), and a separator after them. */
const LEADING_LABEL = /^(?:发表于|发布于|发表时间|发布时间|更新于|编辑于|回复于|评论于|最后编辑于|posted\s+on|posted|published\s+on|published|updated\s+on|updated|on)\s*[:：]?\s*/i;
const TRAILING_LABEL = /\s*(?:发表|发布|更新|编辑)$/;

/** The value without one leading and one trailing label; the value itself when it has none. */
function withoutLabel(v: string): string {
  return v.replace(LEADING_LABEL, '').replace(TRAILING_LABEL, '').trim();
}

function fromUnixMs(ms: number): string | undefined {
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function readAbsolute(v: string, format: TimeFormat | undefined, timeZone: string): string | undefined {
  if (format === 'unix') return /^\d+(\.\d+)?$/.test(v) ? fromUnixMs(Number(v) * 1000) : undefined;
  if (format === 'unix_ms') return /^\d+$/.test(v) ? fromUnixMs(Number(v)) : undefined;
  if (format && format !== 'iso') return readPattern(v, format, timeZone);
  const iso = parseTimeInZone(v, timeZone);
  if (iso) return iso;
  if (/^\d{10}$/.test(v)) return fromUnixMs(Number(v) * 1000);
  if (/^\d{13}$/.test(v)) return fromUnixMs(Number(v));
  // RFC 822 / 1123 dates of RSS feeds with a named zone (`Tue, 03 Oct 2026 08:00:00 EST`).
  if (/^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+(?:[A-Z]{1,4}|[+-]\d{4})$/.test(v)) {
    const ms = Date.parse(v);
    return fromUnixMs(ms);
  }
  return undefined;
}

const PATTERN_TOKENS: Array<[string, string, 'y' | 'mo' | 'd' | 'h' | 'mi' | 's']> = [
  ['YYYY', '(\\d{4})', 'y'],
  ['MM', '(\\d{2})', 'mo'],
  ['DD', '(\\d{2})', 'd'],
  ['HH', '(\\d{2})', 'h'],
  ['mm', '(\\d{2})', 'mi'],
  ['ss', '(\\d{2})', 's'],
  ['M', '(\\d{1,2})', 'mo'],
  ['D', '(\\d{1,2})', 'd'],
  ['H', '(\\d{1,2})', 'h'],
  ['m', '(\\d{1,2})', 'mi'],
  ['s', '(\\d{1,2})', 's'],
];
const compiledPatterns = new Map<string, { re: RegExp; fields: Array<'y' | 'mo' | 'd' | 'h' | 'mi' | 's'> }>();

function compilePattern(format: string) {
  let hit = compiledPatterns.get(format);
  if (hit) return hit;
  let re = '';
  const fields: Array<'y' | 'mo' | 'd' | 'h' | 'mi' | 's'> = [];
  for (let i = 0; i < format.length; ) {
    const token = PATTERN_TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      re += token[1];
      fields.push(token[2]);
      i += token[0].length;
    } else {
      const ch = format[i]!;
      re += /\s/.test(ch) ? '\\s+' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  hit = { re: new RegExp(`^${re}$`), fields };
  compiledPatterns.set(format, hit);
  return hit;
}

/** A time written per a pattern of YYYY MM M DD D HH H mm m ss s, read in `timeZone`. */
function readPattern(v: string, format: string, timeZone: string): string | undefined {
  const { re, fields } = compilePattern(format);
  const m = re.exec(v);
  if (!m) return undefined;
  const parts = { y: 0, mo: 1, d: 1, h: 0, mi: 0, s: 0 };
  fields.forEach((f, i) => (parts[f] = Number(m[i + 1])));
  if (parts.mo < 1 || parts.mo > 12 || parts.d < 1 || parts.d > 31 || parts.h > 23 || parts.mi > 59 || parts.s > 60) return undefined;
  return fromUnixMs(zonedWallTimeToUtc(parts.y, parts.mo, parts.d, parts.h, parts.mi, parts.s, timeZone));
}

const UNIT_MS: Record<string, number> = {
  秒: 1000,
  second: 1000,
  sec: 1000,
  s: 1000,
  分钟: 60_000,
  分: 60_000,
  minute: 60_000,
  min: 60_000,
  m: 60_000,
  小时: 3_600_000,
  个小时: 3_600_000,
  hour: 3_600_000,
  hr: 3_600_000,
  h: 3_600_000,
  天: 86_400_000,
  day: 86_400_000,
  d: 86_400_000,
  周: 7 * 86_400_000,
  星期: 7 * 86_400_000,
  个星期: 7 * 86_400_000,
  week: 7 * 86_400_000,
  w: 7 * 86_400_000,
  月: 30 * 86_400_000,
  个月: 30 * 86_400_000,
  month: 30 * 86_400_000,
  年: 365 * 86_400_000,
  year: 365 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Wall-clock date parts of `ms` in `zone`. */
function wallDate(ms: number, zone: string): { y: number; mo: number; d: number } {
  const local = new Date(ms + zoneOffsetMinutes(ms, zone) * 60_000);
  return { y: local.getUTCFullYear(), mo: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

function readRelative(raw: string, zone: string, nowMs: number): string | undefined {
  const v = raw.toLowerCase().replace(/\s+/g, ' ').trim();
  if (/^(刚刚|刚才|just now|now|moments? ago)$/.test(v)) return new Date(nowMs).toISOString();
  let m = /^(\d+|an?|one)\s*(秒|分钟|分|个小时|小时|天|个星期|星期|周|个月|月|年)\s*前$/.exec(v);
  m ??= /^(\d+|an?|one)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[smhdwy])\s*ago$/.exec(v);
  if (m) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : 1;
    const unit = UNIT_MS[m[2]!] ?? UNIT_MS[m[2]!.replace(/s$/, '')];
    return unit === undefined ? undefined : new Date(nowMs - n * unit).toISOString();
  }
  // 今天 / 昨天 / 前天 / today / yesterday, with an optional time.
  m = /^(今天|昨天|前天|today|yesterday)\s*(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v) ?? /^(今天|昨天|前天|today|yesterday)$/.exec(v);
  if (m) {
    const back = { 今天: 0, today: 0, 昨天: 1, yesterday: 1, 前天: 2 }[m[1]!] ?? 0;
    const day = wallDate(nowMs - back * 86_400_000, zone);
    return fromUnixMs(zonedWallTimeToUtc(day.y, day.mo, day.d, Number(m[2] ?? 0), Number(m[3] ?? 0), Number(m[4] ?? 0), zone));
  }
  // A date without a year (`10-03 14:20`, `10月3日`): this year, or last year when that is in the future.
  m = /^(\d{1,2})[-/月](\d{1,2})日?(?:\s+(\d{1,2}):(\d{2}))?$/.exec(v);
  if (m) {
    const mo = Number(m[1]);
    const d = Number(m[2]);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
    const { y } = wallDate(nowMs, zone);
    const at = (year: number) => zonedWallTimeToUtc(year, mo, d, Number(m![3] ?? 0), Number(m![4] ?? 0), 0, zone);
    const thisYear = at(y);
    return fromUnixMs(thisYear > nowMs + 86_400_000 ? at(y - 1) : thisYear);
  }
  return undefined;
}
