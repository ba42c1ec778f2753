/**
 * What only the embedded store has to prove: several processes on one data directory, a process
 * killed mid-write, the schema version, and clear errors for a bad data directory. The child
 * processes run test/fixtures/store-writer.mjs against the compiled dist/ build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VocError } from '../core/errors.js';
import type { Target } from '../core/types.js';
import { EMBEDDED_SCHEMA_VERSION, openEmbeddedStore } from '../store/embedded.js';
import { ensureCompiled } from './helpers/compiled.js';

const ROOT = resolve(import.meta.dirname, '..');
const WRITER = join(ROOT, 'test/fixtures/store-writer.mjs');
const STORE_SOURCES = ['store/embedded.ts', 'store/upsert-plan.ts', 'store/validate.ts', 'core/errors.ts', 'core/dirs.ts'];


/** Lines a child prints on stdout, awaitable by content. */
function stdoutLines(child: ChildProcess) {
  const seen: string[] = [];
  const waiting: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    seen.push(line);
    for (const w of [...waiting]) {
      if (w.match(line)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return {
    exited,
    stderr: () => stderr,
    /** The first line matching, past or future; rejects if the child exits without printing it. */
    waitFor(match: (line: string) => boolean): Promise<string> {
      const hit = seen.find(match);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((res, rej) => {
        waiting.push({ match, resolve: res });
        void exited.then((code) => rej(new Error(`child exited (${code}) before the expected line; stderr: ${stderr}`)));
      });
    },
  };
}

function startWriter(args: string[]) {
  const child = spawn(process.execPath, [WRITER, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  return { child, ...stdoutLines(child) };
}

/** A crawl target to store (its content does not matter to these tests). */
const target: Target = {
  id: 'forum',
  kind: 'html',
  url: 'https://forum.example/',
  brand: 'acme',
  source: 'demo-forum',
  selectors: { item: '.post', text: '.body' },
  maxPages: 1,
  delayMs: 0,
  allowPrivate: false,
  timeZone: 'Asia/Shanghai',
};

let dir: string;
beforeAll(() => ensureCompiled(STORE_SOURCES));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voc-embedded-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('EmbeddedStore across processes', () => {
  it('two processes upserting into one new data directory at once store every post exactly once', async () => {
    const dataDir = join(dir, 'data'); // not created yet: both children create and migrate it at once
    const a = startWriter(['concurrent', dataDir, 'a']);
    const b = startWriter(['concurrent', dataDir, 'b']);
    await Promise.all([a.waitFor((l) => l === 'ready'), b.waitFor((l) => l === 'ready')]);
    a.child.stdin!.end('go\n');
    b.child.stdin!.end('go\n');
    const [doneA, doneB] = await Promise.all([a.waitFor((l) => l.startsWith('{')), b.waitFor((l) => l.startsWith('{'))]);
    expect([await a.exited, await b.exited]).toEqual([0, 0]);
    expect(a.stderr() + b.stderr()).toBe('');

    const ra = JSON.parse(doneA) as { inserted: number; updated: number; unchanged: number; changed: number };
    const rb = JSON.parse(doneB) as typeof ra;
    // 5,000 own posts each, plus 1,000 shared ones inserted by whichever worker got there first.
    expect(ra.inserted + rb.inserted).toBe(11_000);
    expect(ra.unchanged + rb.unchanged).toBe(1_000);
    expect(ra.updated + rb.updated).toBe(0);
    expect(ra.changed + rb.changed).toBe(11_000);

    const store = openEmbeddedStore(dataDir);
    try {
      expect(await store.countPosts({})).toBe(11_000);
      const ids = (await store.queryPosts({})).map((p) => p.id);
      expect(new Set(ids).size).toBe(11_000);
      const bySource = (prefix: string) => ids.filter((id) => id.startsWith(`${prefix}:`)).length;
      expect([bySource('worker-a'), bySource('worker-b'), bySource('shared')]).toEqual([5_000, 5_000, 1_000]);
      expect(await store.countPosts({ targetId: 'shared' })).toBe(1_000);
      expect(store.integrityCheck()).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('a writer killed with SIGKILL mid-write leaves only whole batches and a sound file', async () => {
    const dataDir = join(dir, 'data');
    const w = startWriter(['crash', dataDir]);
    await w.waitFor((l) => l === 'committed 3');
    w.child.kill('SIGKILL');
    await w.exited;
    expect(w.child.signalCode).toBe('SIGKILL');

    const store = openEmbeddedStore(dataDir);
    try {
      expect(store.integrityCheck()).toBe('ok');
      const count = await store.countPosts({});
      expect(count).toBeGreaterThanOrEqual(1_500);
      expect(count % 500).toBe(0);
      // Every batch that is there is there whole.
      const perBatch = new Map<string, number>();
      for (const p of await store.queryPosts({})) {
        const batch = p.externalId.split('-')[0]!;
        perBatch.set(batch, (perBatch.get(batch) ?? 0) + 1);
      }
      expect([...perBatch.values()].every((n) => n === 500)).toBe(true);
      expect(perBatch.size).toBe(count / 500);
      // The store keeps working after the crash.
      const [sample] = await store.queryPosts({});
      const r = await store.upsertPosts([{ ...sample!, id: 'crash:after', externalId: 'after' }]);
      expect(r.inserted).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('EmbeddedStore data directory', () => {
  it('creates the directory and a WAL-mode voc.sqlite at the current schema version, and reopens it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = openEmbeddedStore(dataDir);
    expect(store.file).toBe(join(dataDir, 'voc.sqlite'));
    expect(store.schemaVersion()).toBe(EMBEDDED_SCHEMA_VERSION);
    expect(EMBEDDED_SCHEMA_VERSION).toBe(2);
    await store.saveTarget(target);
    await store.close();
    await store.close(); // closing twice is harmless

    const raw = new Database(join(dataDir, 'voc.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['api_tokens', 'classifications', 'crawl_state', 'posts', 'reports', 'runs', 'sessions', 'targets', 'users']);
    raw.close();

    const again = openEmbeddedStore(dataDir);
    expect((await again.listTargets()).map((t) => t.id)).toEqual(['forum']);
    await again.close();
  });

  it('refuses a file written by a newer schema with a VocError saying what to do', () => {
    const dataDir = join(dir, 'data');
    openEmbeddedStore(dataDir).close();
    const raw = new Database(join(dataDir, 'voc.sqlite'));
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openEmbeddedStore(dataDir)).toThrow(VocError);
    expect(() => openEmbeddedStore(dataDir)).toThrow(/schema version 7, newer than this voc understands \(2\): upgrade voc/);
  });

  it('names the path when the data directory is a file or voc.sqlite is not a database', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'hello');
    expect(() => openEmbeddedStore(file)).toThrow(VocError);
    expect(() => openEmbeddedStore(file)).toThrow(`data directory ${file}: is a file, not a folder; name a folder with --data-dir or dataDir in the config`);

    const dataDir = join(dir, 'data');
    openEmbeddedStore(join(dir, 'data')).close();
    rmSync(join(dataDir, 'voc.sqlite'));
    writeFileSync(join(dataDir, 'voc.sqlite'), 'this is not sqlite, just text that is long enough to have a header '.repeat(20));
    expect(() => openEmbeddedStore(dataDir)).toThrow(`cannot open the data store ${join(dataDir, 'voc.sqlite')}: file is not a database`);
    expect(() => openEmbeddedStore('')).toThrow('data directory: expected a path');
  });
});

describe('EmbeddedStore while another process keeps the file locked', () => {
  it('a write that waited out the busy timeout fails with one clear VocError and saves nothing; after the lock is gone it succeeds', async () => {
    const dataDir = join(dir, 'data');
    const store = openEmbeddedStore(dataDir, { busyTimeoutMs: 200 });
    await store.saveTarget({ ...target, id: 'kept' });
    // Another writer holds the write lock (a statement and a transaction of ours must both wait for it).
    const holder = new Database(store.file);
    holder.exec('BEGIN IMMEDIATE');
    const message = `the data store ${store.file} stayed locked by another process for 0.2 s, so nothing of this write was saved; wait for that voc process to finish (or stop it) and try again`;
    // A VocError the CLI prints as one line, with exit code 1 (a failed run): transient, so queue jobs retry it.
    await expect(store.saveTarget(target)).rejects.toMatchObject({ name: 'VocError', exitCode: 1, message });
    await expect(store.saveTarget(target)).rejects.toThrow(VocError);
    await expect(store.removeTarget('kept')).rejects.toThrow(message);
    // Readers are not blocked (WAL), and they see that nothing was written.
    expect((await store.listTargets()).map((t) => t.id)).toEqual(['kept']);
    holder.exec('COMMIT');
    holder.close();
    await store.saveTarget(target);
    expect(await store.removeTarget('kept')).toBe(true);
    expect((await store.listTargets()).map((t) => t.id)).toEqual(['forum']);
    await store.close();
  });

  it('opening a data directory another process keeps locked exclusively fails after the busy timeout, naming the file and what to do', async () => {
    const dataDir = join(dir, 'data');
    await openEmbeddedStore(dataDir).close();
    const file = join(dataDir, 'voc.sqlite');
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare('UPDATE targets SET doc = doc').run();
    expect(() => openEmbeddedStore(dataDir, { busyTimeoutMs: 200 })).toThrow(
      `cannot open the data store ${file}: another process kept it locked for 0.2 s; wait for that voc process to finish (or stop it) and try again`,
    );
    holder.exec('COMMIT');
    holder.close();
    const store = openEmbeddedStore(dataDir, { busyTimeoutMs: 200 });
    expect(store.schemaVersion()).toBe(EMBEDDED_SCHEMA_VERSION);
    await store.close();
  });
});
