/**
 * Option parsers shared by the `voc` commands: each turns a bad value into one InputError line
 * that names the flag and what it expects.
 */
import { InputError } from '../core/errors.js';

/** A commander parser for a whole number from 1 to `max`. */
export function positiveInt(flag: string, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InputError(max === Number.MAX_SAFE_INTEGER ? `${flag}: expected a whole number >= 1, got "${v}"` : `${flag}: expected a whole number from 1 to ${max}, got "${v}"`);
    return n;
  };
}

/** Report formats from a comma list such as `pdf,html`. */
export function parseFormats(value: string, flag = '--format'): Array<'html' | 'pdf'> {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) if (f !== 'html' && f !== 'pdf') throw new InputError(`${flag}: unknown format "${f}"; expected pdf, html or pdf,html`);
  if (list.length === 0) throw new InputError(`${flag}: expected pdf, html or pdf,html`);
  return [...new Set(list)] as Array<'html' | 'pdf'>;
}
