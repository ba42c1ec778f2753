import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { buildPost, canonicalUrl, contentHash, detectLang, hashAuthor, redactPersonalData } from '../crawlers/index.js';
import { testConfig, testTarget } from './crawler.server.js';

const config = testConfig();
const target = testTarget(config, { url: 'https://bbs.example.cn/forum/acme', allowPrivate: false });
const ctx = {
  target,
  pageUrl: 'https://bbs.example.cn/forum/acme?page=3&utm_medium=x',
  collectedAt: '2026-10-05T00:00:00.000Z',
  authorSecret: 'test-secret',
};

describe('buildPost', () => {
  it('builds a post with canonical id, HMAC author and content hash', () => {
    const post = buildPost(
      {
        text: '  物流很快\n\n  客服很好 ',
        author: ' 小王 ',
        url: 'HTTPS://BBS.Example.cn:443/t/101?utm_source=feed&spm=a.b&b=2&a=1#reply',
        publishedAt: '2026-10-03T06:20:00.000Z',
        likes: 12000,
        replies: 3,
        rating: 4,
      },
      ctx,
    );
    expect(post).toEqual({
      id: 'demo-forum:https://bbs.example.cn/t/101?a=1&b=2',
      source: 'demo-forum',
      externalId: 'https://bbs.example.cn/t/101?a=1&b=2',
      url: 'https://bbs.example.cn/t/101?a=1&b=2',
      text: '物流很快\n客服很好',
      lang: 'zh',
      publishedAt: '2026-10-03T06:20:00.000Z',
      collectedAt: '2026-10-05T00:00:00.000Z',
      engagement: { rating: 4, likes: 12000, replies: 3 },
      // sha256('物流很快 客服很好'), computed independently with Python's hashlib
      contentHash: '1842097e0de43e7c92d152bb8906495cbbcce63debbbdb074818159d30bacd94',
      targetId: 'acme-forum',
      brand: 'acme',
      // HMAC-SHA256(key 'test-secret', 'demo-forum:小王'), computed independently with Python's hmac
      authorHash: 'bdc314963142f47161dfc16860bcaf52e4e847b9582b1358de29c2339b5e0a3f',
    });
  });

  it('prefers the page id, falls back to the content hash, and to collectedAt for the time', () => {
    const withId = buildPost({ text: 'x', externalId: ' t-7 ' }, ctx)!;
    expect(withId.id).toBe('demo-forum:t-7');
    const bare = buildPost({ text: '售后服务太慢了' }, ctx)!;
    expect(bare.externalId).toBe('fa31c1bb67417f54f10895a6e2860626bffefa8fcf01dda498718333d785e79c');
    expect(bare.url).toBe('https://bbs.example.cn/forum/acme?page=3');
    expect(bare.publishedAt).toBe('2026-10-05T00:00:00.000Z');
    expect(bare.authorHash).toBeUndefined();
    expect(bare.engagement).toEqual({});
  });

  it('returns null for an empty text', () => {
    expect(buildPost({ text: ' \n\t ' }, ctx)).toBeNull();
  });

  it('stores redacted text', () => {
    const post = buildPost({ text: '客服 13812345678 不回，邮件 wang.li@example.com 也不回' }, ctx)!;
    expect(post.text).toBe('客服 [电话] 不回，邮件 [邮箱] 也不回');
  });

  it('keys the author hash by secret and source', () => {
    expect(hashAuthor('test-secret', 'demo-forum', '小王')).toBe('bdc314963142f47161dfc16860bcaf52e4e847b9582b1358de29c2339b5e0a3f');
    expect(hashAuthor('other-secret', 'demo-forum', '小王')).not.toBe(hashAuthor('test-secret', 'demo-forum', '小王'));
    expect(hashAuthor('test-secret', 'weibo', '小王')).not.toBe(hashAuthor('test-secret', 'demo-forum', '小王'));
  });

  it('treats re-wrapped text as the same content', () => {
    expect(contentHash('物流很快\n客服很好')).toBe(contentHash('物流很快   客服很好'));
  });

  it('hashes the stored text exactly as contentHash does, whatever whitespace the page had', () => {
    // buildPost hashes its own normalised text without the regex; this pins that shortcut to the
    // public definition on messy input: tabs, CR, no-break and ideographic spaces, blank lines,
    // redacted numbers next to spaces, decomposed characters (NFC).
    const pieces = ['物流', '很快', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2003', 'e\u0301', '13812345678', ' 138 1234 5678 ', 'ok', '\n\n'];
    let seed = 11;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = next() % 12; i >= 0; i--) text += pieces[next() % pieces.length];
      for (const normalised of [false, true]) {
        // The streaming extractor hands over text it already collapsed (single spaces, trimmed lines).
        const raw = normalised ? { text: text.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean).join('\n'), normalised } : { text };
        const post = buildPost(raw, ctx);
        if (post) expect(post.contentHash).toBe(contentHash(post.text));
      }
    }
  });
});

describe('redactPersonalData', () => {
  it.each([
    ['加我 13812345678 或 +86 139-1234-5678', '加我 [电话] 或 [电话]'],
    ['门店电话 010-62345678，深圳 (0755)83456789 转 12', '门店电话 [电话]，深圳 [电话] 转 12'],
    ['邮箱 Li.Wang+vip@mail.example.com.cn', '邮箱 [邮箱]'],
    ['身份证 11010519491231002X 和 440308199901011234', '身份证 [身份证] 和 [身份证]'],
    ['订单号 20261003123456789012，2026-10-03 下单，价格 13999 元', '订单号 20261003123456789012，2026-10-03 下单，价格 13999 元'],
  ])('%s', (input, expected) => {
    expect(redactPersonalData(input)).toBe(expected);
  });
});

describe('canonicalUrl', () => {
  it.each([
    ['HTTP://Bbs.Example.CN:80/t/1?b=2&utm_source=x&a=1#reply', 'http://bbs.example.cn/t/1?a=1&b=2'],
    ['https://shop.example.com:443/item?id=9&spm=a1z.2&from=share&utm_campaign=618', 'https://shop.example.com/item?id=9'],
    ['https://example.com:8443/p?z=1&a=2&a=1', 'https://example.com:8443/p?a=2&a=1&z=1'],
    ['https://user:pw@example.com/A/B?', 'https://example.com/A/B'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('rejects a non-URL with an InputError', () => {
    expect(() => canonicalUrl('/relative/only')).toThrow(InputError);
  });
});

describe('detectLang', () => {
  it.each([
    ['售后服务太慢了', 'zh'],
    ['iPhone 15 的电池很差', 'zh'],
    ['The app keeps crashing at checkout', 'en'],
    ['I love 小米 phones', 'en'],
    ['日本語のテキストです', 'other'],
    ['Очень плохой сервис', 'other'],
    ['12345 !!!', 'other'],
  ])('%s is %s', (text, lang) => {
    expect(detectLang(text)).toBe(lang);
  });
});
