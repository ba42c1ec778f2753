/**
 * The `voc` command. Each sub-command parses its options, assembles the dependencies (cli/app.ts)
 * and calls a stage; errors the user can act on print as one line with exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import { loadConfig, findBrand, resolveTarget, type VocConfig } from '../core/config.js';
import { VocError, InputError } from '../core/errors.js';
import type { Locale, ReportSpec, Run } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import { openApp, selectTargets } from './app.js';
import { preflightTargets } from './preflight.js';
import { messages, parseLocale } from './messages.js';
import { queueEnvFromProcess } from '../workers/redis.js';
import { runLocalCrawl } from '../workers/local-runner.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import { classifyPending } from '../workers/stages.js';
import { startWorkers } from '../workers/worker.js';
import { QUEUE_NAMES, type QueueName } from '../workers/queues.js';
import { reportLabels } from '../workers/labels.js';
import { generateReport } from '../reports/generate.js';

interface GlobalOptions {
  config?: string;
  dataDir?: string;
  lang?: string;
}

const program = new Command();
program
  .name('voc')
  .description('Voice-of-Customer engine: crawl public posts, classify channels and brand promises, report cross-channel breakpoints')
  .option('-c, --config <path>', 'config file (default ./voc.config.yaml)')
  .option('--data-dir <dir>', 'data directory of the embedded store (overrides config dataDir)')
  .option('--lang <locale>', 'output language: zh-CN (default) or en')
  .showHelpAfterError('(voc --help lists the commands)')
  .exitOverride();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

function readConfig(): VocConfig {
  const g = globals();
  const { config } = loadConfig(g.config);
  if (g.dataDir) config.dataDir = resolve(g.dataDir);
  return config;
}

function locale(config?: VocConfig): Locale {
  return parseLocale(globals().lang ?? process.env.VOC_LANG, config?.locale ?? 'zh-CN');
}

function positiveInt(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InputError(`${flag}: expected a whole number >= 1, got "${v}"`);
    return n;
  };
}

function printRunSummary(run: Run, loc: Locale, json: boolean): void {
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

program
  .command('demo')
  .description('start the demo review forum on 127.0.0.1, crawl it, classify and write one HTML + PDF report per brand')
  .requiredOption('--out <dir>', 'folder for the reports')
  .option('--port <n>', 'port of the demo forum (default 47800, a free one if taken)', positiveInt('--port'))
  .option('--format <list>', 'pdf,html (default both)', 'html,pdf')
  .action(async (opts: { out: string; port?: number; format: string }) => {
    const { runDemo } = await import('../demo/run-demo.js');
    const loc = locale();
    const m = messages(loc);
    const queue = queueEnvFromProcess();
    const formats = parseFormats(opts.format);
    console.log(m.demoCrawling);
    const result = await runDemo({
      outDir: opts.out,
      ...(globals().dataDir ? { dataDir: globals().dataDir } : {}),
      ...(opts.port ? { port: opts.port } : {}),
      locale: loc,
      formats,
      ...(queue ? { queue } : {}),
      onLine: (l) => console.log(l.startsWith('demo site ') ? m.demoServing(l.slice(10)) : l),
    });
    printRunSummary(result.run, loc, false);
    const labels = reportLabels(result.config);
    for (const r of result.reports) {
      const f = r.figures;
      console.log(`${m.reportWritten(f.brand.name, f.period.label)} ${m.posts(f.coverage.postsAnalysed)}`);
      const top = f.breakpoints.pairs[0];
      if (top) console.log(`  ${m.topBreakpoint}: ${top.channels.map((c) => labels.channel(c, loc)).join(' ↔ ')} (${top.count})`);
      console.log(`  ${m.dragChannel}: ${f.dragChannel ? labels.channel(f.dragChannel, loc) : m.none}`);
      for (const file of r.files) console.log(`  ${file}`);
    }
  });

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
      const config = readConfig();
      const loc = locale(config);
      // Config targets and report options are checked before anything is opened or written.
      const declared = config.targets.map((t, i) => resolveTarget(t, config, `targets.${i}`));
      await preflightTargets(ids.length ? declared.filter((t) => ids.includes(t.id)) : declared);
      const reportFormats = parseFormats(opts.reportFormat);
      const reportPeriod = opts.reportPeriod ? resolvePeriod(config.timeZone, opts.reportPeriod) : undefined;
      const app = await openApp(config);
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

program
  .command('classify')
  .description('classify every stored post not yet classified with the current lexicon version')
  .option('--brand <id>', 'only this brand')
  .action(async (opts: { brand?: string }) => {
    const config = readConfig();
    if (opts.brand) findBrand(config, opts.brand);
    const app = await openApp(config);
    try {
      const n = await classifyPending(app.store, app.classifier, opts.brand ? { brand: opts.brand } : {});
      console.log(messages(locale(config)).classified(n));
    } finally {
      await app.close();
    }
  });

program
  .command('report')
  .description('render the brand-consistency report of a brand and period to HTML and PDF')
  .requiredOption('--brand <id>', 'brand id from the config')
  .option('--period <YYYY-MM>', 'a calendar month in the config time zone')
  .option('--from <YYYY-MM-DD>', 'first day (with --to)')
  .option('--to <YYYY-MM-DD>', 'last day, inclusive (with --from)')
  .option('--format <list>', 'pdf,html', 'html,pdf')
  .option('--out <dir>', 'output folder', 'reports')
  .option('--json', 'print the report figures as JSON')
  .action(async (opts: { brand: string; period?: string; from?: string; to?: string; format: string; out: string; json?: boolean }) => {
    const config = readConfig();
    findBrand(config, opts.brand);
    if (opts.period && (opts.from || opts.to)) throw new InputError('give either --period or --from/--to, not both');
    const period = resolvePeriod(config.timeZone, opts.period, opts.from, opts.to);
    const spec: ReportSpec = {
      brand: opts.brand,
      period: period.label,
      from: period.from,
      to: period.to,
      timeZone: config.timeZone,
      locale: locale(config),
      formats: parseFormats(opts.format),
    };
    const app = await openApp(config);
    try {
      const { files, figures } = await generateReport(
        { store: app.store, config, labels: reportLabels(config), lexiconVersion: app.classifier.lexiconVersion },
        spec,
        resolve(opts.out),
      );
      if (opts.json) console.log(JSON.stringify({ files, figures }));
      else for (const f of files) console.log(f);
    } finally {
      await app.close();
    }
  });

program
  .command('worker')
  .description('run queue workers (needs REDIS_URL); start as many processes on as many machines as you like')
  .option('--queues <list>', `queues to work on (${QUEUE_NAMES.join(',')})`, QUEUE_NAMES.join(','))
  .option('--concurrency <n>', 'jobs in flight per queue', positiveInt('--concurrency'), 4)
  .option('--lock-duration <ms>', 'job lock; a killed worker\'s jobs are taken over after about this long', positiveInt('--lock-duration'), 30_000)
  .option('--shutdown-timeout <s>', 'on SIGTERM/SIGINT, seconds to let jobs finish before handing them back', positiveInt('--shutdown-timeout'), 30)
  .option('--reports-dir <dir>', 'folder of scheduled reports', 'reports')
  .action(async (opts: { queues: string; concurrency: number; lockDuration: number; shutdownTimeout: number; reportsDir: string }) => {
    const env = queueEnvFromProcess();
    if (!env) throw new InputError('REDIS_URL is not set: `voc worker` serves BullMQ queues; set REDIS_URL=redis://host:6379 (without it, commands run in-process)');
    const queues = [...new Set(opts.queues.split(',').map((q) => q.trim()).filter(Boolean))] as QueueName[];
    for (const q of queues) if (!QUEUE_NAMES.includes(q)) throw new InputError(`--queues: unknown queue "${q}"; expected some of ${QUEUE_NAMES.join(', ')}`);
    if (queues.length === 0) throw new InputError(`--queues: expected some of ${QUEUE_NAMES.join(', ')}`);
    const config = readConfig();
    const loc = locale(config);
    const app = await openApp(config);
    const workers = await startWorkers(app, env, {
      queues,
      concurrency: opts.concurrency,
      lockDurationMs: opts.lockDuration,
      reportDir: resolve(opts.reportsDir),
      onEvent: (line) => {
        if (process.env.VOC_LOG_JOBS) console.log(line);
      },
    });
    console.log(messages(loc).workerStarted(queues.join(','), opts.concurrency));
    await new Promise<void>((resolveStop) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        console.log(messages(loc).workerStopping);
        resolveStop();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    await workers.close(opts.shutdownTimeout * 1000);
    await app.close();
    console.log(messages(loc).workerStopped);
  });

const targetsCmd = program.command('targets').description('crawl targets (declared under `targets:` in the config)');
targetsCmd
  .command('list')
  .option('--json', 'JSON lines')
  .action(async (opts: { json?: boolean }) => {
    const app = await openApp(readConfig());
    try {
      for (const t of await app.store.listTargets()) console.log(opts.json ? JSON.stringify(t) : `${t.id}\t${t.brand}\t${t.kind}\t${t.url}`);
    } finally {
      await app.close();
    }
  });
targetsCmd
  .command('show')
  .argument('<id>')
  .action(async (id: string) => {
    const app = await openApp(readConfig());
    try {
      const [t] = await selectTargets(app, [id]);
      console.log(JSON.stringify({ target: t, crawlState: (await app.store.getCrawlState(id)) ?? null }, null, 2));
    } finally {
      await app.close();
    }
  });

const runsCmd = program.command('runs').description('crawl runs and their outcome');
runsCmd.command('list').action(async () => {
  const app = await openApp(readConfig());
  try {
    for (const r of await app.store.listRuns(20))
      console.log(`${r.id}\t${r.kind}\t${r.status}\tpages ${r.stats.pagesFetched}\tnew ${r.stats.postsNew}\terrors ${r.stats.errors}`);
  } finally {
    await app.close();
  }
});
runsCmd
  .command('show')
  .argument('<id>')
  .action(async (id: string) => {
    const app = await openApp(readConfig());
    try {
      const run = await app.store.getRun(id);
      if (!run) throw new InputError(`unknown run "${id}"; \`voc runs list\` shows recent runs`);
      console.log(JSON.stringify(run, null, 2));
    } finally {
      await app.close();
    }
  });

program
  .command('reports')
  .description('archived reports')
  .command('list')
  .option('--brand <id>')
  .action(async (opts: { brand?: string }) => {
    const app = await openApp(readConfig());
    try {
      for (const r of await app.store.listReports(opts.brand))
        console.log(`${r.id}\t${r.brand}\t${r.period}\t${r.postCount} posts\t${r.files.map((f) => f.path).join(' ')}`);
    } finally {
      await app.close();
    }
  });

program
  .command('config')
  .description('configuration')
  .command('check')
  .description('validate the config file and print what it declares')
  .action(() => {
    const config = readConfig();
    console.log(messages(locale(config)).configOk(config.brands.length, config.targets.length));
  });

function parseFormats(value: string): Array<'html' | 'pdf'> {
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) if (f !== 'html' && f !== 'pdf') throw new InputError(`--format: unknown format "${f}"; expected pdf, html or pdf,html`);
  if (list.length === 0) throw new InputError('--format: expected pdf, html or pdf,html');
  return [...new Set(list)] as Array<'html' | 'pdf'>;
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or help/version); keep its exit code, 2 for misuse.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof VocError) {
      console.error(`voc: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    console.error(`voc: unexpected error: ${(err as Error)?.message ?? String(err)}`);
    if (process.env.VOC_DEBUG) console.error((err as Error)?.stack);
    else console.error('voc: run again with VOC_DEBUG=1 to see where it happened, and please report it');
    process.exitCode = 1;
  }
}

await main();
// Open handles (a browser, a Redis connection) must not keep a finished command alive.
const { closeBrowser } = await import('../reports/browser.js');
await closeBrowser().catch(() => undefined);
process.exit(process.exitCode ?? 0);
