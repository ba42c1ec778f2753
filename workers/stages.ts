/**
 * The pure pipeline stages, shared by the in-process runner and the BullMQ processors so that
 * both paths store and classify exactly the same way. Each stage is idempotent: running it twice
 * (a retried or recovered job) writes nothing new.
 */
import type { Post, RunStats } from '../core/types.js';
import type { Store, UpsertResult } from '../store/store.js';
import type { Classifier } from '../analysis/index.js';

/** Stores the posts of one crawled page; returns what changed. */
export async function storePage(store: Store, posts: Post[]): Promise<UpsertResult> {
  if (posts.length === 0) return { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
  return store.upsertPosts(posts);
}

/** Classifies the given posts (those that still exist) and saves the results; returns how many. */
export async function classifyPosts(store: Store, classifier: Classifier, postIds: string[]): Promise<number> {
  if (postIds.length === 0) return 0;
  const posts = await store.getPosts(postIds);
  const results = posts.map((p) => classifier.classify(p));
  await store.saveClassifications(results);
  return results.length;
}

/**
 * Classifies every stored post that has no classification at the classifier's lexicon version
 * (new posts, or all posts after a lexicon change), in batches so memory stays flat.
 */
export async function classifyPending(
  store: Store,
  classifier: Classifier,
  opts: { brand?: string; batchSize?: number } = {},
): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  let total = 0;
  for (;;) {
    const ids = await store.listUnclassified(classifier.lexiconVersion, opts.brand, batchSize);
    if (ids.length === 0) return total;
    total += await classifyPosts(store, classifier, ids);
  }
}

export function addUpsert(stats: RunStats, r: UpsertResult): void {
  stats.postsNew += r.inserted;
  stats.postsUpdated += r.updated;
  stats.postsUnchanged += r.unchanged;
}
