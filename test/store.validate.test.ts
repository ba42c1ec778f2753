/**
 * The store's time check: `toIsoUtc` answers already-canonical instants without Date parsing
 * (`isCanonicalIsoUtc`); that shortcut must accept exactly what the full parse would give back
 * unchanged.
 */
import { describe, expect, it } from 'vitest';
import { isCanonicalIsoUtc, toIsoUtc } from '../store/validate.js';

/** What toIsoUtc gave before the shortcut: the full parse. */
function parsed(s: string): string | undefined {
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

describe('toIsoUtc', () => {
  it('keeps canonical instants and rewrites the other ISO spellings to them', () => {
    expect(toIsoUtc('2026-10-03T08:15:00.000Z', 'publishedAt')).toBe('2026-10-03T08:15:00.000Z');
    expect(toIsoUtc('2026-10-03T16:15:00+08:00', 'publishedAt')).toBe('2026-10-03T08:15:00.000Z');
    expect(toIsoUtc('2026-10-03', 'publishedAt')).toBe('2026-10-03T00:00:00.000Z');
    expect(toIsoUtc('2024-02-29T23:59:59.999Z', 'publishedAt')).toBe('2024-02-29T23:59:59.999Z');
    expect(() => toIsoUtc('Oct 3 2026', 'publishedAt')).toThrow(/publishedAt: expected an ISO-8601 time with a zone/);
    expect(() => toIsoUtc(42, 'collectedAt')).toThrow(/collectedAt/);
  });

  it('takes the shortcut only for real calendar instants in the canonical spelling', () => {
    expect(isCanonicalIsoUtc('2026-10-03T08:15:00.000Z')).toBe(true);
    expect(isCanonicalIsoUtc('2000-02-29T00:00:00.000Z')).toBe(true); // divisible by 400
    expect(isCanonicalIsoUtc('1900-02-29T00:00:00.000Z')).toBe(false); // divisible by 100
    expect(isCanonicalIsoUtc('2026-02-29T00:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-04-31T00:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-13-01T00:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-10-03T24:00:00.000Z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-10-03T08:15:00.000z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-10-03T08:15:00Z')).toBe(false);
    expect(isCanonicalIsoUtc('2026-1a-03T08:15:00.000Z')).toBe(false);
  });

  it('agrees with the full parse on 20,000 random canonical-looking strings', () => {
    let seed = 3;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    const two = (max: number) => String(next() % max).padStart(2, '0');
    let shortcuts = 0;
    for (let n = 0; n < 20_000; n++) {
      const year = String(1890 + (next() % 250)).padStart(4, '0');
      const s = `${year}-${two(14)}-${two(33)}T${two(26)}:${two(62)}:${two(62)}.${String(next() % 1000).padStart(3, '0')}Z`;
      if (isCanonicalIsoUtc(s)) {
        shortcuts++;
        expect(parsed(s)).toBe(s);
      } else {
        expect(parsed(s)).not.toBe(s);
      }
    }
    expect(shortcuts).toBeGreaterThan(5_000);
  });
});
