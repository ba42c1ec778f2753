/**
 * The queue-side commands of `voc`: schedules, failed jobs, queue status, run progress, the HTTP
 * server and the scheduler process. Registered on the main program by `registerQueueCommands`.
 *
 *   voc schedule add crawl <target> --cron "0 9 * * 1" [--tz Asia/Shanghai]
 *   voc schedule add report <id> [--brand B --cron C --period last-week|last-month --format pdf,html --tz Z]
 *   voc schedule list [--json]          voc schedule remove crawl|report <id>
 *   voc jobs failed [--queue Q] [--json] voc jobs retry <id> | --all [--queue Q]
 *   voc status [--json]                 voc runs show <id> [--json]
 *   voc serve [--port 8080] [--host 0.0.0.0]
 *   voc scheduler
 */
import type { Command } from 'commander';
import { findBrand, type VocConfig } from '../core/config.js';
import { describeIssue } from '../core/schema-issues.js';
import { formatInZone } from '../core/time.js';
import { InputError, errorText, inLocale } from '../core/errors.js';
import { reportScheduleSchema, type ReportScheduleConfig } from '../core/report-config.js';
import type { Locale, Run } from '../core/types.js';
import { runErrorLines } from '../core/types.js';
import type { App } from './app.js';
import { messages } from './messages.js';
import { listFailedJobs, queueStatus, retryAllFailed, retryFailedJob } from '../workers/admin.js';
import { isQueueName, openQueues, QUEUE_NAMES, type QueueName, type Queues } from '../workers/queues.js';
import { closeRedis, connectForCommand, createRedis, queueEnvFromProcess, type QueueEnv } from '../workers/redis.js';
import { RunTracker, type RunProgress } from '../workers/run-tracker.js';
import { configSchedules, describeInstant, listSchedules, removeSchedule, upsertSchedule, validateSchedule, type ScheduleDef, type ScheduleKind } from '../workers/schedules.js';
import { startScheduler } from '../workers/scheduler.js';
import { parseFormats, positiveInt } from './options.js';
import { failedTargetsLine, renderSummaryTable, summaryOfQueuedTarget } from './crawl-output.js';
import { jsonText } from './json.js';

export interface QueueCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}

/** REDIS_URL, or an InputError saying which command needs it. */
function requireQueueEnv(command: string): QueueEnv {
  const env = queueEnvFromProcess();
  if (!env)
    throw new InputError({
      en: `REDIS_URL is not set: \`voc ${command}\` works on the BullMQ queues; set REDIS_URL=redis://host:6379`,
      zh: `REDIS_URL 未设置：\`voc ${command}\` 需要使用 BullMQ 队列；请设置 REDIS_URL=redis://host:6379`,
    });
  return env;
}

/** Runs `fn` with the queues on a short-lived connection that fails fast when Redis is away. */
async function withQueues<T>(command: string, fn: (queues: Queues) => Promise<T>): Promise<T> {
  const env = requireQueueEnv(command);
  const connection = await connectForCommand(env);
  const queues = openQueues(connection, env.prefix);
  try {
    return await fn(queues);
  } finally {
    await queues.close().catch(() => undefined);
    closeRedis(connection);
  }
}

function parseQueue(value: string | undefined): QueueName | undefined {
  if (value === undefined) return undefined;
  if (!isQueueName(value))
    throw new InputError({
      en: `--queue: unknown queue "${value}"; expected one of ${QUEUE_NAMES.join(', ')}`,
      zh: `--queue：未知的队列“${value}”；应为 ${QUEUE_NAMES.join('、')} 之一`,
    });
  return value;
}

function parseKind(value: string): ScheduleKind {
  if (value !== 'crawl' && value !== 'report')
    throw new InputError({ en: `schedule kind: expected crawl or report, got "${value}"`, zh: `定时任务类型：应为 crawl 或 report，实际为“${value}”` });
  return value;
}


/** Plain aligned columns; cells never contain control characters (crawled text is hostile). */
function table(header: string[], rows: string[][]): string {
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const all = [header, ...rows].map((r) => r.map(clean));
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ').trimEnd()).join('\n');
}

/** Waits for SIGTERM or SIGINT (a long-running command's stop signal). */
function untilStopped(onHup?: () => void): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      if (onHup) process.off('SIGHUP', onHup);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    if (onHup) process.on('SIGHUP', onHup);
  });
}

/** Registers schedule, jobs, status, runs show, serve and scheduler on `program`. */
export function registerQueueCommands(program: Command, ctx: QueueCommandContext): void {
  registerScheduleCommands(program, ctx);
  registerJobCommands(program, ctx);
  registerStatus(program, ctx);
  registerRunsShow(program, ctx);
  registerServe(program, ctx);
  registerScheduler(program, ctx);
}

function registerScheduleCommands(program: Command, ctx: QueueCommandContext): void {
  const schedule = program.command('schedule').description('crawl and report schedules (BullMQ job schedulers; needs REDIS_URL)');

  schedule
    .command('add')
    .description('schedule a target\'s crawl or a report with a cron pattern in a time zone')
    .argument('<kind>', 'crawl or report')
    .argument('<id>', 'target id (crawl) or report id (report: from config.reports, or a new id with --brand)')
    .option('--cron <pattern>', 'cron pattern, 5 fields (e.g. "0 9 * * 1": Mondays 09:00); default the config\'s schedule')
    .option('--tz <zone>', 'IANA time zone of the pattern (default the config timeZone, Asia/Shanghai)')
    .option('--brand <id>', 'report: brand of a report not declared in the config')
    .option('--period <p>', 'report: last-week or last-month (default last-month)')
    .option('--format <list>', 'report: pdf,html (default both)')
    .option('--json', 'print the schedule as JSON')
    .action(async (kindArg: string, id: string, opts: { cron?: string; tz?: string; brand?: string; period?: string; format?: string; json?: boolean }) => {
      const kind = parseKind(kindArg);
      const config = ctx.readConfig();
      const m = messages(ctx.locale(config));
      const tz = opts.tz ?? config.timeZone;
      let def: ScheduleDef;
      if (kind === 'crawl') {
        const declared = config.targets.find((t) => t.id === id);
        const pattern = opts.cron ?? declared?.schedule;
        if (!pattern)
          throw new InputError({
            en: `--cron: required (target "${id}" has no schedule in the config), e.g. --cron "0 9 * * 1"`,
            zh: `--cron：必须指定（抓取目标“${id}”在配置中没有 schedule），例如 --cron "0 9 * * 1"`,
          });
        validateSchedule(pattern, tz, '--cron/--tz');
        // The worker reads the target from the store when the schedule fires: make sure it is there.
        const app = await ctx.openApp(config);
        try {
          if (!(await app.store.getTarget(id))) {
            const known = (await app.store.listTargets()).map((t) => t.id);
            throw new InputError({
              en: `unknown target "${id}"; known targets: ${known.join(', ') || 'none'}`,
              zh: `抓取目标“${id}”不存在；已有目标：${known.join('、') || '无'}`,
            });
          }
        } finally {
          await app.close();
        }
        def = { kind, id, pattern, tz, origin: 'cli', targetId: id };
      } else {
        const declared = config.reports.find((r) => r.id === id);
        let report: ReportScheduleConfig;
        if (declared) {
          report = { ...declared, ...(opts.period ? { period: parsePeriod(opts.period) } : {}), ...(opts.format ? { formats: parseFormats(opts.format) } : {}) };
        } else {
          if (!opts.brand)
            throw new InputError({
              en: `--brand: required for report "${id}", which is not under \`reports:\` in the config`,
              zh: `--brand：报告“${id}”不在配置的 \`reports:\` 下，必须指定品牌`,
            });
          findBrand(config, opts.brand);
          const parsed = reportScheduleSchema.safeParse({
            id,
            brand: opts.brand,
            ...(opts.period ? { period: parsePeriod(opts.period) } : {}),
            ...(opts.format ? { formats: parseFormats(opts.format) } : {}),
          });
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            const problem = describeIssue(issue);
            throw new InputError({ en: `report ${id}: ${problem.en}`, zh: `报告 ${id}：${problem.zh}` });
          }
          report = parsed.data;
        }
        const pattern = opts.cron ?? declared?.schedule;
        if (!pattern)
          throw new InputError({
            en: `--cron: required (report "${id}" has no schedule in the config), e.g. --cron "0 9 * * 1"`,
            zh: `--cron：必须指定（报告“${id}”在配置中没有 schedule），例如 --cron "0 9 * * 1"`,
          });
        validateSchedule(pattern, tz, '--cron/--tz');
        def = { kind, id, pattern, tz, origin: 'cli', schedule: { ...report, schedule: pattern } };
      }
      await withQueues('schedule add', async (queues) => {
        await upsertSchedule(queues, def);
        const info = (await listSchedules(queues)).find((s) => s.kind === kind && s.id === id);
        if (opts.json) console.log(jsonText(info ?? null));
        else console.log(m.scheduleAdded(kind, id, def.pattern, def.tz, info?.next ? describeInstant(info.next, def.tz) : '?'));
      });
    });

  schedule
    .command('list')
    .description('installed schedules and when each fires next')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { json?: boolean }) => {
      const m = messages(ctx.locale(safeConfig(ctx)));
      await withQueues('schedule list', async (queues) => {
        const list = await listSchedules(queues);
        if (opts.json) {
          for (const s of list) console.log(jsonText({ ...s, ...(s.next ? { nextAt: new Date(s.next).toISOString() } : {}) }));
          return;
        }
        if (list.length === 0) return console.log(m.schedulesNone);
        console.log(table(m.scheduleColumns, list.map((s) => [s.kind, s.id, s.pattern, s.tz, s.next ? describeInstant(s.next, s.tz) : '-', s.origin, s.subject])));
      });
    });

  schedule
    .command('remove')
    .description('remove a schedule')
    .argument('<kind>', 'crawl or report')
    .argument('<id>')
    .action(async (kindArg: string, id: string) => {
      const kind = parseKind(kindArg);
      const m = messages(ctx.locale(safeConfig(ctx)));
      await withQueues('schedule remove', async (queues) => {
        if (!(await removeSchedule(queues, kind, id)))
          throw new InputError({ en: messages('en').scheduleNotFound(kind, id), zh: messages('zh-CN').scheduleNotFound(kind, id) });
        console.log(m.scheduleRemoved(kind, id));
      });
    });
}

function registerJobCommands(program: Command, ctx: QueueCommandContext): void {
  const jobs = program.command('jobs').description('failed jobs: inspect and retry (needs REDIS_URL)');
  jobs
    .command('failed')
    .description('jobs that failed for good (kept 7 days; reports 30)')
    .option('--queue <name>', `only this queue (${QUEUE_NAMES.join(', ')})`)
    .option('--limit <n>', 'at most this many (default 100)', positiveInt('--limit', 65535), 100)
    .option('--json', 'one JSON object per line')
    .action(async (opts: { queue?: string; limit: number; json?: boolean }) => {
      const queue = parseQueue(opts.queue);
      const loc = ctx.locale(safeConfig(ctx));
      const m = messages(loc);
      await withQueues('jobs failed', async (queues) => {
        const failed = await listFailedJobs(queues, queue, opts.limit);
        if (opts.json) {
          for (const f of failed) console.log(jsonText(f));
          return;
        }
        if (failed.length === 0) return console.log(m.failedNone);
        console.log(table(m.failedColumns, failed.map((f) => [f.queue, f.id, f.name, String(f.attempts), f.failedAt ?? '-', inLocale(loc, f.reason, f.reasonZh)])));
      });
    });
  jobs
    .command('retry')
    .description('put failed jobs back in their queue: one by id (queue/id when ambiguous), or --all')
    .argument('[id]', 'job id from `voc jobs failed`')
    .option('--all', 'every failed job (of --queue, or of all queues)')
    .option('--queue <name>', `only this queue (${QUEUE_NAMES.join(', ')})`)
    .action(async (id: string | undefined, opts: { all?: boolean; queue?: string }) => {
      const queue = parseQueue(opts.queue);
      if (!id && !opts.all) throw new InputError({ en: 'give a job id (see `voc jobs failed`) or --all', zh: '请给出任务 ID（见 `voc jobs failed`）或 --all' });
      if (id && opts.all) throw new InputError({ en: 'give either a job id or --all, not both', zh: '任务 ID 与 --all 只能二选一' });
      const m = messages(ctx.locale(safeConfig(ctx)));
      await withQueues('jobs retry', async (queues) => {
        if (id) {
          const r = await retryFailedJob(queues, id, queue);
          console.log(m.jobRetried(r.queue, r.id));
        } else {
          const counts = await retryAllFailed(queues, queue);
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          console.log(m.jobsRetried(total, Object.entries(counts).map(([q, n]) => `${q} ${n}`).join(', ')));
        }
      });
    });
}

function registerStatus(program: Command, ctx: QueueCommandContext): void {
  program
    .command('status')
    .description('queue depths and connected workers (needs REDIS_URL)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const m = messages(ctx.locale(safeConfig(ctx)));
      await withQueues('status', async (queues) => {
        const status = await queueStatus(queues);
        if (opts.json) return console.log(jsonText(status));
        const rows = status.map((s) => [
          s.queue,
          ...(['waiting', 'active', 'delayed', 'waiting-children', 'failed', 'completed'] as const).map((k) => String(s.counts[k] + (k === 'waiting' ? s.counts.prioritized : 0))),
          String(s.workers),
          String(s.schedules),
        ]);
        console.log(table(m.statusColumns, rows));
      });
    });
}

/** A run for people; its times in `zone` (the config's), as every printed date. */
function printRun(run: Run, progress: RunProgress | undefined, loc: Locale, zone: string): void {
  const m = messages(loc);
  console.log(m.runLine(run.id, run.kind, m.runStatus[run.status] ?? run.status));
  if (progress) console.log(`  ${m.runProgress(progress.pagesDone, progress.pagesQueued, progress.batchesDone, progress.batchesQueued)}`);
  const s = run.stats;
  console.log(`  ${m.crawlDone(s.pagesFetched, s.postsNew, s.postsUpdated, s.postsUnchanged, s.errors)}`);
  console.log(`  ${m.classified(s.postsClassified)}`);
  console.log(`  ${m.runTimes(formatInZone(run.startedAt, zone), run.finishedAt ? formatInZone(run.finishedAt, zone) : '-')}`);
  for (const e of runErrorLines(run, loc).slice(0, 20)) console.log(`  ! ${e.replace(/[\u0000-\u001f\u007f]/g, ' ')}`);
  const failed = failedTargetsLine(run, loc);
  if (failed) console.log(`  ${failed}`);
  // Per target, as the end of `voc crawl` prints it (pages, new, statuses, waits, stop reason).
  const crawled = progress?.targets.filter((t) => t.stats.pages + t.stats.notModified + t.stats.errors.length > 0) ?? [];
  if (crawled.length) console.log(renderSummaryTable(crawled.map((t) => ({ targetId: t.targetId, summary: summaryOfQueuedTarget(t) })), loc).trimEnd());
}

function registerRunsShow(program: Command, ctx: QueueCommandContext): void {
  // `runs` may already exist on the program (runs list): add to it, replacing an older `show`.
  let runs = program.commands.find((c) => c.name() === 'runs');
  if (!runs) runs = program.command('runs').description('crawl runs and their outcome');
  const commands = runs.commands as Command[];
  const old = commands.findIndex((c) => c.name() === 'show');
  if (old >= 0) commands.splice(old, 1);
  runs
    .command('show')
    .description('a run\'s progress and outcome: live from the queue (REDIS_URL), else from the store')
    .argument('<id>')
    .option('--json', 'print { run, progress } as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      let progress: RunProgress | undefined;
      const env = queueEnvFromProcess();
      if (env) {
        const connection = await connectForCommand(env);
        try {
          progress = await new RunTracker(connection, env.prefix).read(id);
        } finally {
          closeRedis(connection);
        }
      }
      let run = progress?.run;
      if (!run) {
        const app = await ctx.openApp(config);
        try {
          run = await app.store.getRun(id);
        } finally {
          await app.close();
        }
      }
      if (!run) throw new InputError({ en: `unknown run "${id}"; \`voc runs list\` shows recent runs`, zh: `运行“${id}”不存在；\`voc runs list\` 可查看最近的运行` });
      if (opts.json) console.log(jsonText({ run, progress: progress ? { ...progress, run: undefined } : null }));
      else printRun(run, progress, loc, config.timeZone);
    });
}

function registerServe(program: Command, ctx: QueueCommandContext): void {
  program
    .command('serve')
    .description('HTTP server: the analyst console (web UI at /, JSON API under /api, OpenAPI at /api/docs), /health, /metrics and, with REDIS_URL, Bull Board at /admin/queues (admins)')
    .option('--port <n>', 'port (default 8080)', positiveInt('--port', 65535), 8080)
    .option('--host <addr>', 'address to listen on (default 0.0.0.0)', '0.0.0.0')
    .option('--reports-dir <dir>', 'folder of the reports rendered from the console', 'reports')
    .option('--trust-proxy', 'behind a TLS reverse proxy: trust X-Forwarded-* (Secure cookie, client addresses for the login limit)')
    .action(async (opts: { port: number; host: string; reportsDir: string; trustProxy?: boolean }) => {
      const config = ctx.readConfig();
      const loc = ctx.locale(config);
      const m = messages(loc);
      const env = queueEnvFromProcess();
      const { buildServer } = await import('../server/app.js');
      const { fileURLToPath } = await import('node:url');
      const { resolve } = await import('node:path');
      const app = await ctx.openApp(config);
      const connection = env ? createRedis(env) : undefined;
      connection?.on('error', () => undefined); // /health reports Redis being away
      const queues = connection && env ? openQueues(connection, env.prefix) : undefined;
      // The built UI sits next to the compiled code: dist/cli/ -> web/dist.
      const webDir = fileURLToPath(new URL('../../web/dist', import.meta.url));
      const server = await buildServer({
        store: app.store,
        ...(queues && env ? { queues, queuePrefix: env.prefix } : {}),
        console: { app, reportsDir: resolve(opts.reportsDir), webDir },
      }, { trustProxy: Boolean(opts.trustProxy) });
      try {
        const address = await server.listen({ port: opts.port, host: opts.host });
        console.log(m.serveListening(address, Boolean(queues)));
        console.log(loc === 'en' ? `console: ${address}/  API docs: ${address}/api/docs` : `控制台：${address}/  API 文档：${address}/api/docs`);
        if ((await app.store.listUsers()).length === 0)
          console.log(loc === 'en' ? 'no users yet: add one with `voc users add NAME --role admin`' : '还没有用户：用 `voc users add 用户名 --role admin` 添加');
        await untilStopped();
      } finally {
        await server.close();
        await queues?.close().catch(() => undefined);
        if (connection) closeRedis(connection);
        await app.close();
      }
    });
}

function registerScheduler(program: Command, ctx: QueueCommandContext): void {
  program
    .command('scheduler')
    .description('keep the schedules declared in the config (targets and reports with schedule:) installed; SIGHUP re-reads the config')
    .action(async () => {
      const env = requireQueueEnv('scheduler');
      const config = ctx.readConfig();
      const m = messages(ctx.locale(config));
      // Crawl schedules fire on targets read from the store: make sure the config's targets are there.
      const app = await ctx.openApp(config);
      await app.close();
      // Check the config's schedules before connecting: a bad cron is one line, exit 2.
      configSchedules(config);
      const { scheduler, first } = await startScheduler(env, () => configSchedules(ctx.readConfig()));
      console.log(m.schedulerReady(first.added.length, first.updated.length, first.unchanged.length, first.removed.length));
      const onHup = () => {
        scheduler.resync().then(
          (r) => console.log(m.schedulerReady(r.added.length, r.updated.length, r.unchanged.length, r.removed.length)),
          (err: Error) => console.error(`voc: ${errorText(err, ctx.locale(config))}`),
        );
      };
      await untilStopped(onHup);
      console.log(m.schedulerStopping);
      await scheduler.close();
    });
}

/** The config when it can be read (for the output language), without failing a command that does not need it. */
function safeConfig(ctx: QueueCommandContext): VocConfig | undefined {
  try {
    return ctx.readConfig();
  } catch {
    return undefined;
  }
}

function parsePeriod(value: string): ReportScheduleConfig['period'] {
  if (value !== 'last-week' && value !== 'last-month')
    throw new InputError({ en: `--period: expected last-week or last-month, got "${value}"`, zh: `--period：应为 last-week 或 last-month，实际为“${value}”` });
  return value;
}

