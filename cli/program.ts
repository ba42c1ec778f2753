/**
 * The `voc` command tree: each sub-command parses its options, assembles the dependencies
 * (cli/app.ts) and calls a stage. Building the tree does nothing else, so tests can read it;
 * cli/main.ts runs it.
 */
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openStore } from '../store/open.js';
import { CONFIG_FILE, configSource, loadConfig, brandNamed, type VocConfig } from '../core/config.js';
import { InputError, errorText } from '../core/errors.js';
import type { Locale } from '../core/types.js';
import { configModels, inConfigFile, modelsTrainedUnderOtherLexicon, openApp } from './app.js';
import { messages, parseLocale } from './messages.js';
import { configFileLocale } from './help.js';
import { queueEnvFromProcess } from '../workers/redis.js';
import { classifyPending } from '../workers/stages.js';
import { startWorkers } from '../workers/worker.js';
import { QUEUE_NAMES, type QueueName } from '../workers/queues.js';
import { reportLabels } from '../workers/labels.js';
import { checkReportConfig } from '../reports/config-check.js';
import { buildEffectiveLexicon } from '../analysis/effective.js';
import { loadLexicons } from '../analysis/lexicons.js';
import { registerCrawlCommand, printRunSummary } from './crawl-command.js';
import { registerTargetsCommands } from './targets-command.js';
import { registerReportCommands } from './report-commands.js';
import { registerQueueCommands } from './queue-commands.js';
import { registerEvalCommands, readSavedEvaluation } from './eval-commands.js';
import { registerUserCommands } from './users-commands.js';
import { registerExplainCommand } from './explain-command.js';
import { registerInitCommand } from './init-command.js';
import { registerPostsCommands } from './posts-command.js';
import { parseFormats, positiveInt } from './options.js';
import { checkTargetSelectors } from './selector-check.js';

interface GlobalOptions {
  config?: string;
  dataDir?: string;
  lang?: string;
}

export const program = new Command();
program
  .name('voc')
  .description('Voice-of-Customer engine: crawl public posts, classify channels and brand promises, report cross-channel breakpoints')
  .option('-c, --config <path>', 'config file (default ./voc.config.yaml)')
  .option('--data-dir <dir>', 'data directory of the embedded store (overrides config dataDir)')
  .option('--lang <locale>', 'output language: zh-CN (default) or en')
  .exitOverride();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** The locale of the config read last: an error after it speaks the config's language. */
let configLocale: Locale | undefined;

function readConfig(): VocConfig {
  const g = globals();
  const { config } = loadConfig(g.config);
  if (g.dataDir) config.dataDir = resolve(g.dataDir);
  configLocale = config.locale;
  return config;
}

export function locale(config?: VocConfig): Locale {
  // Before a config is read (voc init, an error reading it), the file's own `locale:` line speaks.
  return parseLocale(globals().lang ?? process.env.VOC_LANG, config?.locale ?? configLocale ?? configFileLocale(globals().config) ?? 'zh-CN');
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
      // Pairs with as many posts share the top rank: name them all rather than the first by likes.
      const top = f.breakpoints.pairs.filter((p) => p.rank === 1);
      const pairName = (p: (typeof top)[number]) => p.channels.map((c) => labels.channel(c, loc)).join(' ↔ ');
      if (top.length === 1) console.log(`  ${m.topBreakpoint}: ${pairName(top[0]!)} (${top[0]!.count})`);
      else if (top.length > 1) console.log(`  ${m.topBreakpoint}: ${m.tiedPairs(top.map(pairName), top[0]!.count)}`);
      console.log(`  ${m.dragChannel}: ${f.dragChannel ? labels.channel(f.dragChannel, loc) : m.none}`);
      for (const file of r.files) console.log(`  ${file}`);
    }
  });

program
  .command('classify')
  .description('classify every stored post not yet classified with the current lexicon version')
  .option('--brand <id>', 'only this brand')
  .action(async (opts: { brand?: string }) => {
    const config = readConfig();
    if (opts.brand) opts.brand = brandNamed(config, opts.brand).id;
    const app = await openApp(config);
    try {
      const n = await classifyPending(app.store, app.classifier, opts.brand ? { brand: opts.brand } : {});
      console.log(messages(locale(config)).classified(n));
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
    if (!env)
      throw new InputError({
        en: 'REDIS_URL is not set: `voc worker` serves BullMQ queues; set REDIS_URL=redis://host:6379 (without it, commands run in-process)',
        zh: 'REDIS_URL 未设置：`voc worker` 处理的是 BullMQ 队列；请设置 REDIS_URL=redis://host:6379（不设置时，命令在本进程内运行）',
      });
    const queues = [...new Set(opts.queues.split(',').map((q) => q.trim()).filter(Boolean))] as QueueName[];
    for (const q of queues)
      if (!QUEUE_NAMES.includes(q))
        throw new InputError({
          en: `--queues: unknown queue "${q}"; expected some of ${QUEUE_NAMES.join(', ')}`,
          zh: `--queues：未知的队列“${q}”；应为 ${QUEUE_NAMES.join('、')} 中的一个或多个`,
        });
    if (queues.length === 0)
      throw new InputError({ en: `--queues: expected some of ${QUEUE_NAMES.join(', ')}`, zh: `--queues：应为 ${QUEUE_NAMES.join('、')} 中的一个或多个` });
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

const runsCmd = program.command('runs').description('crawl runs and their outcome');
runsCmd.command('list').description('the last 20 crawl runs, newest first').action(async () => {
  const config = readConfig();
  const m = messages(locale(config));
  const app = await openApp(config);
  try {
    const runs = await app.store.listRuns(20);
    if (!runs.length) console.log(m.noRuns);
    for (const r of runs)
      console.log(m.runRow(r.id, r.kind, m.runStatus[r.status] ?? r.status, r.stats.pagesFetched, r.stats.postsNew, r.stats.errors));
  } finally {
    await app.close();
  }
});
program
  .command('config')
  .description('configuration')
  .command('check')
  .description('validate the config file and print what it declares')
  .action(async () => {
    const config = readConfig();
    checkReportConfig(config);
    const file = configSource(config) ?? CONFIG_FILE;
    config.targets.forEach((t, i) => checkTargetSelectors(t, { en: `${file}: targets.${i}`, zh: `${file}：targets.${i}` }));
    // Lexicon additions, brand promises and model files (present, readable, of the right task) are
    // checked here, not at the first post a crawl classifies.
    const models = inConfigFile(config, () => {
      const found = configModels(config);
      buildEffectiveLexicon(loadLexicons(), config);
      return found;
    });
    const msg = messages(locale(config));
    // Without a file the defaults are valid, which says little: tell the user where a config would be and how to make one.
    if (!configSource(config)) console.error(msg.configNone(CONFIG_FILE));
    else if (!config.brands.length) console.error(msg.configNoBrand);
    for (const m of modelsTrainedUnderOtherLexicon(config, models)) console.error(msg.modelLexiconChanged(m.task, m.trained, m.current));
    const stored = await storedTargetCount(config);
    console.log(msg.configOk(config.brands.length, config.targets.length, stored));
  });

/**
 * Targets added with `voc targets add` (stored, not in the file), for `config check`'s count. A data
 * directory not made yet holds none, and a check creates nothing: the store is opened only if it is there.
 */
async function storedTargetCount(config: VocConfig): Promise<number> {
  if (!process.env.MONGODB_URI && !existsSync(config.dataDir)) return 0;
  const store = await openStore({ dataDir: config.dataDir });
  try {
    const declared = new Set(config.targets.map((t) => t.id));
    return (await store.listTargets()).filter((t) => !declared.has(t.id)).length;
  } finally {
    await store.close();
  }
}

const context = { readConfig, openApp, locale };

/**
 * The classifier's accuracy last measured by `voc eval` for this data directory, for the report's
 * methods appendix. A damaged file does not stop the report: it is named on stderr and left out.
 */
function evaluation(config: VocConfig) {
  try {
    return readSavedEvaluation(config.dataDir, locale(config));
  } catch (err) {
    console.error(`voc: ${messages(locale(config)).evaluationUnreadable(errorText(err as Error, locale(config)))}`);
    return undefined;
  }
}
registerCrawlCommand(program, context);
registerTargetsCommands(program, { ...context, locale: (c: VocConfig) => locale(c) });
registerReportCommands(program, { ...context, evaluation });
registerQueueCommands(program, context);
registerEvalCommands(program, context);
registerUserCommands(program, context);
registerExplainCommand(program, context);
registerPostsCommands(program, context);
registerInitCommand(program, { configPath: () => globals().config, locale: () => locale() });
