/**
 * Scheduled reports: the period a schedule covers when it fires (in the config time zone, across
 * month ends and DST), and runScheduledReport end to end with a real SMTP server, a real webhook
 * receiver and a folder: a second run of the same schedule and period delivers nothing twice,
 * while a delivery that failed is tried again.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { ReportScheduleConfig } from '../core/report-config.js';
import { closeBrowser } from '../reports/browser.js';
import { runScheduledReport, scheduledPeriod, type ScheduledReportDeps } from '../reports/schedule.js';
import { openEmbeddedStore, type EmbeddedStore } from '../store/embedded.js';
import { BRAND, CAMPAIGN, currentItems, LABELS, previousItems } from './report.fixture.js';
import { startHookServer, startMailServer, type HookServer, type MailServer } from './report.servers.js';

describe('scheduledPeriod', () => {
  it('last-month: the calendar month before the one the schedule fires in, in the config zone', () => {
    // 2026-11-01 01:00 in Shanghai is still October 31 in UTC.
    const firedAt = new Date('2026-11-01T01:00:00+08:00');
    expect(scheduledPeriod('last-month', firedAt, 'Asia/Shanghai')).toEqual({
      label: '2026-10',
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-10-31T16:00:00.000Z',
      previous: { from: '2026-08-31T16:00:00.000Z', to: '2026-09-30T16:00:00.000Z' },
    });
    expect(scheduledPeriod('last-month', firedAt, 'UTC').label).toBe('2026-09');
    expect(scheduledPeriod('last-month', new Date('2027-01-05T01:00:00Z'), 'UTC').label).toBe('2026-12');
  });

  it('last-month across a DST change (America/New_York, October 2026 ends in EDT, November starts in EST)', () => {
    const p = scheduledPeriod('last-month', new Date('2026-11-02T14:00:00Z'), 'America/New_York');
    expect([p.label, p.from, p.to]).toEqual(['2026-10', '2026-10-01T04:00:00.000Z', '2026-11-01T04:00:00.000Z']);
  });

  it('last-week: the last full Monday-to-Sunday week before the firing week', () => {
    // Monday 2026-10-12 09:00 Shanghai -> Mon 2026-10-05 .. Sun 2026-10-11
    const monday = scheduledPeriod('last-week', new Date('2026-10-12T09:00:00+08:00'), 'Asia/Shanghai');
    expect([monday.label, monday.from, monday.to]).toEqual(['2026-10-05..2026-10-11', '2026-10-04T16:00:00.000Z', '2026-10-11T16:00:00.000Z']);
    expect(monday.previous).toEqual({ from: '2026-09-27T16:00:00.000Z', to: '2026-10-04T16:00:00.000Z' });
    // Sunday 23:30 Shanghai belongs to the week of Oct 5-11, so the week before that is reported.
    expect(scheduledPeriod('last-week', new Date('2026-10-11T23:30:00+08:00'), 'Asia/Shanghai').label).toBe('2026-09-28..2026-10-04');
    expect(() => scheduledPeriod('last-week', new Date('nope'), 'UTC')).toThrow(InputError);
  });
});

describe('runScheduledReport', () => {
  let root: string;
  let store: EmbeddedStore;
  let mail: MailServer;
  let hook: HookServer;
  let config: VocConfig;
  let schedule: ReportScheduleConfig;
  let deps: ScheduledReportDeps;
  const firedAt = new Date('2026-11-01T09:00:00+08:00');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'voc-report-schedule-'));
    store = openEmbeddedStore(join(root, 'data'));
    const items = [...currentItems(), ...previousItems()];
    await store.upsertPosts(items.map((i) => i.post));
    await store.saveClassifications(items.map((i) => i.classification));
    mail = await startMailServer();
    hook = await startHookServer();
    config = parseConfig({
      timeZone: 'Asia/Shanghai',
      brands: [BRAND],
      campaigns: [CAMPAIGN],
      smtp: { host: '127.0.0.1', port: mail.port, from: 'voc <voc@example.com>' },
      reports: [
        {
          id: 'acme-monthly',
          brand: 'acme',
          schedule: '0 9 1 * *',
          period: 'last-month',
          locale: 'en',
          formats: ['pdf'],
          sections: ['cover', 'summary', 'channels', 'methods'],
          deliver: {
            email: { to: ['brand@example.com'], subject: 'Acme monthly report' },
            webhook: { url: hook.url, secretEnv: 'TEST_HOOK_SECRET' },
            folder: join(root, 'shared'),
          },
        },
      ],
    });
    schedule = config.reports[0]!;
    deps = {
      store,
      config,
      labels: LABELS,
      lexiconVersion: 'lex-test-1',
      now: () => new Date('2026-11-01T01:00:05.000Z'),
      env: { TEST_HOOK_SECRET: 'k' },
      retry: { attempts: 2, baseDelayMs: 5 },
    };
  });

  afterAll(async () => {
    await closeBrowser();
    await mail.close();
    await hook.close();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('renders the last month, archives it under the schedule, and delivers it everywhere', async () => {
    // The webhook receiver is down for this run (every attempt gets a 502).
    hook.respondWith(502, 502);
    const result = await runScheduledReport(deps, schedule, firedAt, join(root, 'out'));
    expect(result.period.label).toBe('2026-10');
    expect(result.record.id).toBe('acme-monthly:2026-10');
    expect(result.record.scheduleId).toBe('acme-monthly');
    expect(result.record.spec).toMatchObject({ period: '2026-10', locale: 'en', formats: ['pdf'], sections: ['cover', 'summary', 'channels', 'methods'] });
    expect(result.files).toEqual([join(root, 'out', 'acme-2026-10-en.pdf')]);
    expect(result.figures.coverage.postsAnalysed).toBe(36);
    expect(result.figures.campaigns.map((c) => c.name)).toEqual(['会员日']);
    expect(result.delivered.map((d) => [d.channel, d.status, d.attempts, d.key])).toEqual([
      ['email', 'sent', 1, 'acme-monthly'],
      ['webhook', 'failed', 2, 'acme-monthly'],
      ['folder', 'sent', 1, 'acme-monthly'],
    ]);
    expect(result.delivered[1]!.error).toBe(`POST ${hook.url}: HTTP 502`);
    await mail.waitFor(1);
    expect(mail.received[0]!.subject).toBe('Acme monthly report');
    expect(String(mail.received[0]!.html)).toContain('36 posts analysed');
    expect(readdirSync(join(root, 'shared'))).toEqual(['acme-2026-10-en.pdf']);
    expect((await store.getReport('acme-monthly:2026-10'))!.deliveries).toEqual(result.delivered);
  });

  it('run again for the same period: nothing delivered twice, the failed webhook is tried again', async () => {
    const hooksBefore = hook.requests.length;
    const again = await runScheduledReport(deps, schedule, new Date('2026-11-01T09:05:00+08:00'), join(root, 'out'));
    expect(again.record.id).toBe('acme-monthly:2026-10');
    expect(again.skipped).toEqual([
      { channel: 'email', target: 'brand@example.com' },
      { channel: 'folder', target: join(root, 'shared') },
    ]);
    expect(again.delivered.map((d) => [d.channel, d.status, d.attempts])).toEqual([['webhook', 'sent', 1]]);
    expect(hook.requests).toHaveLength(hooksBefore + 1);
    expect(mail.received).toHaveLength(1);
    // The record keeps the whole history: the failure, then the success.
    expect((await store.getReport('acme-monthly:2026-10'))!.deliveries!.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'sent'],
      ['webhook', 'failed'],
      ['folder', 'sent'],
      ['webhook', 'sent'],
    ]);
    // A third run has nothing left to send.
    const third = await runScheduledReport(deps, schedule, firedAt, join(root, 'out'));
    expect(third.delivered).toEqual([]);
    expect(third.skipped).toHaveLength(3);
  });

  it('a period with no data gives a short no-data report, still delivered', async () => {
    const result = await runScheduledReport(deps, { ...schedule, id: 'acme-weekly', period: 'last-week', deliver: { email: { to: ['brand@example.com'], cc: [] } } }, new Date('2027-03-01T09:00:00+08:00'), join(root, 'out'));
    expect(result.period.label).toBe('2027-02-22..2027-02-28');
    expect(result.figures.empty).toBe(true);
    expect(result.delivered.map((d) => d.status)).toEqual(['sent']);
    await mail.waitFor(2);
    expect(mail.received[1]!.text).toContain('There are no posts to analyse (classified and not spam) in the period 2027-02-22..2027-02-28.');
  });
});
