/**
 * The one definition of what `upsertPosts` does, as a pure function: given the batch and what the
 * store already holds for those ids, decide the counts and the final document of each id to write.
 * Both stores run it, so an edge case (the same post twice in one batch, an edit of a post
 * inserted earlier in the batch) gives the same answer on SQLite and on MongoDB.
 */
import type { Post } from '../core/types.js';
import type { UpsertResult } from './store.js';

/** What the store holds for one post id, as far as an upsert cares. */
export interface StoredVersion {
  contentHash: string;
  collectedAt: string;
}

/** One row to write: `insert` for an id the store does not have, `update` to replace an existing one. */
export interface PlannedWrite {
  kind: 'insert' | 'update';
  post: Post;
}

export interface UpsertPlan extends UpsertResult {
  /** Final document per changed id, in the order of `changedIds`. */
  writes: PlannedWrite[];
}

/**
 * Walks the batch in order. A new id is inserted; a known id with another contentHash is an edit:
 * its fields are replaced, `collectedAt` stays the first one seen and `updatedAt` becomes the
 * `collectedAt` of the version carrying the new hash (when the edit was seen); a known id with
 * the same hash is unchanged and nothing is written. `inserted + updated + unchanged` always
 * equals `posts.length`.
 */
export function planUpsert(posts: Post[], stored: ReadonlyMap<string, StoredVersion>): UpsertPlan {
  const current = new Map(stored);
  const writes = new Map<string, PlannedWrite>();
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const post of posts) {
    const before = current.get(post.id);
    if (!before) {
      inserted++;
      current.set(post.id, { contentHash: post.contentHash, collectedAt: post.collectedAt });
      writes.set(post.id, { kind: 'insert', post });
    } else if (before.contentHash === post.contentHash) {
      unchanged++;
    } else {
      updated++;
      const edited: Post = { ...post, collectedAt: before.collectedAt, updatedAt: post.collectedAt };
      current.set(post.id, { contentHash: post.contentHash, collectedAt: before.collectedAt });
      // An id inserted earlier in this same batch is still an insert, just of its latest version.
      const kind = writes.get(post.id)?.kind ?? 'update';
      writes.set(post.id, { kind, post: edited });
    }
  }
  return { inserted, updated, unchanged, changedIds: [...writes.keys()], writes: [...writes.values()] };
}
