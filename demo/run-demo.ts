/**
 * `voc demo`: the whole product on one machine in one command. Starts the demo review forum on
 * 127.0.0.1, crawls it over HTTP with the real crawler (in-process, or through BullMQ workers when
 * REDIS_URL is set), classifies, and renders one HTML + PDF report per brand for the demo period.
 *
 * Idempotent: interrupted and run again with the same data directory, it stores no duplicate and
 * renders the same report.
 */
import { join, resolve } from 'node:path';
import { parseConfig, resolveTarget, type VocConfig } from '../core/config.js';
import type { Locale, ReportSpec, Run, Target } from '../core/types.js';
import { resolvePeriod } from '../core/time.js';
import { loadDemoPosts, DEMO_BRANDS, DEMO_CAMPAIGNS } from './corpus/index.js';
import { startDemoSite, DEMO_SELECTORS, type DemoSite } from './site.js';
import { openApp, type App } from '../cli/app.js';
import { runLocalCrawl } from '../workers/local-runner.js';
import { runQueuedCrawl } from '../workers/queued-runner.js';
import type { QueueEnv } from '../workers/redis.js';
import { classifyPending } from '../workers/stages.js';
import { generateReport } from '../reports/generate.js';
import type { ReportFigures } from '../reports/aggregate.js';
import { reportLabels } from '../workers/labels.js';
import { ensureDir } from '../core/dirs.js';

/** The month the demo's report covers; the month before it is the comparison period. */
export const DEMO_PERIOD = '2026-10';
export const DEMO_TIME_ZONE = 'Asia/Shanghai';
/** A fixed port keeps the post links in reports identical between runs; 0 picks a free one. */
export const DEMO_PORT = 47800;

export interface DemoOptions {
  outDir: string;
  dataDir?: string;
  port?: number;
  locale?: Locale;
  formats?: Array<'html' | 'pdf'>;
  /** Run through BullMQ workers instead of in-process. */
  queue?: QueueEnv;
  onLine?: (line: string) => void;
  /** Called after each stored page (in-process mode). */
  onPage?: (pagesSoFar: number) => void;
  /** Aborting stops the crawl after the page in flight; no report is rendered then. */
  signal?: AbortSignal;
}

export interface DemoResult {
  siteUrl: string;
  run: Run;
  classified: number;
  reports: Array<{ brand: string; files: string[]; figures: ReportFigures }>;
  config: VocConfig;
}

/** The config the demo runs with: the demo brands and one target per brand on the local site. */
export function demoConfig(siteUrl: string, dataDir: string, locale: Locale = 'zh-CN'): VocConfig {
  return parseConfig(
    {
      timeZone: DEMO_TIME_ZONE,
      locale,
      dataDir,
      crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0, concurrency: 2 },
      brands: DEMO_BRANDS,
      campaigns: DEMO_CAMPAIGNS,
      targets: DEMO_BRANDS.map((b) => ({
        id: `demo-${b.id}`,
        url: `${siteUrl}/forum/${b.id}/`,
        brand: b.id,
        source: 'demo-forum',
        selectors: { ...DEMO_SELECTORS },
        maxPages: 100,
      })),
    },
    'demo config',
  );
}

async function startSite(port: number): Promise<DemoSite> {
  const posts = loadDemoPosts();
  const opts = {
    gbkPage: { brand: 'youpinhui', page: 2 },
    brandNames: Object.fromEntries(DEMO_BRANDS.map((b) => [b.id, b.name])),
  };
  try {
    return await startDemoSite(posts, { ...opts, port });
  } catch (err) {
    // The fixed port is taken (another demo running?): any free port works, links just differ.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && port !== 0) return startDemoSite(posts, { ...opts, port: 0 });
    throw err;
  }
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const outDir = resolve(opts.outDir);
  const dataDir = resolve(opts.dataDir ?? join(outDir, '.voc-data'));
  const locale = opts.locale ?? 'zh-CN';
  ensureDir(outDir);
  const site = await startSite(opts.port ?? DEMO_PORT);
  let app: App | undefined;
  try {
    opts.onLine?.(`demo site ${site.url}`);
    const config = demoConfig(site.url, dataDir, locale);
    app = await openApp(config);
    const targets: Target[] = config.targets.map((t, i) => resolveTarget(t, config, `targets.${i}`));
    const run = opts.queue
      ? await runQueuedCrawl(app.store, opts.queue, targets)
      : await runLocalCrawl(app, targets, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (p) => opts.onPage?.(p.run.stats.pagesFetched),
        });
    if (run.status === 'cancelled') return { siteUrl: site.url, run, classified: run.stats.postsClassified, reports: [], config };
    // Anything stored by an interrupted earlier run but not yet classified is caught up here.
    const classified = run.stats.postsClassified + (await classifyPending(app.store, app.classifier));
    const period = resolvePeriod(DEMO_TIME_ZONE, DEMO_PERIOD);
    const reports: DemoResult['reports'] = [];
    for (const brand of config.brands) {
      const spec: ReportSpec = {
        brand: brand.id,
        period: period.label,
        from: period.from,
        to: period.to,
        timeZone: DEMO_TIME_ZONE,
        locale,
        formats: opts.formats ?? ['html', 'pdf'],
      };
      const { files, figures } = await generateReport(
        { store: app.store, config, labels: reportLabels(config, app.classifier.lexicons), lexiconVersion: app.classifier.lexiconVersion },
        spec,
        outDir,
      );
      reports.push({ brand: brand.id, files, figures });
    }
    return { siteUrl: site.url, run, classified, reports, config };
  } finally {
    await app?.close();
    await site.close();
  }
}
