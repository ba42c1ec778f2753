import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileExistsError, writeFileWhole, writeFileWholeFrom } from '../core/write-whole.js';

const dir = () => mkdtempSync(join(tmpdir(), 'voc-whole-'));

describe('writing a file whole or not at all', () => {
  it('replaces a file by default, and leaves no temporary file', () => {
    const d = dir();
    const file = join(d, 'a.txt');
    writeFileSync(file, 'old and longer');
    writeFileWhole(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a.txt']);
  });

  it('with replace: false never touches an existing file', () => {
    const d = dir();
    const file = join(d, 'a.txt');
    writeFileWhole(file, 'first', { replace: false });
    expect(() => writeFileWhole(file, 'second', { replace: false })).toThrow(FileExistsError);
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(d)).toEqual(['a.txt']);
  });

  it('a missing folder is the file system\'s ENOENT, and nothing is made', () => {
    const d = dir();
    expect(() => writeFileWhole(join(d, 'no', 'a.txt'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(readdirSync(d)).toEqual([]);
  });

  it('from chunks: the old file stays whole when the source fails half-way, and the temporary file goes', async () => {
    const d = dir();
    const file = join(d, 'export.csv');
    writeFileSync(file, 'the last good export\n');
    async function* failing(): AsyncGenerator<string> {
      yield 'row 1\n';
      throw new Error('store went away');
    }
    await expect(writeFileWholeFrom(file, failing())).rejects.toThrow('store went away');
    expect(readFileSync(file, 'utf8')).toBe('the last good export\n');
    expect(readdirSync(d)).toEqual(['export.csv']);
    async function* good(): AsyncGenerator<string> {
      yield 'row 1\n';
      yield 'row 2\n';
    }
    await writeFileWholeFrom(file, good());
    expect(readFileSync(file, 'utf8')).toBe('row 1\nrow 2\n');
    expect(readdirSync(d)).toEqual(['export.csv']);
  });
});
