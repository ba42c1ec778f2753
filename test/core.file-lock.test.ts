import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText } from '../core/errors.js';
import { withFileLock } from '../core/file-lock.js';
import { ensureCompiled, sourcesIn } from './helpers/compiled.js';
import { raceChildren } from './helpers/race.js';

const root = mkdtempSync(join(tmpdir(), 'voc-lock-'));

describe('withFileLock', () => {
  it('runs the function holding the lock and removes it afterwards, also when the function throws', () => {
    const lock = join(root, 'a.lock');
    expect(withFileLock(lock, () => (existsSync(lock) ? readFileSync(lock, 'utf8') : 'no lock'))).toBe(`${process.pid}@${hostname()}`);
    expect(existsSync(lock)).toBe(false);
    expect(() => withFileLock(lock, () => { throw new Error('boom'); })).toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('gives up on a lock another living process holds, naming the file, the holder and what to do', () => {
    const lock = join(root, 'held.lock');
    writeFileSync(lock, `1@${hostname()}`); // pid 1 always runs
    let ran = false;
    let error: Error | undefined;
    try {
      withFileLock(lock, () => (ran = true), { timeoutMs: 30 });
    } catch (err) {
      error = err as Error;
    }
    expect(ran).toBe(false);
    expect(error?.message).toBe(`${lock}: another voc process (pid 1 on ${hostname()}) has held this lock for 0.03 s; if none is running, delete the file and try again`);
    expect(errorText(error!, 'zh-CN')).toBe(`${lock}：另一个 voc 进程（主机 ${hostname()} 上的进程 1）持有此锁已达 0.03 秒；若没有正在运行的 voc 进程，请删除该文件后重试`);
    expect(existsSync(lock)).toBe(true);
  });

  it('takes over at once a fresh lock whose owner on this host has exited (a voc eval killed with Ctrl-C)', () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    expect(exited.status).toBe(0);
    const lock = join(root, 'dead-owner.lock');
    writeFileSync(lock, `${exited.pid}@${hostname()}`);
    expect(withFileLock(lock, () => 'ran', { timeoutMs: 30 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('leaves a fresh lock of another host alone: its pid means nothing here (a data directory on a shared disk)', () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    const lock = join(root, 'other-host.lock');
    writeFileSync(lock, `${exited.pid}@another-host.invalid`);
    expect(() => withFileLock(lock, () => 'ran', { timeoutMs: 30 })).toThrow(`another voc process (pid ${exited.pid} on another-host.invalid) has held this lock`);
    expect(existsSync(lock)).toBe(true);
  });

  it('waits on a lock without an owner line (being written, or left by an older voc) as on a held one', () => {
    const lock = join(root, 'no-owner.lock');
    writeFileSync(lock, '');
    expect(() => withFileLock(lock, () => 'ran', { timeoutMs: 30 })).toThrow(`${lock}: another voc process has held this lock for 0.03 s`);
  });

  it('takes over a lock left by a killed process (older than staleMs)', () => {
    const lock = join(root, 'stale.lock');
    writeFileSync(lock, '1@another-host.invalid');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(withFileLock(lock, () => 'ran', { timeoutMs: 30 })).toBe('ran');
    expect(existsSync(lock)).toBe(false);
  });

  it('keeps every run of four processes saving evaluations into one evaluation.json at once', async () => {
    ensureCompiled([...sourcesIn('core'), 'analysis/eval/saved.ts']);
    const dataDir = join(root, 'data');
    const outputs = await raceChildren('test/fixtures/eval-saver.mjs', ['a', 'b', 'c', 'd'].map((tag) => [dataDir, tag, '25']));
    expect(outputs).toEqual(['saved', 'saved', 'saved', 'saved']);
    const saved = JSON.parse(readFileSync(join(dataDir, 'evaluation.json'), 'utf8')) as { runs: Record<string, unknown> };
    // A read-merge-write without the lock lost the runs another process wrote in between.
    expect(Object.keys(saved.runs)).toHaveLength(100);
  }, 60_000);
});
