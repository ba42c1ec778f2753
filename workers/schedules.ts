/**
 * Crawl and report schedules as BullMQ job schedulers: a cron pattern read in an IANA time zone
 * (default the config's, Asia/Shanghai), one scheduler per target (`crawl` queue) or per report
 * (`report` queue), id = the target or report id.
 *
 * BullMQ keeps exactly one pending job per scheduler, at its next instant, and a worker creates
 * the following one when it takes that job. That is what defines a missed run:
 *
 *  - Everything down across one or more instants: the pending job is simply overdue. The first
 *    worker back takes it once (not once per missed instant) and the next job goes to the first
 *    instant after *now*. The run covers the latest instant that was due (`dueInstant`), so a
 *    Monday report missed for two weeks reports on last week, once.
 *  - Restarting `voc scheduler` must not destroy that overdue job: `syncSchedules` leaves a
 *    scheduler whose definition did not change untouched (an upsert would replace the overdue
 *    job by one in the future and the run would be skipped).
 *  - Several schedulers syncing at once (two `voc scheduler` processes, say) upsert the same
 *    scheduler ids; BullMQ replaces the pending job atomically, so there is still one job per
 *    instant and nothing fires twice.
 */
import { getNextMillis, type JobSchedulerJson, type Queue } from 'bullmq';
import type { VocConfig } from '../core/config.js';
import type { ReportScheduleConfig } from '../core/report-config.js';
import { InputError, inBoth, type ErrorText } from '../core/errors.js';
import { formatInZone } from '../core/time.js';
import { DEFAULT_JOB_OPTIONS, JOB, type Queues, type ScheduleOrigin, type ScheduledCrawlJobData, type ScheduledReportJobData } from './queues.js';

export type ScheduleKind = 'crawl' | 'report';

/** A schedule to install: what fires, when, in which zone. */
export type ScheduleDef =
  | { kind: 'crawl'; id: string; pattern: string; tz: string; origin: ScheduleOrigin; targetId: string }
  | { kind: 'report'; id: string; pattern: string; tz: string; origin: ScheduleOrigin; schedule: ReportScheduleConfig };

/** An installed schedule, as `voc schedule list` shows it. */
export interface ScheduleInfo {
  kind: ScheduleKind;
  id: string;
  pattern: string;
  tz: string;
  origin: ScheduleOrigin | 'unknown';
  /** Next instant it fires (ms since epoch, UTC), when known. */
  next?: number;
  /** What fires: a target id, or `brand/period` of a report. */
  subject: string;
}

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

/**
 * Checks a cron pattern and zone the way BullMQ will read them (5 fields, or 6 with seconds);
 * the InputError names `field` and shows an example.
 */
export function validateSchedule(pattern: string, tz: string, field: ErrorText): void {
  const name = inBoth(field);
  if (!isValidZone(tz))
    throw new InputError({
      en: `${name.en}: time zone "${tz}" is not an IANA zone; expected e.g. Asia/Shanghai or America/New_York`,
      zh: `${name.zh}：时区“${tz}”不是 IANA 时区；应为 Asia/Shanghai、America/New_York 这样的时区`,
    });
  const fields = pattern.trim().split(/\s+/);
  let next: number | undefined;
  try {
    next = fields.length === 5 || fields.length === 6 ? getNextMillis(Date.now(), { pattern, tz }) : undefined;
  } catch {
    next = undefined;
  }
  if (next === undefined || !Number.isFinite(next))
    throw new InputError({
      en: `${name.en}: "${pattern}" is not a cron pattern; expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1" for Mondays 09:00`,
      zh: `${name.zh}：“${pattern}”不是 cron 表达式；应为 5 个字段（分 时 日 月 星期），例如 "0 9 * * 1" 表示每周一 09:00`,
    });
}

/** The next `count` instants (ms, UTC) after `fromMs`, computed by BullMQ's own cron handling. */
export function nextFireTimes(pattern: string, tz: string, fromMs: number, count: number): number[] {
  const out: number[] = [];
  let t = fromMs;
  for (let i = 0; i < count; i++) {
    const n = getNextMillis(t, { pattern, tz });
    if (n === undefined) break;
    out.push(n);
    t = n;
  }
  return out;
}

/**
 * The instant a fired job stands for: its scheduled instant, or, when it ran late because
 * everything was down, the latest instant of the pattern that was due by `nowMs`.
 */
export function dueInstant(pattern: string, tz: string, scheduledMs: number, nowMs: number): number {
  let due = scheduledMs;
  // Bounded walk: a per-minute pattern missed for a week is ~10k steps; beyond that, keep the last found.
  for (let i = 0; i < 20_000; i++) {
    const n = getNextMillis(due, { pattern, tz });
    if (n === undefined || n > nowMs) break;
    due = n;
  }
  return due;
}

/**
 * The period a scheduled report covers, in `zone`: the last full calendar month, or the last
 * full week (Monday to Sunday), before the instant it fired. One definition, in reports/.
 */
export { scheduledPeriod as reportPeriodFor } from '../reports/schedule.js';

/** The schedules the config declares: targets with `schedule:` and reports with `schedule:`. */
export function configSchedules(config: VocConfig): ScheduleDef[] {
  const defs: ScheduleDef[] = [];
  config.targets.forEach((t, i) => {
    if (!t.schedule) return;
    validateSchedule(t.schedule, config.timeZone, `targets.${i}.schedule`);
    defs.push({ kind: 'crawl', id: t.id, pattern: t.schedule, tz: config.timeZone, origin: 'config', targetId: t.id });
  });
  config.reports.forEach((r, i) => {
    if (!r.schedule) return;
    validateSchedule(r.schedule, config.timeZone, `reports.${i}.schedule`);
    defs.push({ kind: 'report', id: r.id, pattern: r.schedule, tz: config.timeZone, origin: 'config', schedule: r });
  });
  return defs;
}

function templateOf(def: ScheduleDef): { name: string; data: ScheduledCrawlJobData | ScheduledReportJobData } {
  const base = { scheduleId: def.id, pattern: def.pattern, tz: def.tz, origin: def.origin };
  return def.kind === 'crawl'
    ? { name: JOB.scheduledCrawl, data: { ...base, targetId: def.targetId } }
    : { name: JOB.scheduledReport, data: { ...base, schedule: def.schedule } };
}

function queueOf(queues: Queues, kind: ScheduleKind): Queue {
  return kind === 'crawl' ? queues.crawl : queues.report;
}

/** Stable JSON (sorted keys) so that "did the definition change" does not depend on key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function sameDefinition(existing: JobSchedulerJson | undefined, def: ScheduleDef): boolean {
  if (!existing) return false;
  const { name, data } = templateOf(def);
  return existing.pattern === def.pattern && existing.tz === def.tz && existing.name === name && stable(existing.template?.data) === stable(data);
}

/** Installs or replaces one schedule (its pending job moves to the next instant of the new definition). */
export async function upsertSchedule(queues: Queues, def: ScheduleDef): Promise<void> {
  validateSchedule(def.pattern, def.tz, { en: `schedule ${def.kind} ${def.id}`, zh: `定时任务 ${def.kind}/${def.id}` });
  const { name, data } = templateOf(def);
  const { attempts, backoff, removeOnComplete, removeOnFail } = DEFAULT_JOB_OPTIONS[def.kind];
  await queueOf(queues, def.kind).upsertJobScheduler(
    def.id,
    { pattern: def.pattern, tz: def.tz },
    { name, data, opts: { ...(attempts ? { attempts } : {}), ...(backoff ? { backoff } : {}), ...(removeOnComplete !== undefined ? { removeOnComplete } : {}), ...(removeOnFail !== undefined ? { removeOnFail } : {}) } },
  );
}

export interface SyncResult {
  added: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

/**
 * Makes the installed config-owned schedules equal `defs`: adds new ones, replaces changed ones,
 * leaves unchanged ones alone (keeping an overdue job, see above), removes config-owned ones no
 * longer declared. Schedules made with `voc schedule add` are never removed here.
 */
export async function syncSchedules(queues: Queues, defs: ScheduleDef[]): Promise<SyncResult> {
  const result: SyncResult = { added: [], updated: [], unchanged: [], removed: [] };
  for (const def of defs) {
    const existing = await queueOf(queues, def.kind).getJobScheduler(def.id);
    const label = `${def.kind}/${def.id}`;
    if (sameDefinition(existing, def)) {
      result.unchanged.push(label);
      continue;
    }
    await upsertSchedule(queues, def);
    (existing ? result.updated : result.added).push(label);
  }
  const wanted = new Set(defs.map((d) => `${d.kind}/${d.id}`));
  for (const s of await listSchedules(queues)) {
    const label = `${s.kind}/${s.id}`;
    if (s.origin === 'config' && !wanted.has(label)) {
      await removeSchedule(queues, s.kind, s.id);
      result.removed.push(label);
    }
  }
  return result;
}

/** Every installed schedule of both queues, crawl first, by id. */
export async function listSchedules(queues: Queues): Promise<ScheduleInfo[]> {
  const out: ScheduleInfo[] = [];
  for (const kind of ['crawl', 'report'] as const) {
    const list = await queueOf(queues, kind).getJobSchedulers(0, -1, true);
    for (const s of list) {
      const data = s.template?.data as Partial<ScheduledCrawlJobData & ScheduledReportJobData> | undefined;
      out.push({
        kind,
        id: s.key,
        pattern: s.pattern ?? (s.every ? `every ${s.every} ms` : '?'),
        tz: s.tz ?? 'UTC',
        origin: data?.origin ?? 'unknown',
        ...(s.next ? { next: s.next } : {}),
        subject: kind === 'crawl' ? (data?.targetId ?? s.key) : data?.schedule ? `${data.schedule.brand}/${data.schedule.period}` : s.key,
      });
    }
  }
  return out.sort((a, b) => (a.kind === b.kind ? (a.id < b.id ? -1 : 1) : a.kind === 'crawl' ? -1 : 1));
}

/** Removes a schedule; false when there was none with that id. */
export async function removeSchedule(queues: Queues, kind: ScheduleKind, id: string): Promise<boolean> {
  return queueOf(queues, kind).removeJobScheduler(id);
}

/** `2026-03-09 09:00 America/New_York (13:00Z)`: how a fire instant is printed. */
export function describeInstant(ms: number, tz: string): string {
  const iso = new Date(ms).toISOString();
  return `${formatInZone(iso, tz)} ${tz} (${iso.slice(0, 16).replace('T', ' ')}Z)`;
}

