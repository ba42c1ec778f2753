/**
 * Delivers a rendered report through the channels of a `deliver` config (e-mail, webhook,
 * folder) and records every outcome on the archived report (`voc reports show` prints them).
 * A failed delivery is retried (retry.ts), then recorded as failed with its cause; it never
 * throws, because the report itself was produced. With `skipSent`, a channel and target already
 * sent under the same key (a schedule id) is not sent again: a re-run of a schedule is safe.
 */
import { basename, resolve } from 'node:path';
import type { VocConfig } from '../../core/config.js';
import type { DeliveryConfig } from '../../core/report-config.js';
import { snapshotCounts, type DeliveryRecord, type ReportRecord, type Store } from '../../store/store.js';
import type { ReportFigures } from '../aggregate.js';
import { renderEmailHtml, emailText } from '../render-html.js';
import type { ReportViewModel } from '../view-model.js';
import { sendEmail } from './email.js';
import { copyToFolder } from './folder.js';
import { DEFAULT_RETRY, type RetryOutcome, type RetryPolicy } from './retry.js';
import { postWebhook } from './webhook.js';

export interface DeliverDeps {
  store: Store;
  config: Pick<VocConfig, 'smtp'>;
  /** Where SMTP passwords and webhook secrets are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  retry?: RetryPolicy;
  now?: () => Date;
}

export interface DeliverableReport {
  record: ReportRecord;
  /** Absolute paths of the report's files. */
  files: string[];
  figures: ReportFigures;
  viewModel: ReportViewModel;
}

export interface DeliveryOutcome {
  /** Deliveries attempted now, in order email, webhook, folder. */
  delivered: DeliveryRecord[];
  /** Channels and targets skipped because they were already sent under the same key. */
  skipped: Array<Pick<DeliveryRecord, 'channel' | 'target'>>;
}

interface PlannedDelivery {
  channel: DeliveryRecord['channel'];
  target: string;
  run: () => Promise<RetryOutcome>;
}

/** Sends `report` through every channel of `delivery` and appends the outcomes to its archived record. */
export async function deliverReport(
  deps: DeliverDeps,
  report: DeliverableReport,
  delivery: DeliveryConfig,
  key: string,
  options: { skipSent?: boolean } = {},
): Promise<DeliveryOutcome> {
  const now = deps.now ?? (() => new Date());
  const stored = (await deps.store.getReport(report.record.id)) ?? report.record;
  const history = stored.deliveries ?? [];
  const delivered: DeliveryRecord[] = [];
  const skipped: DeliveryOutcome['skipped'] = [];
  for (const planned of planDeliveries(deps, report, delivery, now)) {
    const alreadySent = history.some((d) => d.key === key && d.channel === planned.channel && d.target === planned.target && d.status === 'sent');
    if (options.skipSent && alreadySent) {
      skipped.push({ channel: planned.channel, target: planned.target });
      continue;
    }
    const outcome = await planned.run();
    delivered.push({
      channel: planned.channel,
      target: planned.target,
      status: outcome.ok ? 'sent' : 'failed',
      attempts: outcome.attempts,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.errorZh ? { errorZh: outcome.errorZh } : {}),
      at: now().toISOString(),
      key,
    });
  }
  if (delivered.length > 0) {
    // Re-read: another process may have recorded deliveries of this report meanwhile.
    const latest = (await deps.store.getReport(report.record.id)) ?? stored;
    await deps.store.saveReport({ ...latest, deliveries: [...(latest.deliveries ?? []), ...delivered] });
  }
  return { delivered, skipped };
}

function planDeliveries(deps: DeliverDeps, report: DeliverableReport, delivery: DeliveryConfig, now: () => Date): PlannedDelivery[] {
  const env = deps.env ?? process.env;
  const policy = deps.retry ?? DEFAULT_RETRY;
  const planned: PlannedDelivery[] = [];
  const { record, viewModel } = report;
  if (delivery.email) {
    const email = delivery.email;
    const smtp = deps.config.smtp;
    const pdf = report.files.find((f) => f.endsWith('.pdf'));
    const attachment = pdf ?? report.files.find((f) => f.endsWith('.html'));
    planned.push({
      channel: 'email',
      target: [...email.to, ...email.cc].join(', '),
      run: async () => {
        if (!smtp) return { ok: false, attempts: 0, error: 'no smtp section in voc.config.yaml (host, port, from)', errorZh: 'voc.config.yaml 中没有 smtp 部分（host、port、from）' };
        return sendEmail(
          smtp,
          env,
          {
            to: email.to,
            cc: email.cc,
            subject: email.subject ?? viewModel.title,
            html: renderEmailHtml(viewModel),
            text: emailText(viewModel),
            attachments: attachment
              ? [{ filename: basename(attachment), path: attachment, contentType: attachment.endsWith('.pdf') ? 'application/pdf' : 'text/html; charset=utf-8' }]
              : [],
          },
          policy,
        );
      },
    });
  }
  if (delivery.webhook) {
    const webhook = delivery.webhook;
    planned.push({
      channel: 'webhook',
      target: webhook.url,
      run: async () => {
        const secret = env[webhook.secretEnv];
        if (!secret)
          return {
            ok: false,
            attempts: 0,
            error: `the environment variable ${webhook.secretEnv} (webhook.secretEnv) holding the HMAC key is not set`,
            errorZh: `存放 HMAC 密钥的环境变量 ${webhook.secretEnv}（webhook.secretEnv）未设置`,
          };
        return postWebhook(
          { url: webhook.url, body: JSON.stringify(webhookPayload(report)), secret, deliveryId: `${record.id}/${record.createdAt}`, now },
          policy,
        );
      },
    });
  }
  if (delivery.folder) {
    const folder = resolve(delivery.folder);
    planned.push({ channel: 'folder', target: folder, run: () => copyToFolder(folder, report.files, policy) });
  }
  return planned;
}

/** The JSON a webhook receives: the archived record's metadata (without the post id lists) and every figure. */
export function webhookPayload(report: Pick<DeliverableReport, 'record' | 'figures'>): unknown {
  const { postIds: _postIds, snapshot, deliveries: _deliveries, ...record } = report.record;
  return {
    event: 'report.generated',
    report: {
      ...record,
      files: record.files.map((f) => ({ format: f.format, name: basename(f.path), sha256: f.sha256, bytes: f.bytes })),
      ...(snapshot
        ? {
            snapshot: snapshotCounts(snapshot),
          }
        : {}),
    },
    figures: report.figures,
  };
}
