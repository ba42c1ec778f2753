/**
 * Number and date formatting for the report, per locale. One place decides how a figure looks
 * (one decimal for percentages, a sign on every score and change, a real minus sign), so the
 * summary sentences, tables and charts print the same figure the same way.
 */
import { formatInZone } from '../core/time.js';
import type { Locale } from '../core/types.js';
import type { Interval } from './stats.js';

const MINUS = '\u2212';

/** `1,234` */
export function formatCount(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** A proportion in [0, 1] as a percentage with one decimal: `12.5%`. */
export function formatPercent(x: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
}

/** A signed number with one decimal and a true minus sign: `+12.5`, `−3.0`, `0.0`. */
export function formatSigned(x: number, decimals = 1): string {
  const rounded = Number(x.toFixed(decimals));
  const body = Math.abs(rounded).toFixed(decimals);
  if (rounded === 0) return body;
  return rounded > 0 ? `+${body}` : `${MINUS}${body}`;
}

/** A signed integer change: `+4`, `−3`, `0`. */
export function formatSignedCount(n: number, locale: Locale): string {
  if (n === 0) return '0';
  return `${n > 0 ? '+' : MINUS}${formatCount(Math.abs(n), locale)}`;
}

/** A signed relative change with one decimal: `+12.5%`, `−3.0%`. */
export function formatSignedPercent(x: number): string {
  return `${formatSigned(x * 100)}%`;
}

/** An NSS in [-1, 1] as signed points in [-100, 100]: `+42.9`; `—` when undefined. */
export function formatNss(nss: number | null, notAvailable = '—'): string {
  return nss === null ? notAvailable : formatSigned(nss * 100);
}

/** The 95% interval of an NSS in points: `[−12.0, +35.4]`. */
export function formatNssInterval(interval: Interval): string {
  return `[${formatSigned(interval.lower * 100)}, ${formatSigned(interval.upper * 100)}]`;
}

/** Date and time of an instant in the report's zone: `2026-10-03 14:20`. */
export function formatDateTime(iso: string, timeZone: string): string {
  return formatInZone(iso, timeZone, true);
}

/** The calendar days covered by [from, to) in `timeZone`: `2026-10-01 – 2026-10-31`. */
export function formatRange(from: string, to: string, timeZone: string): string {
  // `to` is exclusive (the next local midnight); the last day shown is the one just before it.
  const lastInstant = new Date(Date.parse(to) - 1).toISOString();
  return `${formatInZone(from, timeZone, false)} – ${formatInZone(lastInstant, timeZone, false)}`;
}

/** A proportion's 95% interval as percentages: `[39.1%, 86.2%]`. */
export function formatPercentInterval(interval: Interval, locale: Locale): string {
  return `[${formatPercent(interval.lower, locale)}, ${formatPercent(interval.upper, locale)}]`;
}

/** A p-value: three decimals, `< 0.001` below that. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A non-negative number with `decimals` decimals for the locale: `0.63`. */
export function formatDecimal(x: number, locale: Locale, decimals = 2): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(x);
}

/** An index in [0, 1] printed on a 0-100 scale with no decimal: `63`. */
export function formatIndex(x: number | null, notAvailable = '—'): string {
  return x === null ? notAvailable : String(Math.round(x * 100));
}

/** `2026-10-15` as `10-15` (chart axes). */
export function formatShortDay(day: string): string {
  return day.slice(5);
}
