/**
 * Delivery of a rendered report: e-mail to a real SMTP server on 127.0.0.1 (parsed with
 * mailparser), a webhook to a real HTTP server (HMAC signature verified, retries on 500), a
 * folder on disk. Every outcome is recorded on the archived report.
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type VocConfig } from '../core/config.js';
import type { DeliveryConfig } from '../core/report-config.js';
import { closeBrowser } from '../reports/browser.js';
import { deliverReport, webhookPayload, type DeliverableReport, type DeliverDeps } from '../reports/deliver/index.js';
import { webhookSignature } from '../reports/deliver/webhook.js';
import { generateReport } from '../reports/generate.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { BRAND, currentItems, LABELS, previousItems, spec } from './report.fixture.js';
import { startHookServer, startMailServer, type HookServer, type MailServer } from './report.servers.js';

const RETRY = { attempts: 3, baseDelayMs: 5 };
const SECRET = 'webhook-test-secret-0123456789';

let root: string;
let store: EmbeddedStore;
let config: VocConfig;
let mail: MailServer;
let hook: HookServer;
let report: DeliverableReport;

function deps(env: NodeJS.ProcessEnv = { VOC_HOOK_KEY: SECRET, VOC_SMTP_PW: 'pw-123' }): DeliverDeps {
  return { store, config, env, retry: RETRY, now: () => new Date('2026-11-02T02:00:00.000Z') };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'voc-report-deliver-'));
  store = openEmbeddedStore(join(root, 'data'));
  const items = [...currentItems(), ...previousItems()];
  await store.upsertPosts(items.map((i) => i.post));
  await store.saveClassifications(items.map((i) => i.classification));
  mail = await startMailServer({ user: 'reports', pass: 'pw-123' });
  hook = await startHookServer();
  config = parseConfig({
    brands: [BRAND],
    smtp: { host: '127.0.0.1', port: mail.port, secure: false, user: 'reports', passwordEnv: 'VOC_SMTP_PW', from: 'voc <voc@example.com>' },
  });
  report = await generateReport(
    { store, config, labels: LABELS, lexiconVersion: 'lex-test-1', now: () => new Date('2026-11-02T01:30:00.000Z') },
    spec(),
    join(root, 'out'),
  );
});

afterAll(async () => {
  await closeBrowser();
  await mail.close();
  await hook.close();
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('e-mail delivery (real SMTP server)', () => {
  it('sends the PDF attached and the summary as the HTML body, with a text alternative', async () => {
    const before = mail.received.length;
    const { delivered } = await deliverReport(deps(), report, { email: { to: ['brand@example.com'], cc: ['boss@example.com'] } }, 'manual');
    expect(delivered).toEqual([
      { channel: 'email', target: 'brand@example.com, boss@example.com', status: 'sent', attempts: 1, at: '2026-11-02T02:00:00.000Z', key: 'manual' },
    ]);
    await mail.waitFor(before + 1);
    const m = mail.received[before]!;
    expect(m.subject).toBe('艾克美 Acme · 品牌一致性报告 · 2026-10');
    expect(m.from!.value).toEqual([{ address: 'voc@example.com', name: 'voc' }]);
    expect([m.to].flat().map((a) => a!.text)).toEqual(['brand@example.com']);
    expect([m.cc].flat().map((a) => a!.text)).toEqual(['boss@example.com']);
    expect(mail.logins.at(-1)).toEqual({ user: 'reports', pass: 'pw-123' });
    // The PDF arrives byte for byte.
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([['acme-2026-10.pdf', 'application/pdf']]);
    const pdf = readFileSync(report.files.find((f) => f.endsWith('.pdf'))!);
    expect(createHash('sha256').update(m.attachments[0]!.content).digest('hex')).toBe(createHash('sha256').update(pdf).digest('hex'));
    // The body is the one-page summary.
    const html = String(m.html);
    expect(html).toContain('本期分析 36 篇帖子，较上期 +26 / +260.0%（上期 10 篇）。');
    expect(html).toContain('三大风险');
    // Handlebars escapes `=` too.
    expect(html).toContain('净情感分 NSS 为 +7.7（95% 置信区间 −29.1 至 +42.5，n &#x3D; 26）');
    expect(html).toContain('「客服」↔「官网」之间的断点：4 篇帖子（上期 1 篇）。');
    expect(html).not.toMatch(/<script/i);
    expect(m.text).toContain('1. 「客服」↔「官网」之间的断点');
  });

  it('retries a transient SMTP failure (451), then sends', async () => {
    const before = mail.received.length;
    mail.failNext(1, 451);
    const { delivered } = await deliverReport(deps(), report, { email: { to: ['brand@example.com'], cc: [] } }, 'manual');
    expect(delivered.map((d) => [d.status, d.attempts])).toEqual([['sent', 2]]);
    await mail.waitFor(before + 1);
    expect(mail.received).toHaveLength(before + 1);
  });

  it('does not retry a permanent rejection (550) and records the cause', async () => {
    const before = mail.received.length;
    mail.failNext(1, 550);
    const { delivered } = await deliverReport(deps(), report, { email: { to: ['nobody@example.com'], cc: [] } }, 'manual');
    expect(delivered[0]!.status).toBe('failed');
    expect(delivered[0]!.attempts).toBe(1);
    expect(delivered[0]!.error).toMatch(/^SMTP 127\.0\.0\.1:\d+: .*550/);
    expect(mail.received).toHaveLength(before);
  });

  it('records a failure when the SMTP password variable is missing', async () => {
    const { delivered } = await deliverReport(deps({ VOC_HOOK_KEY: SECRET }), report, { email: { to: ['brand@example.com'], cc: [] } }, 'manual');
    expect(delivered[0]).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: 'smtp.user is set but the environment variable VOC_SMTP_PW (smtp.passwordEnv) is empty',
      errorZh: '设置了 smtp.user，但环境变量 VOC_SMTP_PW（smtp.passwordEnv）为空',
    });
  });
});

describe('webhook delivery (real HTTP server)', () => {
  const webhook = (url = hook.url): DeliveryConfig => ({ webhook: { url, secretEnv: 'VOC_HOOK_KEY' } });

  it('posts the report JSON with a verifiable HMAC signature, retrying on 500', async () => {
    const before = hook.requests.length;
    hook.respondWith(500, 503);
    const { delivered } = await deliverReport(deps(), report, webhook(), 'manual');
    expect(delivered.map((d) => [d.channel, d.target, d.status, d.attempts])).toEqual([['webhook', hook.url, 'sent', 3]]);
    const sent = hook.requests.slice(before);
    expect(sent.map((r) => r.status)).toEqual([500, 503, 200]);
    for (const r of sent) {
      const timestamp = r.headers['x-voc-timestamp'] as string;
      expect(timestamp).toBe(String(Date.parse('2026-11-02T02:00:00.000Z') / 1000));
      // Verify as a receiver would: HMAC-SHA256 of "<timestamp>.<body>" with the shared secret.
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${r.body}`).digest('hex')}`;
      expect(r.headers['x-voc-signature']).toBe(expected);
      expect(r.headers['x-voc-signature']).toBe(webhookSignature(SECRET, timestamp, r.body));
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    // The same delivery id on every retry, so the receiver can drop duplicates.
    expect(new Set(sent.map((r) => r.headers['x-voc-delivery']))).toEqual(new Set(['acme:2026-10:zh-CN/2026-11-02T01:30:00.000Z']));
    const body = JSON.parse(sent[2]!.body) as { event: string; report: Record<string, unknown>; figures: { coverage: { postsAnalysed: number } } };
    expect(body).toEqual(JSON.parse(JSON.stringify(webhookPayload(report))));
    expect(body.event).toBe('report.generated');
    expect(body.report.id).toBe('acme:2026-10:zh-CN');
    expect(body.report.postIds).toBeUndefined();
    expect(body.report.files).toEqual(report.record.files.map((f) => ({ format: f.format, name: f.path.split('/').pop(), sha256: f.sha256, bytes: f.bytes })));
    expect(body.figures.coverage.postsAnalysed).toBe(36);
    // The snapshot counts spam and near-duplicates apart, like the figures' coverage.
    expect(body.report.snapshot).toEqual({ postsClassified: 40, postsAnalysed: 36, postsExcludedSpam: 4, postsExcludedNearDuplicates: 0, postsUnclassified: 0 });
  });

  it('a tampered body does not verify', () => {
    const r = hook.requests.at(-1)!;
    const timestamp = r.headers['x-voc-timestamp'] as string;
    expect(webhookSignature(SECRET, timestamp, r.body.replace('"postsAnalysed":36', '"postsAnalysed":99'))).not.toBe(r.headers['x-voc-signature']);
  });

  it('gives up after the retries, and does not retry a 4xx', async () => {
    hook.respondWith(500, 500, 500);
    const failed = await deliverReport(deps(), report, webhook(), 'manual');
    expect(failed.delivered.map((d) => [d.status, d.attempts, d.error])).toEqual([['failed', 3, `POST ${hook.url}: HTTP 500`]]);
    hook.respondWith(403);
    const forbidden = await deliverReport(deps(), report, webhook(), 'manual');
    expect(forbidden.delivered.map((d) => [d.status, d.attempts, d.error])).toEqual([['failed', 1, `POST ${hook.url}: HTTP 403`]]);
  });

  it('reports an unreachable receiver and a missing secret', async () => {
    const closed = await startHookServer();
    const deadUrl = closed.url;
    await closed.close();
    const unreachable = await deliverReport(deps(), report, webhook(deadUrl), 'manual');
    expect(unreachable.delivered[0]).toMatchObject({ status: 'failed', attempts: 3, error: `POST ${deadUrl}: ECONNREFUSED` });
    const noSecret = await deliverReport(deps({}), report, webhook(), 'manual');
    expect(noSecret.delivered[0]).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: 'the environment variable VOC_HOOK_KEY (webhook.secretEnv) holding the HMAC key is not set',
      errorZh: '存放 HMAC 密钥的环境变量 VOC_HOOK_KEY（webhook.secretEnv）未设置',
    });
  });
});

describe('folder delivery and the record of outcomes', () => {
  it('copies the files into the folder', async () => {
    const folder = join(root, 'shared', 'brand-team');
    const { delivered } = await deliverReport(deps(), report, { folder }, 'manual');
    expect(delivered.map((d) => [d.channel, d.target, d.status])).toEqual([['folder', folder, 'sent']]);
    expect(readdirSync(folder).sort()).toEqual(['acme-2026-10.html', 'acme-2026-10.pdf']);
    for (const f of report.record.files) {
      const copy = readFileSync(join(folder, f.path.split('/').pop()!));
      expect(createHash('sha256').update(copy).digest('hex')).toBe(f.sha256);
    }
  });

  it('records every outcome on the archived report, in order', async () => {
    const record = (await store.getReport(report.record.id))!;
    expect(record.deliveries!.map((d) => [d.channel, d.status, d.attempts])).toEqual([
      ['email', 'sent', 1],
      ['email', 'sent', 2],
      ['email', 'failed', 1],
      ['email', 'failed', 0],
      ['webhook', 'sent', 3],
      ['webhook', 'failed', 3],
      ['webhook', 'failed', 1],
      ['webhook', 'failed', 3],
      ['webhook', 'failed', 0],
      ['folder', 'sent', 1],
    ]);
  });

  it('skips what was already sent under the same key when asked to', async () => {
    const hooksBefore = hook.requests.length;
    const mailsBefore = mail.received.length;
    const plan: DeliveryConfig = { email: { to: ['brand@example.com'], cc: [] }, webhook: { url: hook.url, secretEnv: 'VOC_HOOK_KEY' } };
    const first = await deliverReport(deps(), report, plan, 'weekly', { skipSent: true });
    expect(first.delivered.map((d) => d.status)).toEqual(['sent', 'sent']);
    const second = await deliverReport(deps(), report, plan, 'weekly', { skipSent: true });
    expect(second.delivered).toEqual([]);
    expect(second.skipped).toEqual([
      { channel: 'email', target: 'brand@example.com' },
      { channel: 'webhook', target: hook.url },
    ]);
    await mail.waitFor(mailsBefore + 1);
    expect(mail.received).toHaveLength(mailsBefore + 1);
    expect(hook.requests).toHaveLength(hooksBefore + 1);
  });

  it('records why a folder could not be written, in both languages', async () => {
    const file = join(root, 'not-a-folder');
    writeFileSync(file, 'x');
    const folder = join(file, 'reports');
    const { delivered } = await deliverReport({ ...deps(), retry: { attempts: 2, baseDelayMs: 1 } }, report, { folder }, 'manual');
    expect(delivered[0]).toMatchObject({
      channel: 'folder',
      status: 'failed',
      attempts: 2,
      error: `folder ${folder}: cannot create it (ENOTDIR)`,
      errorZh: `文件夹 ${folder}：无法创建（ENOTDIR）`,
    });
  });
});
