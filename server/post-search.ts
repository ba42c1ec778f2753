/**
 * The posts explorer's search: every filter (brand, period, source, target, full text, and the
 * classification fields: channel, polarity, breakpoint kind, aspect, scenario, question) is
 * matched on a compact in-memory index of all posts and their classifications. Reading 100k posts
 * and classifications from the store takes seconds, matching the index milliseconds, so the index
 * is built once (in the background when the server starts) and rebuilt only when the data may
 * have changed: a different post count, a newer or progressing run (crawls write posts and
 * classifications), or after `ttlMs` (classifications written outside a run, `voc classify`).
 * A page then reads only its own posts and classifications from the store.
 */
import { InputError } from '../core/errors.js';
import { resolvePeriod } from '../core/time.js';
import { BREAKPOINT_KINDS, type Classification, type Post } from '../core/types.js';
import type { PostQuery, Store } from '../store/store.js';

export interface PostFilter {
  brand?: string;
  /** `YYYY-MM`, in the config time zone. */
  period?: string;
  /** `YYYY-MM-DD`, inclusive, in the config time zone. */
  from?: string;
  to?: string;
  source?: string;
  targetId?: string;
  channel?: string;
  /** Sentiment of the post; with `channel`, the stance towards that channel. */
  polarity?: 'pos' | 'neg' | 'neutral' | 'mixed';
  /** A breakpoint kind, or `any`. */
  breakpoint?: string;
  aspect?: string;
  scenario?: string;
  /** `true`: questions only; `false`: no questions. */
  question?: boolean;
  /** Words that must all appear in the text (case-insensitive). */
  q?: string;
}

export interface PostHit {
  post: Post;
  classification: Classification | null;
}

/** What matching needs of one post and its classification. */
interface Entry {
  id: string;
  brand: string;
  targetId: string;
  publishedAt: string;
  source: string;
  text: string;
  c?: {
    channels: Array<[string, string]>;
    sentiment: string;
    breakpoints: string[];
    aspects: string[];
    scenarios: string[];
    question: boolean;
  };
}

/** Posts read from the store per call while building the index (bounds how long one call blocks). */
const BATCH = 2000;

/** The filter's indexed part, as a store query. */
function storeQuery(f: PostFilter, timeZone: string): PostQuery {
  const q: PostQuery = {};
  if (f.brand) q.brand = f.brand;
  if (f.targetId) q.targetId = f.targetId;
  if (f.period && (f.from || f.to)) throw new InputError({ en: 'period: give either period or from/to, not both', zh: 'period：period 与 from/to 只能二选一' });
  if (f.period || f.from || f.to) {
    const range = f.period ? resolvePeriod(timeZone, f.period) : resolvePeriod(timeZone, undefined, f.from ?? '1970-01-01', f.to ?? '2999-12-31');
    q.from = range.from;
    q.to = range.to;
  }
  return q;
}

export function checkFilter(f: PostFilter): void {
  if (f.breakpoint && f.breakpoint !== 'any' && !(BREAKPOINT_KINDS as readonly string[]).includes(f.breakpoint))
    throw new InputError({
      en: `breakpoint: expected any or one of ${BREAKPOINT_KINDS.join(', ')}, got "${f.breakpoint}"`,
      zh: `breakpoint：应为 any 或以下之一：${BREAKPOINT_KINDS.join('、')}，实际为“${f.breakpoint}”`,
    });
  if (f.polarity && !['pos', 'neg', 'neutral', 'mixed'].includes(f.polarity))
    throw new InputError({
      en: `polarity: expected pos, neg, neutral or mixed, got "${f.polarity}"`,
      zh: `polarity：应为 pos、neg、neutral 或 mixed，实际为“${f.polarity}”`,
    });
}

function summarise(c: Classification): NonNullable<Entry['c']> {
  return {
    channels: c.channels.map((m) => [m.channel, m.polarity]),
    sentiment: c.sentiment.label,
    breakpoints: c.breakpoints.map((b) => b.kind),
    aspects: c.aspects.map((a) => a.aspect),
    scenarios: c.scenarios.map((s) => s.scenario),
    question: c.question.isQuestion,
  };
}

function matcher(f: PostFilter, q: PostQuery): (e: Entry) => boolean {
  const words = (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const byClassification = Boolean(f.channel || f.polarity || f.breakpoint || f.aspect || f.scenario || f.question !== undefined);
  return (e) => {
    if (q.brand !== undefined && e.brand !== q.brand) return false;
    if (q.targetId !== undefined && e.targetId !== q.targetId) return false;
    if (q.from !== undefined && e.publishedAt < q.from) return false;
    if (q.to !== undefined && e.publishedAt >= q.to) return false;
    if (f.source && e.source !== f.source) return false;
    if (!words.every((w) => e.text.includes(w))) return false;
    if (!byClassification) return true;
    const c = e.c;
    if (!c) return false;
    if (f.channel) {
      const stances = c.channels.filter(([ch]) => ch === f.channel).map(([, p]) => p);
      if (stances.length === 0) return false;
      if (f.polarity === 'mixed' ? c.sentiment !== 'mixed' : f.polarity && !stances.includes(f.polarity)) return false;
    } else if (f.polarity && c.sentiment !== f.polarity) return false;
    if (f.breakpoint && (f.breakpoint === 'any' ? c.breakpoints.length === 0 : !c.breakpoints.includes(f.breakpoint))) return false;
    if (f.aspect && !c.aspects.includes(f.aspect)) return false;
    if (f.scenario && !c.scenarios.includes(f.scenario)) return false;
    if (f.question !== undefined && c.question !== f.question) return false;
    return true;
  };
}

/** Searches posts; one per server (it holds the index). */
export class PostSearch {
  private index: { fingerprint: string; builtAt: number; entries: Promise<Entry[]> } | undefined;

  constructor(
    private readonly store: Store,
    private readonly timeZone: string,
    private readonly opts: { ttlMs?: number } = {},
  ) {}

  /** Builds the index now (server start), so the first visitor does not wait for it. */
  warm(): void {
    this.entries().catch(() => undefined);
  }

  /** One page of the matches (newest first) and their total. */
  async page(f: PostFilter, page: number, pageSize: number): Promise<{ total: number; items: PostHit[] }> {
    const matches = await this.matches(f);
    const slice = matches.slice((page - 1) * pageSize, page * pageSize);
    return { total: matches.length, items: await this.hits(slice.map((e) => e.id)) };
  }

  /** Every match, newest first, in batches of full posts (for exports). */
  async *all(f: PostFilter): AsyncGenerator<PostHit[]> {
    const matches = await this.matches(f);
    for (let i = 0; i < matches.length; i += 1000) yield this.hits(matches.slice(i, i + 1000).map((e) => e.id));
  }

  private async matches(f: PostFilter): Promise<Entry[]> {
    checkFilter(f);
    const match = matcher(f, storeQuery(f, this.timeZone));
    return (await this.entries()).filter(match);
  }

  private async hits(ids: string[]): Promise<PostHit[]> {
    const [posts, classifications] = await Promise.all([this.store.getPosts(ids), this.store.getClassifications(ids)]);
    const byId = new Map(classifications.map((c) => [c.postId, c]));
    return posts.map((post) => ({ post, classification: byId.get(post.id) ?? null }));
  }

  /** All posts, newest first, with their classification summaries: cached while the fingerprint holds. */
  private async entries(): Promise<Entry[]> {
    const [count, [lastRun]] = await Promise.all([this.store.countPosts({}), this.store.listRuns(1)]);
    const fingerprint = `${count}|${lastRun ? `${lastRun.id}:${lastRun.status}:${lastRun.stats.pagesFetched}:${lastRun.stats.postsClassified}` : '-'}`;
    const current = this.index;
    if (current && current.fingerprint === fingerprint && Date.now() - current.builtAt < (this.opts.ttlMs ?? 60_000)) return current.entries;
    const entries = this.build();
    const next = { fingerprint, builtAt: Date.now(), entries };
    this.index = next;
    // A failed build is not kept: the next request tries again.
    entries.catch(() => {
      if (this.index === next) this.index = undefined;
    });
    return entries;
  }

  private async build(): Promise<Entry[]> {
    const ascending: Entry[] = [];
    for await (const posts of postsInTimeChunks(this.store)) {
      const byId = new Map((await this.store.getClassifications(posts.map((p) => p.id))).map((c) => [c.postId, summarise(c)]));
      for (const p of posts) {
        const c = byId.get(p.id);
        ascending.push({ id: p.id, brand: p.brand, targetId: p.targetId, publishedAt: p.publishedAt, source: p.source, text: p.text.toLowerCase(), ...(c ? { c } : {}) });
      }
      // The embedded store answers synchronously: let requests and event streams through between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return ascending.reverse();
  }
}

/** Instants bounding the time split; posts outside them are read in one query each (normally none). */
const EARLIEST = '1970-01-01T00:00:00.000Z';
const LATEST = '2200-01-01T00:00:00.000Z';

/**
 * Every post in (publishedAt, id) order, in chunks of at most about BATCH posts: a time range with
 * more posts than that is halved (counting is an index lookup), so no single store call reads
 * 100k rows and blocks the process for seconds.
 */
export async function* postsInTimeChunks(store: Store): AsyncGenerator<Post[]> {
  const before = await store.queryPosts({ to: EARLIEST });
  if (before.length) yield before;
  yield* range(store, EARLIEST, LATEST);
  const after = await store.queryPosts({ from: LATEST });
  if (after.length) yield after;
}

async function* range(store: Store, from: string, to: string): AsyncGenerator<Post[]> {
  const n = await store.countPosts({ from, to });
  if (n === 0) return;
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (n <= BATCH || b - a <= 1) {
    yield await store.queryPosts({ from, to });
    return;
  }
  const mid = new Date(Math.floor((a + b) / 2)).toISOString();
  yield* range(store, from, mid);
  yield* range(store, mid, to);
}
