/**
 * Scheduled reports (config `reports:`): the entry point the workers' job schedulers call when a
 * schedule fires. It resolves the period (the last full week or month before the firing time,
 * in the config time zone), renders and archives the report, then delivers it. Idempotent: the
 * record id is derived from the schedule and period, and deliveries already sent for them are
 * skipped, so a retried or duplicated job never e-mails twice.
 */
import { InputError } from '../core/errors.js';
import type { ReportScheduleConfig } from '../core/report-config.js';
import { resolvePeriod, type PeriodRange } from '../core/time.js';
import { checkReportConfig } from './config-check.js';
import { addDays, dayKeyer } from './days.js';
import { deliverReport, type DeliverDeps, type DeliveryOutcome } from './deliver/index.js';
import type { RetryPolicy } from './deliver/retry.js';
import { generateReport, type GenerateDeps, type GenerateResult, type ReportRequest } from './generate.js';

export interface ScheduledReportDeps extends GenerateDeps {
  /** Where SMTP passwords and webhook secrets are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Delivery retries (default 3 attempts, 2 s backoff doubling). */
  retry?: RetryPolicy;
}

export interface ScheduledReportResult extends GenerateResult, DeliveryOutcome {
  period: PeriodRange;
}

/**
 * The period a schedule covers when it fires at `firedAt`: `last-month` is the calendar month
 * before the one holding `firedAt`; `last-week` the last full Monday-to-Sunday week before the
 * week holding it. Both in `zone`.
 */
export function scheduledPeriod(period: ReportScheduleConfig['period'], firedAt: Date, zone: string): PeriodRange {
  if (Number.isNaN(firedAt.getTime())) throw new InputError({ en: 'scheduled report: firedAt is not a valid time', zh: '定时报告：firedAt 不是有效的时间' });
  const today = dayKeyer(zone)(firedAt.toISOString());
  if (period === 'last-month') {
    const [y, m] = today.split('-').map(Number) as [number, number];
    const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    return resolvePeriod(zone, prev);
  }
  // ISO weekday of `today` (Monday 1 ... Sunday 7), from its calendar date.
  const weekday = ((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const thisMonday = addDays(today, 1 - weekday);
  return resolvePeriod(zone, undefined, addDays(thisMonday, -7), addDays(thisMonday, -1));
}

/** Archive id of a scheduled report: one per schedule and period. */
export function scheduledReportId(schedule: Pick<ReportScheduleConfig, 'id'>, period: Pick<PeriodRange, 'label'>): string {
  return `${schedule.id}:${period.label}`;
}

/** Renders, archives and delivers the report of `schedule` for the period before `firedAt`. */
export async function runScheduledReport(
  deps: ScheduledReportDeps,
  schedule: ReportScheduleConfig,
  firedAt: Date,
  outDir: string,
): Promise<ScheduledReportResult> {
  checkReportConfig(deps.config);
  const zone = deps.config.timeZone;
  const period = scheduledPeriod(schedule.period, firedAt, zone);
  const spec: ReportRequest = {
    brand: schedule.brand,
    period: period.label,
    from: period.from,
    to: period.to,
    timeZone: zone,
    locale: schedule.locale ?? deps.config.locale,
    formats: [...schedule.formats],
    ...(schedule.sections ? { sections: [...schedule.sections] } : {}),
  };
  const result = await generateReport(deps, spec, outDir, { recordId: scheduledReportId(schedule, period), scheduleId: schedule.id });
  const deliverDeps: DeliverDeps = {
    store: deps.store,
    config: deps.config,
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.retry ? { retry: deps.retry } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  };
  const outcome = await deliverReport(deliverDeps, result, schedule.deliver, schedule.id, { skipSent: true });
  const record = (await deps.store.getReport(result.record.id)) ?? result.record;
  return { ...result, record, ...outcome, period };
}
