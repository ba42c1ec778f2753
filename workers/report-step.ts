/**
 * How the report queue renders reports: the one place that calls into reports/. A scheduled
 * report goes through `runScheduledReport` (issue 6: render, archive, deliver by e-mail/webhook/
 * folder) once it exists; until then it is rendered with `generateReport` into the reports folder.
 *
 * To switch: replace the body of `renderScheduledReport` by
 *   `return runScheduledReport(deps, schedule, firedAt, outDir);`
 * and keep the return shape (files written).
 */
import type { ReportScheduleConfig } from '../core/report-config.js';
import type { ReportSpec } from '../core/types.js';
import { generateReport } from '../reports/generate.js';
import type { StageDeps } from './deps.js';
import { reportLabels } from './labels.js';
import { reportPeriodFor } from './schedules.js';

export interface RenderedReport {
  files: string[];
}

/** Renders one report spec (the report step of an ad-hoc crawl flow). Re-running replaces the files. */
export async function renderReport(deps: StageDeps, spec: ReportSpec, outDir: string): Promise<RenderedReport> {
  const { files } = await generateReport(
    { store: deps.store, config: deps.config, labels: reportLabels(deps.config), lexiconVersion: deps.classifier.lexiconVersion },
    spec,
    outDir,
  );
  return { files };
}

/**
 * Renders (and, once issue 6 lands, delivers) a scheduled report for the instant it fired:
 * the period is the last full week or month before `firedAt` in the config's time zone.
 */
export async function renderScheduledReport(
  deps: StageDeps,
  schedule: ReportScheduleConfig,
  firedAt: Date,
  outDir: string,
  timeZone: string,
): Promise<RenderedReport> {
  const period = reportPeriodFor(schedule.period, firedAt, timeZone);
  const spec: ReportSpec = {
    brand: schedule.brand,
    period: period.label,
    from: period.from,
    to: period.to,
    timeZone,
    locale: schedule.locale ?? deps.config.locale,
    formats: schedule.formats,
  };
  return renderReport(deps, spec, outDir);
}
