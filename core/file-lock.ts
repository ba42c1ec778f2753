/**
 * A lock file around a read-modify-write of a small shared file (`evaluation.json`), so that two
 * processes updating it at once (two `voc eval` runs on one data directory) both land instead of
 * the later write dropping the earlier one's entry.
 *
 * The lock is a file made with O_EXCL: exactly one process creates it. It holds the owner's pid and
 * host (`pid@host`). A lock whose owner ran on this host and no longer exists is removed at once (a
 * `voc eval` killed with Ctrl-C should not make the next one wait); one older than `staleMs` is taken
 * to be left by a killed process elsewhere (a data directory on a shared disk) and is removed too.
 * Waiting is a synchronous sleep (Atomics.wait), as the callers are synchronous and short.
 *
 * Not a general mutex: when two waiters find the same stale lock, the slower one may remove the lock
 * the faster one has just taken (no atomic compare-and-unlink exists). That needs a crash and two
 * waiters in the same moment; for a file of eval figures, which a rerun restores, it is accepted.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { VocError } from './errors.js';

export interface FileLockOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** A lock file older than this is a crashed owner's (default 30 s; a holder needs milliseconds). */
  staleMs?: number;
}

const WAIT_CELL = new Int32Array(new SharedArrayBuffer(4));

/** Runs `fn` while holding `lockPath`; removes the lock afterwards, whatever `fn` does. */
export function withFileLock<T>(lockPath: string, fn: () => T, options: FileLockOptions = {}): T {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, `${process.pid}@${hostname()}`);
      } finally {
        closeSync(fd);
      }
      try {
        return fn();
      } finally {
        unlinkSync(lockPath);
      }
    }
    const owner = readOwner(lockPath);
    if (isStale(lockPath, staleMs) || (owner?.host === hostname() && !isAlive(owner.pid))) {
      removeQuietly(lockPath);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner ? { en: ` (pid ${owner.pid} on ${owner.host})`, zh: `（主机 ${owner.host} 上的进程 ${owner.pid}）` } : { en: '', zh: '' };
      throw new VocError({
        en: `${lockPath}: another voc process${who.en} has held this lock for ${timeoutMs / 1000} s; if none is running, delete the file and try again`,
        zh: `${lockPath}：另一个 voc 进程${who.zh}持有此锁已达 ${timeoutMs / 1000} 秒；若没有正在运行的 voc 进程，请删除该文件后重试`,
      });
    }
    Atomics.wait(WAIT_CELL, 0, 0, Math.min(100, 2 * 2 ** attempt));
  }
}

/** The owner written into the lock, or undefined for a file being written, gone, or from before hosts were recorded. */
function readOwner(lockPath: string): { pid: number; host: string } | undefined {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^(\d+)@(.+)$/.exec(text);
  return match ? { pid: Number(match[1]), host: match[2] } : undefined;
}

/** Whether a process with this pid exists here (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lockPath: string, staleMs: number): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > staleMs;
  } catch {
    return false; // released meanwhile: the next attempt takes it
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Another waiter removed it first.
  }
}
