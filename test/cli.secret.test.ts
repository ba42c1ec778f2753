/**
 * The author pseudonymisation key: from the environment, or made once per data directory and kept.
 * Several processes (a crawl and a worker) may open a new data directory at the same moment; they
 * must all end with the one secret on disk, or the same author gets two pseudonyms.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorSecret } from '../cli/secret.js';
import { errorText } from '../core/errors.js';
import { ensureCompiled } from './helpers/compiled.js';
import { raceChildren } from './helpers/race.js';

const root = mkdtempSync(join(tmpdir(), 'voc-secret-'));

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('authorSecret', () => {
  it('takes VOC_AUTHOR_SECRET, and refuses one too short or a missing one with MongoDB', () => {
    expect(authorSecret(join(root, 'env'), { VOC_AUTHOR_SECRET: ' 0123456789abcdef ' })).toBe('0123456789abcdef');
    const short = thrown(() => authorSecret(join(root, 'env'), { VOC_AUTHOR_SECRET: 'short' }));
    expect(short.message).toBe('VOC_AUTHOR_SECRET: expected at least 16 characters (e.g. `openssl rand -hex 32`)');
    expect(errorText(short, 'zh-CN')).toBe('VOC_AUTHOR_SECRET：至少需要 16 个字符（例如 `openssl rand -hex 32` 的输出）');
    expect(thrown(() => authorSecret(join(root, 'env'), { MONGODB_URI: 'mongodb://127.0.0.1:1/x' })).message).toMatch(/^VOC_AUTHOR_SECRET is not set: with MONGODB_URI/);
  });

  it('makes a secret once per data directory, readable by its owner only, and keeps it', () => {
    const dir = join(root, 'once');
    const first = authorSecret(dir, {});
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(authorSecret(dir, {})).toBe(first);
    expect(statSync(join(dir, 'author-secret')).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['author-secret']);
  });

  it('gives every process starting at once on a new data directory the same secret, leaving no temporary file', async () => {
    ensureCompiled(['cli/secret.ts', 'core/dirs.ts', 'core/errors.ts']);
    const raceRoot = join(root, 'race');
    const count = 300;
    const lists = (await raceChildren('test/fixtures/secret-racer.mjs', Array.from({ length: 4 }, () => [raceRoot, String(count)]))).map((l) => JSON.parse(l) as string[]);
    const onDisk = Array.from({ length: count }, (_, i) => readFileSync(join(raceRoot, String(i), 'author-secret'), 'utf8'));
    // Each process used the secret that stayed on disk (a rename let a later process replace it).
    for (const list of lists) expect(list).toEqual(onDisk);
    const leftovers = onDisk.flatMap((_, i) => readdirSync(join(raceRoot, String(i))).filter((f) => f !== 'author-secret'));
    expect(leftovers).toEqual([]);
  }, 60_000);
});
