/**
 * openStore: which store is picked, and how a MongoDB that cannot be used is reported (one line,
 * the URI with its password masked). The unreachable server is a real closed port on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, VocError } from '../core/errors.js';
import { maskMongoUri } from '../store/mongo.js';
import { openStore } from '../store/open.js';

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as { port: number };
  await new Promise<void>((res) => server.close(() => res()));
  return port;
}

let dir: string;
let savedEnv: string | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'voc-open-'));
  savedEnv = process.env.MONGODB_URI;
  delete process.env.MONGODB_URI;
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.MONGODB_URI;
  else process.env.MONGODB_URI = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens the embedded store under dataDir when no MongoDB URI is set', async () => {
    const store = await openStore({ dataDir: join(dir, 'data'), mongoUri: '' });
    try {
      expect(store.kind).toBe('embedded');
      expect(await store.upsertPosts([])).toEqual({ inserted: 0, updated: 0, unchanged: 0, changedIds: [] });
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable MongoDB as one VocError line naming the URI with the password masked', async () => {
    const port = await closedPort();
    const uri = `mongodb://alice:s3cr%40t@127.0.0.1:${port}/voc?serverSelectionTimeoutMS=300`;
    const err = await openStore({ dataDir: join(dir, 'data'), mongoUri: uri }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(VocError);
    const message = (err as VocError).message;
    expect(message.startsWith(`cannot use MongoDB at mongodb://alice:****@127.0.0.1:${port}/voc?serverSelectionTimeoutMS=300: `)).toBe(true);
    expect(message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(message).toContain('check that the server is running and reachable');
    expect(message).not.toContain('s3cr');
    expect(message).not.toContain('\n');
  });

  it('falls back to env MONGODB_URI', async () => {
    const port = await closedPort();
    process.env.MONGODB_URI = `mongodb://127.0.0.1:${port}/?serverSelectionTimeoutMS=300`;
    await expect(openStore({ dataDir: join(dir, 'data') })).rejects.toThrow(`cannot use MongoDB at mongodb://127.0.0.1:${port}/`);
  });

  it('refuses a malformed MongoDB URI with an InputError', async () => {
    await expect(openStore({ dataDir: dir, mongoUri: 'http://bob:pw@db.example/voc' })).rejects.toThrow(InputError);
    await expect(openStore({ dataDir: dir, mongoUri: 'http://bob:pw@db.example/voc' })).rejects.toThrow(
      /^MongoDB URI http:\/\/bob:\*\*\*\*@db.example\/voc: .*expected mongodb:\/\//,
    );
  });
});

describe('maskMongoUri', () => {
  it('masks the password and nothing else', () => {
    expect(maskMongoUri('mongodb://u:p%40ss@h1:27017,h2:27017/voc?authSource=admin')).toBe(
      'mongodb://u:****@h1:27017,h2:27017/voc?authSource=admin',
    );
    expect(maskMongoUri('mongodb+srv://u:pw@cluster0.example.net/voc')).toBe('mongodb+srv://u:****@cluster0.example.net/voc');
    expect(maskMongoUri('mongodb://127.0.0.1:27017/voc')).toBe('mongodb://127.0.0.1:27017/voc');
    expect(maskMongoUri('mongodb://user@127.0.0.1/voc')).toBe('mongodb://user@127.0.0.1/voc');
  });
});
