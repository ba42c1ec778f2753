/**
 * `voc users add|list|remove` and `voc tokens create|list|revoke`: the accounts of the analyst
 * console (issue 7). Registered on the main program by `registerUserCommands`.
 *
 * A password is never a command-line argument (it would show in `ps` and shell history): it is
 * read from standard input, typed without echo on a terminal or piped (`printf '%s\n' "$PW" | voc users add ...`).
 */
import type { Command } from 'commander';
import type { VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { openStore } from '../store/open.js';
import { ROLES, type Store } from '../store/store.js';
import { addUser, checkUsername, createToken, parseRole, publicUser } from '../server/accounts.js';
import type { App } from './app.js';
import { jsonText } from './json.js';

export interface UserCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}

const TEXT = {
  'zh-CN': {
    prompt: '密码（至少 10 个字符，不回显）：',
    added: (u: string, r: string) => `已添加用户 ${u}（角色 ${r}）`,
    replaced: (u: string, r: string) => `已更新用户 ${u}（角色 ${r}）`,
    removed: (u: string) => `已删除用户 ${u}（及其 API 令牌和登录会话）`,
    none: '还没有用户：用 `voc users add 用户名 --role admin` 添加',
    tokenCreated: (id: string, u: string) => `已为 ${u} 创建 API 令牌 ${id}。令牌只显示这一次，请妥善保存：`,
    tokenRevoked: (id: string) => `已吊销 API 令牌 ${id}`,
    noTokens: '没有 API 令牌',
    never: '永不过期',
  },
  en: {
    prompt: 'Password (at least 10 characters, not echoed): ',
    added: (u: string, r: string) => `Added user ${u} (role ${r})`,
    replaced: (u: string, r: string) => `Updated user ${u} (role ${r})`,
    removed: (u: string) => `Removed user ${u} (and their API tokens and sessions)`,
    none: 'No users yet: add one with `voc users add NAME --role admin`',
    tokenCreated: (id: string, u: string) => `Created API token ${id} for ${u}. It is shown only this once; keep it safe:`,
    tokenRevoked: (id: string) => `Revoked API token ${id}`,
    noTokens: 'No API tokens',
    never: 'never expires',
  },
};

/** The password: typed without echo on a terminal, else the first line of piped standard input. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    stdin.setEncoding('utf8');
    for await (const chunk of stdin) data += chunk as string;
    const line = data.split(/\r?\n/)[0] ?? '';
    if (!line)
      throw new InputError({
        en: 'password: none on standard input; pipe it in, e.g. printf \'%s\\n\' "$PASSWORD" | voc users add NAME --role analyst',
        zh: '密码：标准输入中没有密码；请用管道传入，例如 printf \'%s\\n\' "$PASSWORD" | voc users add NAME --role analyst',
      });
    return line;
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(value));
        if (ch === '\u0003') return done(() => reject(new InputError({ en: 'cancelled', zh: '已取消' })));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}

function positiveDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new InputError({ en: `--days: expected a whole number of days from 1 to 3650, got "${v}"`, zh: `--days：应为 1 到 3650 之间的整数天数，实际为“${v}”` });
  return n;
}

/** Adds the `users` and `tokens` command groups to `program`. */
export function registerUserCommands(program: Command, ctx: UserCommandContext): void {
  // Only the store is needed: opening it alone skips loading the classifier (seconds of dictionaries).
  const withApp = async <T>(fn: (app: { store: Store }, t: (typeof TEXT)['en']) => Promise<T>): Promise<T> => {
    const config = ctx.readConfig();
    const t = TEXT[ctx.locale(config) === 'en' ? 'en' : 'zh-CN'];
    const store = await openStore({ dataDir: config.dataDir });
    try {
      return await fn({ store }, t);
    } finally {
      await store.close();
    }
  };

  const users = program.command('users').description('analyst console users: add, list, remove');
  users
    .command('add')
    .description('add a user; the password is read from standard input (typed without echo, or piped)')
    .argument('<username>')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--replace', 'replace an existing user (new role and password)')
    .action(async (username: string, opts: { role: string; replace?: boolean }) => {
      // Checked before asking for a password, so a typo costs no typing.
      checkUsername(username);
      parseRole(opts.role, '--role');
      await withApp(async (app, t) => {
        const existed = Boolean(await app.store.getUser(username));
        if (existed && !opts.replace)
          throw new InputError({
            en: `user "${username}" exists already; pass --replace to change their role and password`,
            zh: `用户“${username}”已存在；如需修改其角色和密码，请加上 --replace`,
          });
        const password = await readPassword(t.prompt);
        const user = await addUser(app.store, { username, role: opts.role, password }, { replace: Boolean(opts.replace) });
        console.log((existed ? t.replaced : t.added)(user.username, user.role));
      });
    });
  users
    .command('list')
    .description('list the users and their roles')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { json?: boolean }) =>
      withApp(async (app, t) => {
        const list = (await app.store.listUsers()).map(publicUser);
        if (opts.json) return list.forEach((u) => console.log(jsonText(u)));
        if (list.length === 0) return console.log(t.none);
        for (const u of list) console.log(`${u.username}\t${u.role}\t${u.createdAt}`);
      }),
    );
  users
    .command('remove')
    .description('remove a user with their API tokens and sessions')
    .argument('<username>')
    .action(async (username: string) =>
      withApp(async (app, t) => {
        if (!(await app.store.removeUser(username)))
          throw new InputError({ en: `unknown user "${username}"; \`voc users list\` shows the users`, zh: `用户“${username}”不存在；\`voc users list\` 可查看所有用户` });
        console.log(t.removed(username));
      }),
    );

  const tokens = program.command('tokens').description('API tokens (Authorization: Bearer ...): create, list, revoke');
  tokens
    .command('create')
    .description('create an API token acting as a user (with their role); prints the secret once')
    .requiredOption('--user <username>', 'the user the token acts as')
    .option('--name <label>', 'what the token is for', 'api')
    .option('--days <n>', 'expire after this many days (default never)', positiveDays)
    .option('--json', 'print { id, user, token, expiresAt } as JSON')
    .action(async (opts: { user: string; name: string; days?: number; json?: boolean }) =>
      withApp(async (app, t) => {
        const { record, secret } = await createToken(app.store, opts.user, opts.name, opts.days ? { days: opts.days } : {});
        if (opts.json) return console.log(jsonText({ id: record.id, user: record.username, token: secret, expiresAt: record.expiresAt ?? null }));
        console.log(t.tokenCreated(record.id, record.username));
        console.log(secret);
      }),
    );
  tokens
    .command('list')
    .description('list API tokens (never their secrets)')
    .option('--user <username>', 'only this user\'s')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { user?: string; json?: boolean }) =>
      withApp(async (app, t) => {
        const list = (await app.store.listApiTokens(opts.user)).map(({ tokenHash: _hash, ...rest }) => rest);
        if (opts.json) return list.forEach((x) => console.log(jsonText(x)));
        if (list.length === 0) return console.log(t.noTokens);
        for (const x of list) console.log(`${x.id}\t${x.username}\t${x.name.replace(/[\u0000-\u001f\u007f]/g, ' ')}\t${x.createdAt}\t${x.expiresAt ?? t.never}`);
      }),
    );
  tokens
    .command('revoke')
    .description('revoke an API token by id')
    .argument('<id>')
    .action(async (id: string) =>
      withApp(async (app, t) => {
        if (!(await app.store.removeApiToken(id)))
          throw new InputError({ en: `unknown API token "${id}"; \`voc tokens list\` shows the tokens`, zh: `API 令牌“${id}”不存在；\`voc tokens list\` 可查看所有令牌` });
        console.log(t.tokenRevoked(id));
      }),
    );
}
