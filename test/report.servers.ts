/**
 * Real servers on 127.0.0.1 for the delivery tests: an SMTP server (smtp-server) that parses what
 * it receives with mailparser, and an HTTP server that records webhook requests. Each can be told
 * to fail the next N requests, to exercise retries.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MailServer {
  port: number;
  received: ParsedMail[];
  /** Auth attempts seen (user, password). */
  logins: Array<{ user: string; pass: string }>;
  /** Answer the next `n` messages with this SMTP error (e.g. 451 transient, 550 permanent). */
  failNext(n: number, code: number): void;
  /** Resolves when `count` messages have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startMailServer(auth?: { user: string; pass: string }): Promise<MailServer> {
  const received: ParsedMail[] = [];
  const logins: MailServer['logins'] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let failures = 0;
  let failCode = 451;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !auth,
    logger: false,
    onAuth(a, _session, cb) {
      logins.push({ user: a.username ?? '', pass: a.password ?? '' });
      if (auth && a.username === auth.user && a.password === auth.pass) cb(null, { user: a.username });
      else cb(new Error('invalid login'));
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          const err = new Error(failCode >= 500 ? 'mailbox unavailable' : 'try again later') as Error & { responseCode: number };
          err.responseCode = failCode;
          cb(err);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push(mail);
          for (const w of waiters.filter((x) => received.length >= x.count)) w.resolve();
          cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    logins,
    failNext(n, code) {
      failures = n;
      failCode = code;
    },
    waitFor(count) {
      return received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface HookServer {
  url: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: string; status: number }>;
  /** Answer the next requests with these statuses (then 200). */
  respondWith(...statuses: number[]): void;
  close(): Promise<void>;
}

export async function startHookServer(): Promise<HookServer> {
  const requests: HookServer['requests'] = [];
  let queue: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = queue.shift() ?? 200;
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/voc`,
    requests,
    respondWith(...statuses) {
      queue = statuses;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
