import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDir } from '../core/dirs.js';
import { ensureCompiled } from './helpers/compiled.js';
import { raceChildren } from './helpers/race.js';

describe('ensureDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'voc-dirs-'));

  it('makes a folder with its missing parents, and accepts one that exists', () => {
    const deep = join(root, 'a', 'b', 'c');
    expect(ensureDir(deep)).toBe(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(ensureDir(deep)).toBe(deep);
  });

  it('fails with ENOENT where mkdir cannot make a folder under an existing one (/proc), instead of looping', () => {
    // Node's fs.promises.mkdir(…, { recursive: true }) spins forever on this path.
    expect(() => ensureDir('/proc/voc-test/x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('fails with ENOTDIR under a file or a dangling link', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    expect(() => ensureDir(join(file, 'x'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    const link = join(root, 'dangling');
    symlinkSync(join(root, 'nowhere', 'reports'), link);
    expect(() => ensureDir(join(link, '2026-10'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('lets several processes make the same new folders at once (two workers opening one new data directory)', async () => {
    ensureCompiled(['core/dirs.ts', 'core/errors.ts']);
    // Between stat's ENOENT and the next look another process may have made the folder; that
    // folder used to be taken for a dangling link and failed with ENOTDIR (tens of 2,000 per run).
    const summaries = (await raceChildren('test/fixtures/dirs-racer.mjs', Array.from({ length: 4 }, () => [join(root, 'race'), '2000']))).map((l) => JSON.parse(l) as { failed: number; first: string | null });
    expect(summaries).toEqual(Array.from({ length: 4 }, () => ({ failed: 0, first: null })));
  }, 60_000);
});
