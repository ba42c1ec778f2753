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
      throw new InputError(
        max === Number.MAX_SAFE_INTEGER
          ? { en: `${flag}: expected a whole number >= 1, got "${v}"`, zh: `${flag}：应为不小于 1 的整数，实际为“${v}”` }
          : { en: `${flag}: expected a whole number from 1 to ${max}, got "${v}"`, zh: `${flag}：应为 1 到 ${max} 之间的整数，实际为“${v}”` },
      );
    return n;
  };
}

/** Report formats from a comma list such as `pdf,html`. */
export function parseFormats(value: string, flag = '--format'): Array<'html' | 'pdf'> {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list)
    if (f !== 'html' && f !== 'pdf')
      throw new InputError({ en: `${flag}: unknown format "${f}"; expected pdf, html or pdf,html`, zh: `${flag}：未知的格式“${f}”；应为 pdf、html 或 pdf,html` });
  if (list.length === 0) throw new InputError({ en: `${flag}: expected pdf, html or pdf,html`, zh: `${flag}：应为 pdf、html 或 pdf,html` });
  return [...new Set(list)] as Array<'html' | 'pdf'>;
}
