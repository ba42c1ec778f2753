/**
 * `npm run bench:crawl -- [--json] [--pages 3000] [--concurrency 8] [--runs 1]`
 *
 * Serves the bench forum (3,000 listing pages of about 60 KB, 20 posts each) from a separate
 * process pinned to one core, and crawls it with voc's html crawler and with Crawlee's
 * CheerioCrawler side by side, each in its own process pinned to another core, with the same
 * concurrency and the same extraction, all page URLs known up front. Prints
 *
 *   {"voc": {"pages_per_min", "posts_per_min", "peak_rss_mb"}, "crawlee": {...}, "ratio"}
 *
 * where `ratio` is voc's pages per minute divided by Crawlee's. Needs the compiled build
 * (`npm run build`); pinning uses `taskset` when the machine has it and two cores. voc's store
 * is the embedded SQLite store, on tmpfs (/dev/shm) when there is one (`--store-dir DIR`).
 * With `--runs N` each crawler runs N times, alternating, and its best run counts: on a shared
 * machine, other processes steal the pinned core now and then, and best-of-N filters that out
 * for both sides alike.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchOptions, count, flag, text } from './options.js';

interface RunResult {
  pages: number;
  posts: number;
  ms: number;
  maxRssMb: number;
  /** CPU time of the crawler process (user + system), ms: steadier than wall time on a busy machine. */
  cpuMs: number;
  errors: number;
}

interface Figures {
  pages_per_min: number;
  posts_per_min: number;
  peak_rss_mb: number;
  pages: number;
  posts: number;
  seconds: number;
  cpu_ms_per_page: number;
  errors: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));

const OPTIONS = {
  json: flag('print one JSON object instead of the text report'),
  pages: count(3000, 'listing pages of the bench forum'),
  concurrency: count(8, 'pages fetched at once, by each crawler'),
  runs: count(1, 'runs of each crawler, alternating; the best counts'),
  'store-dir': text('DIR', 'where voc\'s embedded store goes (default /dev/shm, else the temp dir)'),
};

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `node script args` pinned to `core` when possible. */
function nodeOn(core: number, script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): ChildProcess {
  const node = [process.execPath, join(HERE, script), ...args];
  const [cmd, ...rest] = canPin ? ['taskset', '-c', String(core), ...node] : node;
  return spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, ...(cwd ? { cwd } : {}) });
}

/** The first stdout line of `child` matching `pattern`. */
function lineOf(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (pattern.test(line)) {
        rl.close();
        resolve(line);
      }
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited with ${code} before printing ${pattern}`)));
  });
}

async function runCrawler(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<RunResult> {
  const child = nodeOn(0, script, args, env, cwd);
  const line = await lineOf(child, /^\{/);
  await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return JSON.parse(line) as RunResult;
}

function figures(r: RunResult): Figures {
  const perMin = (n: number) => Math.round((n / r.ms) * 60_000);
  return {
    pages_per_min: perMin(r.pages),
    posts_per_min: perMin(r.posts),
    peak_rss_mb: r.maxRssMb,
    pages: r.pages,
    posts: r.posts,
    seconds: Math.round(r.ms / 100) / 10,
    cpu_ms_per_page: Math.round((r.cpuMs / Math.max(1, r.pages)) * 100) / 100,
    errors: r.errors,
  };
}

async function main(): Promise<void> {
  const { json, pages, concurrency, runs, 'store-dir': storeRootOption } = benchOptions('crawl.js', OPTIONS);
  for (const f of ['crawl-site.js', 'crawl-voc.js', 'crawl-crawlee.js'])
    if (!existsSync(join(HERE, f))) throw new Error(`${join(HERE, f)} is missing: run \`npm run build\` first`);

  // The store goes on tmpfs when there is one: the benchmark measures CPU (each side pinned to a
  // core); Crawlee's dataset is in memory too. `--store-dir DIR` puts it elsewhere.
  const storeRoot = storeRootOption ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const work = mkdtempSync(join(tmpdir(), 'voc-bench-'));
  const storeDir = mkdtempSync(join(storeRoot, 'voc-bench-store-'));
  const server = nodeOn(1, 'crawl-site.js', [String(pages)]);
  try {
    const origin = (await lineOf(server, /^listening /)).slice('listening '.length);
    const log = (s: string) => !json && console.error(s);
    log(`bench forum: ${pages} pages at ${origin}${canPin ? ' (server on core 1, crawlers on core 0)' : ' (not pinned: taskset or a second core is missing)'}`);
    const best = (a: Figures | undefined, b: Figures) => (!a || b.pages_per_min > a.pages_per_min ? b : a);
    let voc: Figures | undefined;
    let crawlee: Figures | undefined;
    for (let run = 1; run <= runs; run++) {
      const of = runs > 1 ? ` (run ${run} of ${runs})` : '';
      log(`crawling with voc…${of}`);
      rmSync(join(storeDir, 'data'), { recursive: true, force: true });
      voc = best(voc, figures(await runCrawler('crawl-voc.js', [origin, String(pages), String(concurrency), join(storeDir, 'data')])));
      log(`crawling with Crawlee CheerioCrawler…${of}`);
      const crawleeDir = join(work, `crawlee-${run}`);
      crawlee = best(
        crawlee,
        figures(
          await runCrawler('crawl-crawlee.js', [origin, String(pages), String(concurrency)], { CRAWLEE_STORAGE_DIR: crawleeDir, CRAWLEE_PERSIST_STORAGE: 'false' }, work),
        ),
      );
    }
    if (!voc || !crawlee) throw new Error('no run');
    const ratio = Math.round((voc.pages_per_min / crawlee.pages_per_min) * 100) / 100;
    const pick = (f: Figures) => ({ pages_per_min: f.pages_per_min, posts_per_min: f.posts_per_min, peak_rss_mb: f.peak_rss_mb });
    if (json) {
      console.log(JSON.stringify({ voc: pick(voc), crawlee: pick(crawlee), ratio }));
    } else {
      console.log(`               pages/min   posts/min   peak RSS MB   pages   posts   seconds   CPU ms/page   errors`);
      for (const [name, f] of [['voc', voc], ['crawlee', crawlee]] as const)
        console.log(
          `${name.padEnd(12)} ${String(f.pages_per_min).padStart(10)} ${String(f.posts_per_min).padStart(11)} ${String(f.peak_rss_mb).padStart(13)} ${String(f.pages).padStart(7)} ${String(f.posts).padStart(7)} ${String(f.seconds).padStart(9)} ${String(f.cpu_ms_per_page).padStart(13)} ${String(f.errors).padStart(8)}`,
        );
      console.log(`ratio (voc / crawlee pages per minute): ${ratio}; RSS ${Math.round((voc.peak_rss_mb / crawlee.peak_rss_mb) * 100)}% of Crawlee's`);
    }
    if (voc.errors || crawlee.errors || voc.pages !== pages || crawlee.pages !== pages) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
    rmSync(storeDir, { recursive: true, force: true });
  }
}

await main();
