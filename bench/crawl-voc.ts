/**
 * One benchmark run of voc's html crawler, in its own process so that its peak RSS is its own:
 * every listing page of the bench forum (numbered pages, all URLs known up front), with
 * robots.txt, the per-host token bucket and concurrency cap, post building (redaction, HMAC,
 * hashes, SimHash), incremental bookkeeping and writes to an embedded SQLite store included.
 *
 *   node dist/bench/crawl-voc.js <origin> <pages> <concurrency> <dataDir>
 * prints one JSON line: { pages, posts, ms, maxRssMb, errors }
 */
import { parseConfig, resolveTarget } from '../core/config.js';
import { openEmbeddedStore } from '../store/embedded.js';
import { createCrawlContext, crawlTarget, storeCallbacks } from '../crawlers/index.js';

const [origin, pagesArg, concurrencyArg, dataDir] = process.argv.slice(2);
const pages = Number(pagesArg);
const concurrency = Number(concurrencyArg);
if (!origin || !pages || !concurrency || !dataDir) {
  console.error('usage: crawl-voc.js <origin> <pages> <concurrency> <dataDir>');
  process.exit(2);
}

const config = parseConfig({
  brands: [{ id: 'bench', name: 'Bench' }],
  dataDir,
  crawler: { allowPrivateHosts: ['127.0.0.1'], defaultDelayMs: 0, maxConcurrencyPerHost: concurrency },
});
const target = resolveTarget(
  {
    id: 'bench-forum',
    brand: 'bench',
    url: `${origin}/forum?page=1`,
    maxPages: pages,
    maxConcurrency: concurrency,
    selectors: { item: '.post', text: '.content', id: '@data-id', author: '.user', time: 'time@datetime', link: 'a.permalink', likes: '.likes', replies: '.replies' },
    pagination: { type: 'template', url: '/forum?page={page}' },
  },
  config,
);
const store = openEmbeddedStore(dataDir);
const ctx = createCrawlContext({ config, authorSecret: 'bench-author-secret-0123456789', dataDir: false });
const started = performance.now();
const summary = await crawlTarget(ctx, target, {
  ...storeCallbacks(store, target.id),
  onPage: (page) => store.upsertPosts(page.posts),
});
const ms = performance.now() - started;
await ctx.close();
const stored = await store.countPosts({ targetId: target.id });
await store.close();
console.log(
  JSON.stringify({
    pages: summary.pages,
    posts: summary.posts,
    stored,
    ms: Math.round(ms),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    errors: summary.errors.length,
  }),
);
