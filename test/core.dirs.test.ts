import { spawn } from 'node:child_process';
import { mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { ensureDir } from '../core/dirs.js';
import { ROOT } from './helpers/cli.js';
import { ensureCompiled } from './helpers/compiled.js';

/** Starts `n` processes making the same fresh folders; resolves with each one's summary line. */
async function race(root: string, n: number, count: number): Promise<Array<{ failed: number; first: string | null }>> {
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, [join(ROOT, 'test/fixtures/dirs-racer.mjs'), root, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const lines = children.map((child) => {
    const seen: string[] = [];
    const ready = new Promise<void>((res) => createInterface({ input: child.stdout! }).on('line', (l) => (l === 'ready' ? res() : seen.push(l))));
    const done = new Promise<string>((res) => child.once('exit', () => res(seen.join('\n'))));
    return { ready, done };
  });
  // Every child has imported the module before any starts, so they really run side by side.
  await Promise.all(lines.map((l) => l.ready));
  for (const child of children) child.stdin!.end('go\n');
  return (await Promise.all(lines.map((l) => l.done))).map((l) => JSON.parse(l) as { failed: number; first: string | null });
}

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
    const summaries = await race(join(root, 'race'), 4, 2000);
    expect(summaries).toEqual(Array.from({ length: 4 }, () => ({ failed: 0, first: null })));
  }, 60_000);
});
