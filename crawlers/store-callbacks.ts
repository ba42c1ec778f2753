/**
 * The store side of incremental crawling in one line: which post ids are stored already, the
 * target's crawl state (load and save) and recent fingerprints for near-duplicate marking.
 *
 * @example
 * const summary = await crawlTarget(ctx, target, {
 *   ...storeCallbacks(store, target.id),
 *   onPage: (page) => store.upsertPosts(page.posts),
 * });
 */
import type { Store } from '../store/store.js';
import type { CrawlTargetOptions } from './crawl-target.js';
import type { SimhashEntry } from './simhash.js';

/** How far back stored posts are loaded to mark reposts of them (days). */
const SIMHASH_SEED_DAYS = 30;

export function storeCallbacks(
  store: Store,
  targetId: string,
  options: { brand?: string; now?: () => Date } = {},
): Pick<CrawlTargetOptions, 'knownIds' | 'state' | 'onState' | 'seedSimhashes'> {
  return {
    knownIds: async (ids) => new Set((await store.getPosts(ids)).map((p) => p.id)),
    state: () => store.getCrawlState(targetId),
    onState: (state) => store.saveCrawlState(state),
    ...(options.brand
      ? {
          seedSimhashes: async (): Promise<SimhashEntry[]> => {
            const now = (options.now ?? (() => new Date()))();
            const from = new Date(now.getTime() - SIMHASH_SEED_DAYS * 86_400_000).toISOString();
            const posts = await store.queryPosts({ brand: options.brand!, from });
            return posts.flatMap((p) =>
              p.simhash
                ? [{ id: p.id, simhash: p.simhash, publishedAt: p.publishedAt, ...(p.nearDuplicateOf ? { nearDuplicateOf: p.nearDuplicateOf } : {}) }]
                : [],
            );
          },
        }
      : {}),
  };
}
