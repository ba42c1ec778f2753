/**
 * `voc crawl [TARGET...] [--max-pages N] [--since DATE] [--refetch] [--json]`: crawl the targets in-process,
 * or through BullMQ workers when REDIS_URL is set, then optionally render the period's report of
 * each crawled brand.
 *
 * Output: a live progress line on stderr (terminal only) and, at the end, a summary table per
 * target (cli/crawl-output.ts), for in-process and queued crawls alike; `--json` prints one JSON
 * object instead: the run record plus `targets` (each target's crawl summary) and `total`.
 *
 * Exit code 1 when the run failed: a target failed (errors, no post read, no 304) or a step gave
 * up (workers/run-outcome.ts); the targets that failed are named under the table.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveTarget, type VocConfig } from '../core/config.js';
import type { Locale, ReportSpec, Run } from '../core/types.js';
import { runErrorLines } from '../core/types.js';
import type { CrawlSummary } from '../crawlers/crawl-target.js';
import type { TargetStats } from '../crawlers/stats.js';
import { resolvePeriod } from '../core/time.js';
import { selectTargets, type App } from './app.js';
import { preflightTargets } from './preflight.js';
import { messages } from './messages.js';
import { queueEnvFromProcess } from '../workers/redis.js';
import { runLocalCrawl, type LocalCrawlOptions } from '../workers/local-runner.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import type { RunProgress } from '../workers/run-tracker.js';
import type { QueuedTargetSummary } from '../workers/target-totals.js';
import { reportLabels } from '../workers/labels.js';
import { generateReport } from '../reports/generate.js';
import { createProgressBar, crawlReportJson, failedTargetsLine, parseSince, renderSummaryTable, summaryOfQueuedTarget, terminalSafe, type CrawlReportRow } from './crawl-output.js';
import { parseFormats, positiveInt } from './options.js';
import { jsonText } from './json.js';

/**
 * What the command asks of the in-process runner besides `LocalCrawlOptions`: the `--since`
 * cut-off and each target's live stats and final summary (for the progress line and the table).
 * Typed here so the command states its needs; `runLocalCrawl` passes them on to `crawlTarget`.
 */
export interface TargetReportingOptions {
  /** ISO instant: posts published before it are dropped, and a listing of only such posts ends. */
  since?: string;
  /** A target's stats after each of its pages (crawlTarget's `onProgress`). */
  onTargetProgress?: (targetId: string, stats: TargetStats) => void;
  /** A target's crawl summary once it is done. */
  onTargetDone?: (summary: CrawlSummary) => void;
}

export interface CrawlCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}



/**
 * The end of a crawl: with per-target summaries, the summary table (or `--json`: the run plus
 * `targets` and `total`); without them (queued runs), the run's totals.
 */
export function printCrawlResult(run: Run, rows: CrawlReportRow[], loc: Locale, json: boolean): void {
  if (rows.length === 0) return printRunSummary(run, loc, json);
  if (json) {
    console.log(jsonText({ ...run, ...crawlReportJson(rows) }));
    return;
  }
  process.stdout.write(renderSummaryTable(rows, loc));
  const m = messages(loc);
  console.log(m.classified(run.stats.postsClassified));
  const failed = failedTargetsLine(run, loc);
  if (failed) console.log(failed);
  console.log(m.runLine(run.id, run.kind, m.runStatus[run.status] ?? run.status));
}

export function printRunSummary(run: Run, loc: Locale, json: boolean): void {
  if (json) {
    console.log(jsonText(run));
    return;
  }
  const m = messages(loc);
  const s = run.stats;
  console.log(m.crawlDone(s.pagesFetched, s.postsNew, s.postsUpdated, s.postsUnchanged, s.errors));
  console.log(m.classified(s.postsClassified));
  for (const e of runErrorLines(run, loc).slice(0, 10)) console.log(`  ! ${terminalSafe(e, 400)}`);
  const failed = failedTargetsLine(run, loc);
  if (failed) console.log(failed);
  console.log(m.runLine(run.id, run.kind, m.runStatus[run.status] ?? run.status));
}

/** Adds `crawl` to `program`. */
export function registerCrawlCommand(program: Command, ctx: CrawlCommandContext): void {
  program
    .command('crawl')
    .description('crawl targets (all, or those named): in-process, or through BullMQ workers when REDIS_URL is set')
    .argument('[targets...]', 'target ids')
    .option('--max-pages <n>', 'page cap per target for this run', positiveInt('--max-pages'))
    .option('--since <date>', 'only posts published since DATE: 2026-10-01 (config time zone), an ISO time, or an age such as 7d, 12h, 2w')
    .option('--refetch', 'ignore the stored ETag / Last-Modified this run: fetch the start pages whole even if unchanged (304)')
    .option('--json', 'print the run and its per-target summaries as one JSON object')
    .option('--detach', 'with REDIS_URL: enqueue and return without waiting (`voc runs show ID` follows it)')
    .option('--report-period <YYYY-MM>', 'then render the report of this month for each crawled brand')
    .option('--report-out <dir>', 'folder of those reports', 'reports')
    .option('--report-format <list>', 'pdf,html', 'html,pdf')
    .action(
      async (
        ids: string[],
        opts: { maxPages?: number; since?: string; refetch?: boolean; json?: boolean; detach?: boolean; reportPeriod?: string; reportOut: string; reportFormat: string },
      ) => {
        const config = ctx.readConfig();
        const loc = ctx.locale(config);
        const since = opts.since !== undefined ? parseSince(opts.since, config.timeZone) : undefined;
        const queue = queueEnvFromProcess();
        // Config targets and report options are checked before anything is opened or written.
        const declared = config.targets.map((t, i) => resolveTarget(t, config, `targets.${i}`));
        await preflightTargets(ids.length ? declared.filter((t) => ids.includes(t.id)) : declared);
        const reportFormats = parseFormats(opts.reportFormat, '--report-format');
        const reportPeriod = opts.reportPeriod ? resolvePeriod(config.timeZone, opts.reportPeriod, undefined, undefined, { period: '--report-period' }) : undefined;
        const app = await ctx.openApp(config);
        try {
          const targets = await selectTargets(app, ids);
          // The progress line goes to stderr and only to a terminal: pipes and `--json` stay clean.
          const bar = createProgressBar(opts.json ? { write: () => true, isTTY: false } : process.stderr, loc);
          const caps = new Map(targets.map((t) => [t.id, Math.min(t.maxPages, opts.maxPages ?? Infinity)]));
          const rows: CrawlReportRow[] = [];
          // Queued runs: the same progress line and summary table, from the run tracker's per-target figures.
          const queuedProgress = (_run: Run, progress: RunProgress) => {
            for (const t of progress.targets) bar.update(t.targetId, t.stats, caps.get(t.targetId));
          };
          const queuedTargets = (targets: QueuedTargetSummary[]) => {
            for (const t of targets) rows.push({ targetId: t.targetId, summary: summaryOfQueuedTarget(t) });
          };
          const local: LocalCrawlOptions & TargetReportingOptions = {
            ...(opts.maxPages ? { maxPages: opts.maxPages } : {}),
            ...(since ? { since } : {}),
            ...(opts.refetch ? { refetch: true } : {}),
            onTargetProgress: (id, stats) => bar.update(id, stats, caps.get(id)),
            onTargetDone: (summary) => rows.push({ targetId: summary.targetId, summary }),
          };
          // One spec per brand crawled; the queued flow renders them after classification.
          const specs: ReportSpec[] = reportPeriod
            ? [...new Set(targets.map((t) => t.brand))].map((brand) => ({
                brand,
                period: reportPeriod.label,
                from: reportPeriod.from,
                to: reportPeriod.to,
                timeZone: config.timeZone,
                locale: loc,
                formats: reportFormats,
              }))
            : [];
          const report = specs.length ? { specs, outDir: resolve(opts.reportOut) } : undefined;
          const run = queue
            ? await runQueuedCrawl(app.store, queue, targets, {
                ...(opts.maxPages ? { maxPages: opts.maxPages } : {}),
                ...(since ? { since } : {}),
                ...(opts.detach ? { detach: true } : {}),
                ...(opts.refetch ? { refetch: true } : {}),
                ...(report ? { report } : {}),
                onProgress: queuedProgress,
                onTargets: queuedTargets,
              }).finally(() => bar.finish())
            : await runLocalCrawl(app, targets, local).finally(() => bar.finish());
          const reportFiles: string[] = [];
          if (!queue && report) {
            for (const spec of report.specs) {
              const written = await generateReport(
                { store: app.store, config, labels: reportLabels(config, app.classifier.lexicons), lexiconVersion: app.classifier.lexiconVersion },
                spec,
                report.outDir,
              );
              reportFiles.push(...written.files);
            }
          }
          // Rows in the order the targets were named, not the order they finished.
          const order = new Map(targets.map((t, i) => [t.id, i]));
          rows.sort((a, b) => (order.get(a.targetId) ?? 0) - (order.get(b.targetId) ?? 0));
          printCrawlResult(run, rows, loc, Boolean(opts.json));
          // The reports' paths, as `voc report` prints them (--json keeps stdout one object).
          if (!opts.json) for (const file of reportFiles) console.log(file);
          if (run.status === 'failed') process.exitCode = 1;
        } finally {
          await app.close();
        }
      },
    );
}
