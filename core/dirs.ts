/**
 * Creating an output or data folder with its missing parents.
 *
 * Node's own `mkdir(path, { recursive: true })` cannot be trusted with it: where `mkdir` answers
 * ENOENT although the parent exists (a path under /proc, some FUSE and network mounts) the promise
 * version retries the parent and the child forever at full CPU, and the sync version returns as if
 * it had worked (Node 20; `--out /proc/x` hung `voc report`). Here each missing folder is made
 * with a plain `mkdir`, so every failure is an error with its code.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VocError } from './errors.js';

/** Makes `path` and its missing parents; returns the absolute path. Throws the `mkdir`/`stat`
 *  error (ENOENT, EACCES, ENOTDIR…) of the first folder that cannot be made or is not a folder. */
export function ensureDir(path: string): string {
  const target = resolve(path);
  const missing: string[] = [];
  let p = target;
  for (;;) {
    const kind = kindOf(p);
    if (kind === 'dir') break;
    if (kind === 'other') throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p, notDir: p });
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Made meanwhile by another process (two workers writing reports at once): fine if a folder.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || kindOf(dir) !== 'dir') throw err;
    }
  }
  return target;
}

function kindOf(path: string): 'dir' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A link to nowhere (an unmounted drive) exists but is not a folder either. Ask lstat what is
    // there now: another process may have made the folder since stat answered ENOENT (two
    // writers opening one new data directory), and that folder is not 'other'.
    if (code === 'ENOENT') return kindAfterMissing(path);
    // A dangling link or a parent that is a file: not a folder, and nothing to make.
    if (code === 'ENOTDIR') return 'other';
    throw err;
  }
}

function kindAfterMissing(path: string): 'dir' | 'other' | 'missing' {
  try {
    const entry = lstatSync(path);
    if (entry.isDirectory()) return 'dir';
    return 'other';
  } catch {
    return 'missing';
  }
}

/** The data directory of the embedded store, made if missing; one clear line when it cannot be. */
export function ensureDataDir(dataDir: string): string {
  try {
    return ensureDir(dataDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    // The path (or a folder above it) is a file: that, not an error code, tells the user what to change.
    const file = (err as { notDir?: string }).notDir;
    if (file !== undefined)
      throw new VocError({
        en: `data directory ${dataDir}: ${file === resolve(dataDir) ? 'is' : `${file} is`} a file, not a folder; name a folder with --data-dir or dataDir in the config`,
        zh: `数据目录 ${dataDir}：${file === resolve(dataDir) ? '' : `${file} `}是文件，不是文件夹；请用 --data-dir 或配置中的 dataDir 指定一个文件夹`,
      });
    throw new VocError({
      en: `data directory ${dataDir}: cannot create it (${code}); check the path and its permissions`,
      zh: `数据目录 ${dataDir}：无法创建（${code}）；请检查路径及其权限`,
    });
  }
}
