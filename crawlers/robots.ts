/**
 * robots.txt policy (RFC 9309), one fetch per origin per policy instance (i.e. per run):
 *   2xx          -> the rules apply (robots-parser), with Crawl-delay for our product token
 *   4xx          -> no robots.txt: everything allowed
 *   5xx, network, timeout -> "unreachable": everything disallowed for this run (RFC 9309 §2.3.1.4,
 *                   a site in trouble must not be crawled as if it had no rules)
 * Concurrent checks of one origin share the same in-flight fetch. A long-lived worker re-reads
 * robots.txt after `ttlMs` (24 h, the RFC's upper bound for caching) and an unreachable one
 * after `unreachableTtlMs` (10 min), so a site that recovers is crawled again.
 */
import robotsParserModule from 'robots-parser';
import { RefusedUrlError, type Bilingual } from '../core/errors.js';
import { causeLabel } from './cause-labels.js';
import { FetchError } from './fetch-error.js';
import type { Fetcher } from './fetcher.js';

// robots-parser is CommonJS and its d.ts says `export default`; under NodeNext the default
// import is typed as the module object although at runtime it is the function itself.
const robotsParser = ((robotsParserModule as unknown as { default?: unknown }).default ??
  robotsParserModule) as unknown as typeof robotsParserModule.default;
type Robot = ReturnType<typeof robotsParser>;

export interface RobotsVerdict {
  allowed: boolean;
  /** Crawl-delay for our user agent (or `*`), ms. */
  crawlDelayMs?: number;
}

export interface RobotsPolicy {
  /** Whether `url` may be fetched; `allowPrivate` is used for the robots.txt fetch itself. */
  check(url: string, allowPrivate: boolean): Promise<RobotsVerdict>;
  /** Like `check`, but throws `RefusedUrlError` when disallowed. */
  assertAllowed(url: string, allowPrivate: boolean): Promise<RobotsVerdict>;
}

type OriginRules =
  | { kind: 'rules'; robot: Robot }
  | { kind: 'allow_all' }
  | { kind: 'disallow_all'; why: Bilingual };

/**
 * The robots.txt product token of a User-Agent string: `voc/0.1 (+https://...)` -> `voc`,
 * `Mozilla/5.0 (compatible; vocbot/1.0)` -> `vocbot`.
 */
export function productToken(userAgent: string): string {
  const compatible = /compatible;\s*([A-Za-z0-9_-]+)/i.exec(userAgent);
  const token = compatible ? compatible[1]! : (/^\s*([A-Za-z0-9_-]+)/.exec(userAgent)?.[1] ?? '*');
  return token.toLowerCase();
}

export interface RobotsPolicyOptions {
  /** How long fetched rules (or a 4xx allow-all) are reused (default 24 h). */
  ttlMs?: number;
  /** How long an unreachable robots.txt (5xx, network) keeps the site disallowed (default 10 min). */
  unreachableTtlMs?: number;
  now?: () => number;
}

/**
 * Creates a robots.txt policy that fetches with `fetcher` and matches rules for `userAgent`.
 * One instance per run (CLI) or per worker process (re-read after the TTLs).
 *
 * @example
 * const robots = createRobotsPolicy(fetcher, 'voc/0.1');
 * const { allowed, crawlDelayMs } = await robots.check('https://example.com/forum?page=2', false);
 */
export function createRobotsPolicy(fetcher: Fetcher, userAgent: string, options: RobotsPolicyOptions = {}): RobotsPolicy {
  const token = productToken(userAgent);
  const ttlMs = options.ttlMs ?? 24 * 3_600_000;
  const unreachableTtlMs = options.unreachableTtlMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const byOrigin = new Map<string, { rules: Promise<OriginRules>; expiresAt: number }>();

  function rulesFor(origin: string, allowPrivate: boolean): Promise<OriginRules> {
    const cached = byOrigin.get(origin);
    if (cached && now() < cached.expiresAt) return cached.rules;
    const entry = { rules: load(origin, allowPrivate), expiresAt: Infinity };
    byOrigin.set(origin, entry);
    entry.rules.then(
      (rules) => (entry.expiresAt = now() + (rules.kind === 'disallow_all' ? unreachableTtlMs : ttlMs)),
      // A refused robots.txt URL (e.g. private address) says nothing about the site: do not cache it.
      () => byOrigin.get(origin) === entry && byOrigin.delete(origin),
    );
    return entry.rules;
  }

  async function load(origin: string, allowPrivate: boolean): Promise<OriginRules> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const res = await fetcher.fetch(robotsUrl, { allowPrivate, headers: { accept: 'text/plain,*/*;q=0.5' } });
      return { kind: 'rules', robot: robotsParser(robotsUrl, res.body) };
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      if (err.cause === 'refused') {
        // The origin itself is refused: that verdict belongs to the page (rethrown by `check`).
        if (err.url === robotsUrl) throw err.original instanceof RefusedUrlError ? err.original : err;
        return { kind: 'disallow_all', why: { en: 'it redirects to a refused address', zh: '它重定向到被拒绝的地址' } };
      }
      if (err.cause === 'http' && err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429)
        return { kind: 'allow_all' };
      const why = err.status !== undefined ? `HTTP ${err.status}` : err.cause;
      return { kind: 'disallow_all', why: { en: why, zh: err.status !== undefined ? why : causeLabel(err.cause, 'zh-CN') } };
    }
  }

  async function check(url: string, allowPrivate: boolean): Promise<RobotsVerdict> {
    let rules: OriginRules;
    try {
      rules = await rulesFor(new URL(url).origin, allowPrivate);
    } catch (err) {
      // "refused http://host/robots.txt: <reason>" -> the same reason, about the page the user asked for.
      if (err instanceof RefusedUrlError) throw new RefusedUrlError(url, err.reason);
      throw err;
    }
    if (rules.kind === 'allow_all') return { allowed: true };
    if (rules.kind === 'disallow_all') return { allowed: false };
    const allowed = rules.robot.isAllowed(url, token) !== false;
    const delaySeconds = rules.robot.getCrawlDelay(token);
    return delaySeconds !== undefined && Number.isFinite(delaySeconds) && delaySeconds > 0
      ? { allowed, crawlDelayMs: Math.round(delaySeconds * 1000) }
      : { allowed };
  }

  return {
    check,
    async assertAllowed(url, allowPrivate) {
      const verdict = await check(url, allowPrivate);
      if (verdict.allowed) return verdict;
      const rules = await rulesFor(new URL(url).origin, allowPrivate);
      if (rules.kind === 'disallow_all')
        throw new RefusedUrlError(url, {
          en: `robots.txt could not be read (${rules.why.en}); RFC 9309 says to crawl nothing on the site until it can, so try again later`,
          zh: `无法读取 robots.txt（${rules.why.zh}）；按 RFC 9309，在能读取之前不抓取该站点的任何页面，请稍后再试`,
        });
      const line = rules.kind === 'rules' ? rules.robot.getMatchingLineNumber(url, token) : -1;
      throw new RefusedUrlError(url, {
        en: `disallowed by robots.txt (rule for ${token}${line > 0 ? `, line ${line}` : ''}); the site asks crawlers not to fetch this path, so choose another listing page or ask the site for permission`,
        zh: `robots.txt 禁止抓取（针对 ${token} 的规则${line > 0 ? `，第 ${line} 行` : ''}）；该站点要求爬虫不要抓取这个路径，请换一个列表页，或向站点申请许可`,
      });
    },
  };
}
