/**
 * One benchmark run of Crawlee's CheerioCrawler (a devDependency used only here), in its own
 * process: the same pages, the same concurrency, the same fields extracted with the same
 * selectors, the items pushed to Crawlee's dataset (its equivalent of a store write), with
 * in-memory storage so nothing is written under the repository.
 *
 *   node dist/bench/crawl-crawlee.js <origin> <pages> <concurrency>
 * prints one JSON line: { pages, posts, ms, maxRssMb, errors }
 */
import { CheerioCrawler, Configuration } from '@crawlee/cheerio';

const [origin, pagesArg, concurrencyArg] = process.argv.slice(2);
const pages = Number(pagesArg);
const concurrency = Number(concurrencyArg);
if (!origin || !pages || !concurrency) {
  console.error('usage: crawl-crawlee.js <origin> <pages> <concurrency>');
  process.exit(2);
}

const config = new Configuration({ persistStorage: false, purgeOnStart: true, logLevel: 0 as never });
let pagesDone = 0;
let posts = 0;
let errors = 0;
const crawler = new CheerioCrawler(
  {
    minConcurrency: concurrency,
    maxConcurrency: concurrency,
    maxRequestRetries: 3,
    async requestHandler({ $, pushData }) {
      const items = $('.post')
        .toArray()
        .map((el) => {
          const $el = $(el);
          return {
            id: $el.attr('data-id'),
            text: $el.find('.content').text().trim(),
            author: $el.find('.user').first().text().trim(),
            time: $el.find('time').first().attr('datetime'),
            link: $el.find('a.permalink').first().attr('href'),
            likes: $el.find('.likes').first().text().trim(),
            replies: $el.find('.replies').first().text().trim(),
          };
        });
      await pushData(items);
      pagesDone++;
      posts += items.length;
    },
    failedRequestHandler() {
      errors++;
    },
  },
  config,
);
const urls = Array.from({ length: pages }, (_, i) => `${origin}/forum?page=${i + 1}`);
const started = performance.now();
await crawler.run(urls);
const ms = performance.now() - started;
console.log(JSON.stringify({ pages: pagesDone, posts, ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000), errors }));
