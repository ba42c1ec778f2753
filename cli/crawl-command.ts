/**
 * `voc crawl [TARGET...]`: crawl the targets in-process, or through BullMQ workers when REDIS_URL
 * is set, then optionally render the period's report of each crawled brand.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { resolveTarget, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Locale, ReportSpec, Run } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import { selectTargets, type App } from './app.js';
import { preflightTargets } from './preflight.js';
import { messages } from './messages.js';
import { queueEnvFromProcess } from '../workers/redis.js';
import { runLocalCrawl } from '../workers/local-runner.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import { reportLabels } from '../workers/labels.js';
import { generateReport } from '../reports/generate.js';

export interface CrawlCommandContext {
  readConfig(): VocConfig;
  openApp(config: VocConfig): Promise<App>;
  locale(config?: VocConfig): Locale;
}

function positiveInt(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag}: expected a whole number >= 1, got "${v}"`);
    return n;
  };
}

function parseFormats(value: string): Array<'html' | 'pdf'> {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) if (f !== 'html' && f !== 'pdf') throw new InputError(`--format: unknown format "${f}"; expected pdf, html or pdf,html`);
  if (list.length === 0) throw new InputError('--format: expected pdf, html or pdf,html');
  return [...new Set(list)] as Array<'html' | 'pdf'>;
}

export function printRunSummary(run: Run, loc: Locale, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(run));
    return;
  }
  const m = messages(loc);
  const s = run.stats;
  console.log(m.crawlDone(s.pagesFetched, s.postsNew, s.postsUpdated, s.postsUnchanged, s.errors));
  console.log(m.classified(s.postsClassified));
  for (const e of run.errors.slice(0, 10)) console.log(`  ! ${e}`);
  console.log(`run ${run.id} ${run.status}`);
}

/** Adds `crawl` to `program`. */
export function registerCrawlCommand(program: Command, ctx: CrawlCommandContext): void {
  program
      .command('crawl')
    .description('crawl targets (all, or those named): in-process, or through BullMQ workers when REDIS_URL is set')
    .argument('[targets...]', 'target ids')
    .option('--max-pages <n>', 'page cap per target for this run', positiveInt('--max-pages'))
    .option('--json', 'print the run as one JSON object')
    .option('--detach', 'with REDIS_URL: enqueue and return without waiting (`voc runs show ID` follows it)')
    .option('--report-period <YYYY-MM>', 'then render the report of this month for each crawled brand')
    .option('--report-out <dir>', 'folder of those reports', 'reports')
    .option('--report-format <list>', 'pdf,html', 'html,pdf')
    .action(
      async (
        ids: string[],
        opts: { maxPages?: number; json?: boolean; detach?: boolean; reportPeriod?: string; reportOut: string; reportFormat: string },
      ) => {
        const config = ctx.readConfig();
        const loc = ctx.locale(config);
        // Config targets and report options are checked before anything is opened or written.
        const declared = config.targets.map((t, i) => resolveTarget(t, config, `targets.${i}`));
        await preflightTargets(ids.length ? declared.filter((t) => ids.includes(t.id)) : declared);
        const reportFormats = parseFormats(opts.reportFormat);
        const reportPeriod = opts.reportPeriod ? resolvePeriod(config.timeZone, opts.reportPeriod) : undefined;
        const app = await ctx.openApp(config);
        try {
          const targets = await selectTargets(app, ids);
          const queue = queueEnvFromProcess();
          const m = messages(loc);
          const progress = (run: Run) => {
            if (!opts.json && process.stderr.isTTY) process.stderr.write(`\r${m.progress(run.stats.pagesFetched, run.stats.postsNew, run.stats.errors)}   `);
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
                ...(opts.detach ? { detach: true } : {}),
                ...(report ? { report } : {}),
                onProgress: progress,
              })
            : await runLocalCrawl(app, targets, { ...(opts.maxPages ? { maxPages: opts.maxPages } : {}), onProgress: (p) => progress(p.run) });
          if (!queue && report) {
            for (const spec of report.specs)
              await generateReport(
                { store: app.store, config, labels: reportLabels(config), lexiconVersion: app.classifier.lexiconVersion },
                spec,
                report.outDir,
              );
          }
          if (!opts.json && process.stderr.isTTY) process.stderr.write('\n');
          printRunSummary(run, loc, Boolean(opts.json));
          if (run.status === 'failed') process.exitCode = 1;
        } finally {
          await app.close();
        }
      },
    );
}
