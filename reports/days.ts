/**
 * Local calendar days of a report's time zone, for the daily trend, spike tests, campaign windows
 * and crawl gaps. A day is its `YYYY-MM-DD` label in the zone; instants are mapped to days with a
 * per-zone offset cache, because a 100k-post report maps 100k instants and an Intl call each is
 * the slowest part of aggregation otherwise.
 */
import { zoneOffsetMinutes, zonedWallTimeToUtc } from '../core/time.js';

const DAY_MS = 86_400_000;
/** Offsets change at most at quarter-hour instants (zones are whole quarter hours from UTC). */
const BUCKET_MS = 15 * 60_000;

/** Maps ISO instants to local `YYYY-MM-DD` labels in `zone`. */
export function dayKeyer(zone: string): (iso: string) => string {
  const offsets = new Map<number, number>();
  const labels = new Map<number, string>();
  return (iso: string) => {
    const ms = Date.parse(iso);
    const bucket = Math.floor(ms / BUCKET_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = zoneOffsetMinutes(bucket * BUCKET_MS, zone);
      offsets.set(bucket, offset);
    }
    const day = Math.floor((ms + offset * 60_000) / DAY_MS);
    let label = labels.get(day);
    if (label === undefined) {
      label = new Date(day * DAY_MS).toISOString().slice(0, 10);
      labels.set(day, label);
    }
    return label;
  };
}

/** The day `n` days after `day` (negative: before), calendar arithmetic on labels. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The local days of the range [from, to) in `zone`, in order (the day holding `to` excluded when `to` is its midnight). */
export function daysOfRange(from: string, to: string, zone: string): string[] {
  const key = dayKeyer(zone);
  const first = key(from);
  const last = key(new Date(Date.parse(to) - 1).toISOString());
  // Counted, not compared as labels: past year 9999 a label reads "+010000-01-01", which sorts
  // before "9999-12-31", and a comparison would never end.
  const out: string[] = [];
  const n = daysBetween(first, last);
  for (let i = 0; i <= n; i++) out.push(addDays(first, i));
  return out;
}

/** The UTC instant (ms) of local midnight starting `day` in `zone`. */
export function localMidnight(day: string, zone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return zonedWallTimeToUtc(y, m, d, 0, 0, 0, zone);
}
