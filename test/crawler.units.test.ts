/**
 * The crawler's pure parts: SimHash, JSON paths, page times, the target schema, crawl state,
 * stats merging, and the snapshot / raw-page archive with its retention.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, resolveTarget } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { decodeUtf8 } from '../crawlers/charset.js';
import { collapseWhitespace } from '../crawlers/extract-stream.js';
import { BitSlicedCounter } from '../crawlers/simhash.js';
import {
  createCrawlContext,
  createPageArchive,
  effectiveTarget,
  hostPolicy,
  emptyTargetStats,
  getPath,
  hammingDistance,
  mergeStats,
  NearDuplicateIndex,
  nextFromLinkHeader,
  parsePageTime,
  readMapped,
  readProgress,
  recordError,
  sameState,
  simhash,
  userAgentFor,
  writeProgress,
} from '../crawlers/index.js';

describe('simhash', () => {
  const original = '官网说有货，门店说没货，客服让我去找门店，门店又让我打客服电话，来回折腾了三天还是没买到，体验非常差。';
  const repost = `转发：${original}！！`;
  const unrelated = '这家店的咖啡很好喝，环境也不错，服务员态度很好，下次还会再来，推荐大家试试他们的拿铁和蛋糕。';
  const english = 'The delivery was late again and customer service kept sending me back to the store, which told me to call the hotline.';

  it('puts reposts within a few bits and unrelated posts far apart', () => {
    expect(hammingDistance(simhash(original)!, simhash(repost)!)).toBeLessThanOrEqual(5);
    expect(hammingDistance(simhash(english)!, simhash(`${english} Reposting this!!!`)!)).toBeLessThanOrEqual(8);
    expect(hammingDistance(simhash(original)!, simhash(unrelated)!)).toBeGreaterThan(16);
    expect(simhash(original)).toBe(simhash(original)); // stable
    // Fingerprints are stored and compared across crawls and versions: pinned.
    expect(simhash('上周在官网下单了一台空气净化器，客服回复很快，门店也能退换。')).toBe('836ea5801496eb29');
    expect(simhash(original.replace(/，/g, ','))).toBe(simhash(original)); // punctuation is not a feature
    expect(simhash('好评')).toBeUndefined(); // too short to compare
  });

  it('finds the earliest original among near matches, never a copy or the post itself', () => {
    const index = new NearDuplicateIndex();
    const at = (d: number) => `2026-10-0${d}T00:00:00.000Z`;
    index.add({ id: 'b', simhash: simhash(repost)!, publishedAt: at(2), nearDuplicateOf: 'a' });
    index.add({ id: 'a', simhash: simhash(original)!, publishedAt: at(1) });
    index.add({ id: 'c', simhash: simhash(unrelated)!, publishedAt: at(3) });
    expect(index.findOriginal({ id: 'd', simhash: simhash(`${original}。`)!, publishedAt: at(4) })).toBe('a');
    expect(index.findOriginal({ id: 'a', simhash: simhash(original)!, publishedAt: at(1) })).toBeUndefined();
    expect(index.findOriginal({ id: 'e', simhash: simhash(english)!, publishedAt: at(5) })).toBeUndefined();
  });

  it('evicts the oldest entries beyond its capacity', () => {
    const index = new NearDuplicateIndex(5, 2);
    index.add({ id: '1', simhash: simhash(original)!, publishedAt: '1' });
    index.add({ id: '2', simhash: simhash(unrelated)!, publishedAt: '2' });
    index.add({ id: '3', simhash: simhash(english)!, publishedAt: '3' });
    expect(index.size).toBe(2);
    expect(index.findOriginal({ id: 'x', simhash: simhash(original)!, publishedAt: '4' })).toBeUndefined();
  });
});

describe('UTF-8 decoding', () => {
  const standard = new TextDecoder('utf-8');
  const same = (bytes: Buffer) => expect(decodeUtf8(bytes)).toBe(standard.decode(bytes));

  it('gives exactly what TextDecoder gives: ASCII, Chinese, emoji, a BOM, invalid and cut-off bytes', () => {
    expect(decodeUtf8(Buffer.from('<p>plain ascii</p>'))).toBe('<p>plain ascii</p>');
    expect(decodeUtf8(Buffer.from('\ufeff门店不认官网价格 😡'))).toBe('门店不认官网价格 😡');
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('a'); // BOM + ASCII
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]))).toBe('\ufeff'); // only the first BOM goes
    expect(decodeUtf8(Buffer.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(decodeUtf8(Buffer.alloc(0))).toBe('');
    for (const bytes of [
      Buffer.from('客服', 'utf8').subarray(0, 4), // cut mid-character
      Buffer.from([0xed, 0xa0, 0x80]), // an encoded surrogate (CESU-8): invalid in UTF-8
      Buffer.from([0xc0, 0xaf]), // overlong
      Buffer.from([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
      Buffer.from('Ünïcödé ½ ✓ 𠀀', 'utf8'),
      Buffer.from('a\u0000b\r\n', 'utf8'),
    ])
      same(bytes);
  });

  it('agrees with TextDecoder on 3,000 random byte strings, valid and not', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    const alphabet = [...'a<>/ 门店客服退款😀é\ufeff'];
    for (let n = 0; n < 3000; n++) {
      const len = next() % 40;
      let bytes: Buffer;
      if (n % 2 === 0) {
        // Valid text, sometimes with a byte flipped.
        let s = '';
        for (let i = 0; i < len; i++) s += alphabet[next() % alphabet.length];
        bytes = Buffer.from(s, 'utf8');
        if (n % 6 === 0 && bytes.length > 0) bytes[next() % bytes.length] = next() % 256;
      } else {
        bytes = Buffer.from(Array.from({ length: len }, () => next() % 256));
      }
      same(bytes);
    }
  });
});

describe('collapseWhitespace', () => {
  it('is replace(/\\s+/g, " ") on every kind of whitespace the regex knows', () => {
    const spaces = [' ', '  ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    const words = ['门店', 'a', 'ok', '\u200b', '\u180e', '\u0085']; // the last three are not \s
    let seed = 5;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    for (let n = 0; n < 5000; n++) {
      let s = '';
      for (let i = next() % 10; i > 0; i--) s += next() % 2 ? spaces[next() % spaces.length] : words[next() % words.length];
      expect(collapseWhitespace(s)).toBe(s.replace(/\s+/g, ' '));
    }
    expect(collapseWhitespace('a b c')).toBe('a b c');
    expect(collapseWhitespace('a\u3000 b')).toBe('a b');
  });
});

describe('BitSlicedCounter (SimHash votes)', () => {
  it('counts each bit position exactly like plain addition, for any number of words', () => {
    let seed = 17;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const counter = new BitSlicedCounter();
    for (const n of [0, 1, 7, 15, 16, 17, 31, 32, 33, 100, 257, 1000]) {
      counter.reset();
      const plain = new Array<number>(32).fill(0);
      for (let i = 0; i < n; i++) {
        // Dense and sparse words both, so that carries run long and short.
        const word = i % 3 === 0 ? next() & next() : i % 3 === 1 ? next() | next() : next();
        counter.add(word | 0);
        for (let b = 0; b < 32; b++) plain[b]! += (word >>> b) & 1;
      }
      counter.settle();
      const counted = plain.map((_, b) => counter.planes.reduce((sum, plane, k) => sum + (((plane >>> b) & 1) << k), 0));
      expect(counted).toEqual(plain);
    }
  });
});

describe('JSON mapping paths', () => {
  const doc = {
    data: { children: [{ data: { id: 'a', permalink: '/r/x/comments/a/' } }] },
    feed: { link: [{ attributes: { rel: 'self', href: 's' } }, { attributes: { rel: 'next', href: 'n' } }] },
    uri: 'at://did:plc:x/app.bsky.feed.post/3k2a',
    'im:rating': { label: '4' },
    empty: '',
  };
  it('reads paths, indexes, picks, Apple labels, templates and alternatives', () => {
    expect(getPath(doc, 'data.children[0].data.id')).toBe('a');
    expect(getPath(doc, 'feed.link[rel=next].attributes.href')).toBe('n');
    expect(getPath(doc, 'data.missing.deeper')).toBeUndefined();
    expect(getPath(doc, '')).toBe(doc);
    expect(readMapped(doc, 'im:rating')).toBe('4');
    expect(readMapped(doc, 'https://www.reddit.com{data.children[0].data.permalink}')).toBe('https://www.reddit.com/r/x/comments/a/');
    expect(readMapped(doc, 'https://bsky.app/post/{uri|last}')).toBe('https://bsky.app/post/3k2a');
    expect(readMapped(doc, 'x/{nothing}')).toBeUndefined(); // no half-filled URLs
    expect(readMapped(doc, 'empty || uri')).toBe(doc.uri);
    expect(() => readMapped(doc, '{uri|shout}', 'json.url')).toThrow('json.url: unknown filter "|shout"');
  });
  it('reads the next link of a Link header', () => {
    const link = '<https://m.example/api/v1/timelines/tag/x?max_id=9>; rel="next", <https://m.example/api/v1/timelines/tag/x?min_id=12>; rel="prev"';
    expect(nextFromLinkHeader(link, 'https://m.example/')).toBe('https://m.example/api/v1/timelines/tag/x?max_id=9');
    expect(nextFromLinkHeader('<https://m.example/?min_id=1>; rel="prev"', 'https://m.example/')).toBeNull();
  });
});

describe('page times', () => {
  const now = Date.parse('2026-10-03T06:00:00Z'); // 14:00 in Shanghai
  it('reads relative times against the crawl instant, in the target zone', () => {
    expect(parsePageTime('刚刚', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-03T06:00:00.000Z');
    expect(parsePageTime('3小时前', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-03T03:00:00.000Z');
    expect(parsePageTime('5 分钟前', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-03T05:55:00.000Z');
    expect(parsePageTime('2 days ago', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-01T06:00:00.000Z');
    expect(parsePageTime('an hour ago', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-03T05:00:00.000Z');
    expect(parsePageTime('昨天 21:30', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-02T13:30:00.000Z');
    expect(parsePageTime('前天', 'iso', 'Asia/Shanghai', now)).toBe('2026-09-30T16:00:00.000Z');
    expect(parsePageTime('10-02 09:15', 'iso', 'Asia/Shanghai', now)).toBe('2026-10-02T01:15:00.000Z');
    expect(parsePageTime('12月30日', 'iso', 'Asia/Shanghai', now)).toBe('2025-12-29T16:00:00.000Z'); // not in the future: last year
    expect(parsePageTime('3小时前', 'iso', 'Asia/Shanghai')).toBeUndefined(); // no instant, no guess
  });
  it('reads explicit patterns and RFC 822 dates', () => {
    expect(parsePageTime('03/10/2026 14:20', 'DD/MM/YYYY HH:mm', 'Asia/Shanghai')).toBe('2026-10-03T06:20:00.000Z');
    expect(parsePageTime('10.3.2026', 'M.D.YYYY', 'UTC')).toBe('2026-10-03T00:00:00.000Z');
    expect(parsePageTime('2026-10-03', 'DD/MM/YYYY', 'UTC')).toBeUndefined();
    expect(parsePageTime('Sat, 03 Oct 2026 08:00:00 EST', 'iso', 'UTC')).toBe('2026-10-03T13:00:00.000Z');
  });
});

describe('target schema', () => {
  const config = parseConfig({ brands: [{ id: 'acme', name: 'Acme' }], crawler: { requestsPerMinute: 30 } });
  const base = { id: 't', brand: 'acme', url: 'https://example.com/' };
  const problem = (input: Record<string, unknown>) => {
    try {
      resolveTarget(input as never, config, 'targets.0');
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
  };
  it('accepts each kind and fills defaults from the preset and the config', () => {
    const reddit = resolveTarget({ ...base, preset: 'reddit' } as never, config);
    expect(reddit).toMatchObject({ kind: 'json', preset: 'reddit' });
    // Request budgets: the target's own, else its preset's (Reddit: 10), else the config default (30).
    const ctx = createCrawlContext({ config, authorSecret: 's', dataDir: false });
    expect(hostPolicy(ctx, effectiveTarget(reddit), 0).intervalMs).toBe(6000);
    expect(hostPolicy(ctx, effectiveTarget({ ...reddit, requestsPerMinute: 120 }), 0).intervalMs).toBe(1000);
    const feed = resolveTarget({ ...base, kind: 'feed', delayMs: 0 } as never, config);
    expect(hostPolicy(ctx, effectiveTarget(feed), 0).intervalMs).toBe(2000);
    expect(hostPolicy(ctx, effectiveTarget(feed), 5000).intervalMs).toBe(5000); // robots.txt Crawl-delay wins
    void ctx.close();
    expect(resolveTarget({ ...base, kind: 'feed' } as never, config).kind).toBe('feed');
    expect(resolveTarget({ ...base, selectors: { item: 'li', text: 'p' } } as never, config).kind).toBe('html');
    expect(problem({ ...base, kind: 'browser', preset: 'forum' })).toBe('ok');
  });
  it('names the field and what is expected', () => {
    expect(problem({ ...base })).toBe('targets.0: selectors: expected CSS selectors with at least item and text (required for kind html; `voc targets suggest URL` or the console\'s Guess selectors button finds them on the page)');
    expect(problem({ ...base, kind: 'json' })).toBe('targets.0: json: expected a field mapping with at least items, id and text (required for kind json)');
    expect(problem({ ...base, kind: 'sitemap' })).toMatch(/^targets\.0: detail: expected detail\.post selectors/);
    expect(problem({ ...base, preset: 'reddit', kind: 'html' })).toBe('targets.0: kind: expected kind json (the kind of preset reddit); remove kind or set it to json');
    expect(problem({ ...base, preset: 'myspace' })).toMatch(/^targets\.0: preset: expected one of "mastodon", "mastodon-search", "bluesky", "reddit", "appstore", "forum"/);
    expect(problem({ ...base, selectors: { item: 'li', text: 'p' }, pagination: { type: 'template', url: '/list?p=1' } })).toBe(
      'targets.0: pagination.url: expected a URL with {page} where the page number goes (required for pagination type template)',
    );
    expect(problem({ ...base, selectors: { item: 'li', text: 'p', timeFormat: 'whenever' } })).toMatch(/^targets\.0: selectors\.timeFormat: expected iso, unix, unix_ms or a pattern/);
    expect(problem({ ...base, kind: 'sitemap', detail: { post: { text: 'p' } }, sitemap: { include: ['(['] } })).toBe(
      'targets.0: sitemap.include.0: expected a valid regular expression',
    );
    expect(problem({ ...base, selectors: { item: 'li', text: 'p' }, requestsPerMinute: 0 })).toMatch(/^targets\.0: requestsPerMinute: /);
  });
  it('puts the operator contact URL into the User-Agent', () => {
    expect(userAgentFor({ userAgent: 'voc/0.1 (+https://github.com/voc-project/voc)', contactUrl: 'https://acme.cn/bot' })).toBe('voc/0.1 (+https://acme.cn/bot)');
    expect(userAgentFor({ userAgent: 'voc/0.1', contactUrl: 'https://acme.cn/bot' })).toBe('voc/0.1 (+https://acme.cn/bot)');
    expect(() => parseConfig({ crawler: { contactUrl: 'mailto:x@y' } })).toThrow('crawler.contactUrl: expected an absolute http:// or https:// URL');
  });
});

describe('crawl state', () => {
  it('round-trips the crawler progress through a store CrawlState', () => {
    const progress = {
      watermark: '2026-10-03T06:20:00.000Z',
      watermarkId: '113',
      validators: { 'https://x/feed': { etag: '"v1"' } },
      pending: [{ url: 'https://x/list?page=3', role: 'listing' as const, depth: 0, pageNo: 3, chain: 'top' }],
      yields: [1, 2, 3, 4, 5, 6],
      lastCompletedAt: '2026-10-02T00:00:00.000Z',
    };
    const state = writeProgress('t', progress, '2026-10-03T07:00:00.000Z');
    expect(state.watermark).toBe(progress.watermark);
    expect(state.etags).toEqual(progress.validators);
    expect(readProgress(JSON.parse(JSON.stringify(state)))).toEqual({ ...progress, yields: [2, 3, 4, 5, 6] });
    expect(sameState(state, { ...writeProgress('t', progress, 'later') })).toBe(true);
    expect(sameState(state, writeProgress('t', { ...progress, watermarkId: '114' }, 'later'))).toBe(false);
    expect(readProgress({ targetId: 't', updatedAt: 'x', crawler: '{broken' } as never)).toEqual({ validators: {}, pending: [], yields: [] });
  });
});

describe('stats', () => {
  it('merges per-target stats into run totals', () => {
    const a = emptyTargetStats('2026-10-03T01:00:00.000Z');
    const b = emptyTargetStats('2026-10-03T00:00:00.000Z');
    a.pages = 3;
    a.statuses = { '200': 3, '429': 1 };
    b.pages = 2;
    b.statuses = { '200': 2 };
    recordError(a, 'http_503', 'https://a/1', 'HTTP 503 from https://a/1');
    recordError(b, 'http_503', 'https://b/1', 'HTTP 503 from https://b/1');
    recordError(b, 'robots', 'https://b/private', 'refused');
    const total = mergeStats([a, b]);
    expect(total.pages).toBe(5);
    expect(total.statuses).toEqual({ '200': 5, '429': 1 });
    expect(total.startedAt).toBe('2026-10-03T00:00:00.000Z');
    expect(total.errors.map((g) => [g.cause, g.count, g.urls])).toEqual([
      ['http_503', 2, ['https://a/1', 'https://b/1']],
      ['robots', 1, ['https://b/private']],
    ]);
  });
});

describe('page archive', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  it('saves gzipped pages by target and day and prunes days past the retention', async () => {
    dir = mkdtempSync(join(tmpdir(), 'voc-archive-'));
    const archive = createPageArchive(dir, 30);
    const old = await archive.save('acme-forum', 'https://x/1', '<p>old</p>', new Date('2026-08-01T10:00:00Z'));
    const recent = await archive.save('acme-forum', 'https://x/2', '<p>new</p>', new Date('2026-10-01T10:00:00Z'));
    expect(old).toMatch(/acme-forum\/2026-08-01\/100000-[0-9a-f]{12}\.html\.gz$/);
    expect(await archive.prune(new Date('2026-10-03T00:00:00Z'))).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(join(dir, 'acme-forum'))).toEqual(['2026-10-01']);
  });
});
