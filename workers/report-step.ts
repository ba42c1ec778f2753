/**
 * How the report queue renders reports: the one place that calls into reports/. A scheduled
 * report goes through `runScheduledReport` (render, archive, deliver by e-mail, webhook or folder).
 */
import type { ReportScheduleConfig } from '../core/report-config.js';
import { VocError } from '../core/errors.js';
import type { ReportSpec } from '../core/types.js';
import type { DeliveryRecord } from '../store/store.js';
import { generateReport } from '../reports/generate.js';
import { runScheduledReport } from '../reports/schedule.js';
import { readSavedEvaluation } from '../analysis/eval/saved.js';
import type { StageDeps } from './deps.js';
import { reportLabels } from './labels.js';

export interface RenderedReport {
  files: string[];
}

/** Renders one report spec (the report step of an ad-hoc crawl flow). Re-running replaces the files. */
export async function renderReport(deps: StageDeps, spec: ReportSpec, outDir: string): Promise<RenderedReport> {
  const evaluation = savedEvaluation(deps.config.dataDir, spec.locale);
  const { files } = await generateReport(
    { store: deps.store, config: deps.config, labels: reportLabels(deps.config, deps.classifier.lexicons), lexiconVersion: deps.classifier.lexiconVersion, ...(evaluation ? { evaluation } : {}) },
    spec,
    outDir,
  );
  return { files };
}

/**
 * Renders, archives and delivers a scheduled report for the instant it fired: the period is the
 * last full week or month before `firedAt` in the schedule's time zone. A delivery that failed
 * after its retries fails the job (so it is kept, inspectable and retried); deliveries already
 * sent for this schedule and period are skipped on the retry, so nobody gets the e-mail twice.
 */
export async function renderScheduledReport(
  deps: StageDeps,
  schedule: ReportScheduleConfig,
  firedAt: Date,
  outDir: string,
  timeZone: string,
): Promise<RenderedReport> {
  const config = { ...deps.config, timeZone };
  const evaluation = savedEvaluation(config.dataDir, schedule.locale ?? config.locale);
  const result = await runScheduledReport(
    { store: deps.store, config, labels: reportLabels(config, deps.classifier.lexicons), lexiconVersion: deps.classifier.lexiconVersion, ...(evaluation ? { evaluation } : {}) },
    schedule,
    firedAt,
    outDir,
  );
  const failed = result.delivered.filter((d) => d.status === 'failed');
  if (failed.length > 0) throw deliveryFailed(schedule.id, result.period.label, failed);
  return { files: result.files };
}

/**
 * The error that fails a scheduled report's job when deliveries failed, in both languages (`voc
 * jobs failed` shows it). Exit code 1, not 2: BullMQ tries the job again later, and the retry
 * sends only what was not sent.
 */
export function deliveryFailed(scheduleId: string, period: string, failed: readonly DeliveryRecord[]): VocError {
  return new VocError(
    {
      en: `report ${scheduleId} ${period}: delivery failed: ${failed.map((d) => `${d.channel} ${d.target}: ${d.error ?? 'failed'}`).join('; ')}`,
      zh: `报告 ${scheduleId} ${period}：投递失败：${failed.map((d) => `${d.channel} ${d.target}：${d.errorZh ?? d.error ?? '失败'}`).join('；')}`,
    },
    1,
  );
}

/** `voc eval`'s saved figures for the methods appendix; a damaged file leaves them out, never fails the report. */
function savedEvaluation(dataDir: string, locale: ReportSpec['locale']) {
  try {
    return readSavedEvaluation(dataDir, locale);
  } catch {
    return undefined;
  }
}
