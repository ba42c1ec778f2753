/**
 * An embedded store written before issue 7 (schema version 1: no users, tokens or sessions) opens
 * with this version, gains the new tables, and keeps its posts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { EMBEDDED_DB_FILE, EMBEDDED_SCHEMA_VERSION, openEmbeddedStore } from '../store/embedded.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

it('migrates a version-1 store to the current version, keeping its posts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'voc-migrate-'));
  dirs.push(dir);
  const text = '客服回复很快';
  const first = openEmbeddedStore(dir);
  await first.upsertPosts([
    { id: 'f:1', source: 'f', externalId: '1', url: 'https://f.example/1', text, lang: 'zh', publishedAt: '2026-10-01T00:00:00.000Z', collectedAt: '2026-10-02T00:00:00.000Z', engagement: {}, contentHash: createHash('sha256').update(text).digest('hex'), targetId: 't', brand: 'acme' },
  ]);
  await first.close();
  // Turn the file back into what voc wrote before issue 7.
  const raw = new Database(join(dir, EMBEDDED_DB_FILE));
  raw.exec('DROP TABLE users; DROP TABLE api_tokens; DROP TABLE sessions;');
  raw.pragma('user_version = 1');
  raw.close();

  const store = openEmbeddedStore(dir);
  try {
    expect(EMBEDDED_SCHEMA_VERSION).toBe(2);
    expect(store.schemaVersion()).toBe(2);
    expect((await store.getPosts(['f:1'])).map((p) => p.text)).toEqual([text]);
    await store.saveUser({ username: 'alice', role: 'viewer', passwordHash: 'scrypt$1$1$1$a$b', createdAt: '2026-11-01T00:00:00.000Z' });
    expect((await store.listUsers()).map((u) => u.username)).toEqual(['alice']);
    expect(store.integrityCheck()).toBe('ok');
  } finally {
    await store.close();
  }
});
