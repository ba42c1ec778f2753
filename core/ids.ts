import { createHash, randomBytes } from 'node:crypto';

/** Short stable hex digest, for job ids and file names derived from URLs or keys. */
export function shortHash(value: string, length = 16): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

/** A run id that sorts by start time: `20261123T163300-ab12cd`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * An id made from free text (`Acme Retail` -> `acme-retail`, `bbs.example/acme` -> `bbs-example-acme`):
 * lower-case Latin letters and digits joined by single hyphens, at most `maxLength` characters; ''
 * when the text holds no Latin letter or digit (a Chinese name: the caller asks for an id).
 */
export function slugId(text: string, maxLength = Infinity): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}
