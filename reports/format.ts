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
