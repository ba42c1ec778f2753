/**
 * `voc users` and `voc tokens` on the real binary, and `voc serve` using what they wrote: a token
 * created on the command line opens the API of a running server; revoked, it no longer does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, ROOT, startVoc, stopChild, VOC_BIN, type CliResult } from './helpers/cli.js';
import { freePort } from './fixtures/workers/redis.js';

let dir: string;
let configFile: string;

/** `voc -c CONFIG ...args` with `input` on standard input (a pipe, as a script would send it). */
function voc(args: string[], input = '', env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [VOC_BIN, '-c', configFile, ...args], { cwd: ROOT, env: { ...process.env, VOC_LANG: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'voc-users-'));
  configFile = join(dir, 'voc.config.yaml');
  writeFileSync(configFile, `dataDir: data\nbrands:\n  - id: acme\n    name: Acme\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('voc users', () => {
  it('adds a user with a piped password, in Chinese by default and in English', async () => {
    expect(await voc(['users', 'add', 'alice', '--role', 'analyst'], 'alice-password-1\n')).toEqual({ code: 0, stdout: '已添加用户 alice（角色 analyst）\n', stderr: '' });
    expect(await voc(['--lang', 'en', 'users', 'add', 'root', '--role', 'admin'], 'root-password-12\n')).toEqual({ code: 0, stdout: 'Added user root (role admin)\n', stderr: '' });
  });

  it('refuses bad input in one line with exit code 2, before asking for a password', async () => {
    const cases: Array<[string[], string, string]> = [
      [['users', 'add', 'alice', '--role', 'analyst'], 'another-password\n', 'voc: user "alice" exists already; pass --replace to change their role and password\n'],
      [['users', 'add', 'bob', '--role', 'boss'], '', 'voc: --role: expected one of admin, analyst, viewer, got "boss"\n'],
      [['users', 'add', 'Bob Smith', '--role', 'viewer'], '', `voc: username: expected 1-64 lower-case letters, digits, '.', '_' or '-' starting with a letter or digit, got "Bob Smith"\n`],
      [['users', 'add', 'bob', '--role', 'viewer'], 'short\n', 'voc: password: at least 10 characters\n'],
      [['users', 'add', 'bob', '--role', 'viewer'], '', `voc: password: none on standard input; pipe it in, e.g. printf '%s\\n' "$PASSWORD" | voc users add NAME --role analyst\n`],
      [['users', 'remove', 'nobody'], '', 'voc: unknown user "nobody"; `voc users list` shows the users\n'],
      [['tokens', 'create', '--user', 'nobody'], '', 'voc: unknown user "nobody"; `voc users list` shows the users\n'],
      [['tokens', 'revoke', 'feedfeed'], '', 'voc: unknown API token "feedfeed"; `voc tokens list` shows the tokens\n'],
    ];
    for (const [args, input, stderr] of cases) expect(await voc(['--lang', 'en', ...args], input), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
    // The same refusals in Chinese, the default.
    const chinese: Array<[string[], string, string]> = [
      [['users', 'add', 'alice', '--role', 'analyst'], 'another-password\n', 'voc: 用户“alice”已存在；如需修改其角色和密码，请加上 --replace\n'],
      [['users', 'add', 'bob', '--role', 'viewer'], 'short\n', 'voc: password：至少 10 个字符\n'],
      [['tokens', 'revoke', 'feedfeed'], '', 'voc: API 令牌“feedfeed”不存在；`voc tokens list` 可查看所有令牌\n'],
    ];
    for (const [args, input, stderr] of chinese) expect(await voc(args, input), args.join(' ')).toEqual({ code: 2, stdout: '', stderr });
  });

  it('lists users without their password hashes', async () => {
    const { code, stdout } = await voc(['users', 'list', '--json']);
    expect(code).toBe(0);
    const users = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(users.map((u) => [u.username, u.role, Object.keys(u).sort().join(',')])).toEqual([
      ['alice', 'analyst', 'createdAt,role,username'],
      ['root', 'admin', 'createdAt,role,username'],
    ]);
  });
});

describe('voc tokens with voc serve', () => {
  it('a created token opens the API of a running server until it is revoked; users remove ends it too', async () => {
    const created = await voc(['tokens', 'create', '--user', 'alice', '--name', 'ci', '--days', '30', '--json']);
    expect(created.code).toBe(0);
    const { id, user, token, expiresAt } = JSON.parse(created.stdout) as { id: string; user: string; token: string; expiresAt: string };
    expect(user).toBe('alice');
    expect(token).toMatch(/^voc_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(29 * 86400_000);
    const listed = await voc(['tokens', 'list', '--json']);
    expect(listed.stdout).not.toContain(token);
    expect(JSON.parse(listed.stdout.trim()) as Record<string, string>).toMatchObject({ id, username: 'alice', name: 'ci' });

    const port = await freePort();
    const { child, lines } = await startVoc(['-c', configFile, '--lang', 'en', 'serve', '--port', String(port), '--host', '127.0.0.1'], /^console: /, { REDIS_URL: '' });
    try {
      expect(lines[0]).toBe(`voc serving at http://127.0.0.1:${port} (/health, /metrics); Ctrl+C to stop`);
      expect(lines[1]).toBe(`console: http://127.0.0.1:${port}/  API docs: http://127.0.0.1:${port}/api/docs`);
      // The built UI (npm test runs build:web first) is served at / by the same process.
      const index = await fetch(`http://127.0.0.1:${port}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await index.text()).toContain('<div id="app"></div>');
      const me = () => fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      const ok = await me();
      expect([ok.status, await ok.json()]).toEqual([200, { username: 'alice', role: 'analyst' }]);
      expect(await voc(['tokens', 'revoke', id])).toEqual({ code: 0, stdout: `已吊销 API 令牌 ${id}\n`, stderr: '' });
      expect((await me()).status).toBe(401);

      const second = JSON.parse((await voc(['tokens', 'create', '--user', 'alice', '--json'])).stdout) as { token: string };
      const me2 = () => fetch(`http://127.0.0.1:${port}/api/me`, { headers: { authorization: `Bearer ${second.token}` } });
      expect((await me2()).status).toBe(200);
      expect(await voc(['users', 'remove', 'alice'])).toEqual({ code: 0, stdout: '已删除用户 alice（及其 API 令牌和登录会话）\n', stderr: '' });
      expect((await me2()).status).toBe(401);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  }, 60_000);
});
