import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import type { SelectorSpec } from '../core/types.js';
import { parseConfig, resolveTarget } from '../core/config.js';
import {
  buildPost,
  compileStreamSpec,
  extractListing,
  extractStream,
  normaliseText,
  parseCount,
  parsePageTime,
  parseRating,
  splitSelector,
  type Listing,
} from '../crawlers/index.js';
import { forumPage } from '../bench/crawl-site.js';

const PAGE_URL = 'https://bbs.example.cn/forum/acme?page=1';

const LISTING = `<!doctype html>
<html><head><meta charset="utf-8"><title>Acme 论坛</title>
<script>document.write('<div class="post"><div class="content">注入</div></div>')</script></head>
<body>
  <div class="post" data-id="t-101">
    <span class="user"> 小王 </span>
    <time datetime="2026-10-03 14:20">昨天</time>
    <div class="content">
      <p>门店的服务   很好，</p>
      <p>但是 <b>APP</b> 下单&amp;支付总是失败。</p>
      <style>.x{color:red}</style>
    </div>
    <a class="permalink" href="/t/101?utm_source=feed#reply">#</a>
    <span class="rating">★★★★☆</span><span class="likes">1.2万</span><span class="replies">回复 3,400</span>
  </div>
  <div class="post" data-id="t-102">
    <span class="user">Lee</span>
    <time title="2026-10-02T09:00:00+08:00">3 days ago</time>
    <div class="content">Great store, slow delivery.<br>Would buy again.</div>
    <a class="permalink" href="https://bbs.example.cn/t/102">#</a>
    <span class="rating">4.5/5</span><span class="likes">12k</span><span class="replies">暂无</span>
  </div>
  <a class="next" href="?page=2">下一页</a>
</body></html>`;

const SPEC = {
  item: '.post',
  text: '.content',
  id: '@data-id',
  author: '.user',
  time: 'time',
  link: 'a.permalink',
  rating: '.rating',
  likes: '.likes',
  replies: '.replies',
  nextPage: 'a.next',
};

describe('extractListing', () => {
  it('extracts every field of a listing page', () => {
    const { items, nextUrl } = extractListing(LISTING, PAGE_URL, SPEC, 'Asia/Shanghai');
    expect(nextUrl).toBe('https://bbs.example.cn/forum/acme?page=2');
    expect(items).toEqual([
      {
        text: '门店的服务 很好，\n但是 APP 下单&支付总是失败。',
        externalId: 't-101',
        author: '小王',
        publishedAt: '2026-10-03T06:20:00.000Z', // 14:20 in Shanghai (UTC+8)
        url: 'https://bbs.example.cn/t/101?utm_source=feed#reply',
        rating: 4,
        likes: 12000,
        replies: 3400,
      },
      {
        text: 'Great store, slow delivery.\nWould buy again.',
        externalId: 't-102',
        author: 'Lee',
        publishedAt: '2026-10-02T01:00:00.000Z', // from the title tooltip: the text is relative
        url: 'https://bbs.example.cn/t/102',
        rating: 4.5,
        likes: 12000,
      },
    ]);
  });

  it('tolerates malformed HTML (unclosed tags, stray end tags)', () => {
    const broken = `<body><div class="post"><div class="content"><p>第一条<b>没有闭合
      <div class="post"><div class="content">第二条</span></i> 也能读
      <div class="post"><div class="content"><p>第三条<p>两段`;
    const { items, nextUrl } = extractListing(broken, PAGE_URL, { item: '.post', text: '> .content' }, 'Asia/Shanghai');
    expect(nextUrl).toBeNull();
    // Unclosed posts nest inside each other; `> .content` keeps each post's own content element,
    // whose text includes the nested ones as a browser would render it.
    expect(items.map((i) => i.text)).toEqual([
      '第一条没有闭合\n第二条 也能读\n第三条\n两段',
      '第二条 也能读\n第三条\n两段',
      '第三条\n两段',
    ]);
  });

  it('reads unix times, @attr on the item, <base href> and a missing next link', () => {
    const html = `<html><head><base href="https://m.example.cn/app/"></head><body>
      <li class="r" data-ts="1791015600" data-uid="u9"><span class="t">好评</span><a href="r/9">link</a></li></body></html>`;
    const { items, nextUrl } = extractListing(
      html,
      'https://example.cn/reviews',
      { item: 'li.r', text: '.t', time: '@data-ts', timeFormat: 'unix', author: '@data-uid', link: 'a', nextPage: 'a.next' },
      'Asia/Shanghai',
    );
    expect(nextUrl).toBeNull();
    expect(items).toEqual([{ text: '好评', author: 'u9', publishedAt: '2026-10-03T08:20:00.000Z', url: 'https://m.example.cn/app/r/9' }]);
  });

  it('never returns javascript: links', () => {
    const html = '<div class="p"><span class="t">x</span><a href="javascript:alert(1)">a</a></div><a class="next" href="javascript:void(0)">n</a>';
    const { items, nextUrl } = extractListing(html, PAGE_URL, { item: '.p', text: '.t', link: 'a', nextPage: 'a.next' }, 'UTC');
    expect(items[0]!.url).toBeUndefined();
    expect(nextUrl).toBeNull();
  });

  it('turns a bad selector into an InputError naming the field', () => {
    expect(() => extractListing('<p>x</p>', PAGE_URL, { item: 'div[', text: 'p' }, 'UTC')).toThrow(InputError);
    expect(() => extractListing('<p>x</p>', PAGE_URL, { item: 'div[', text: 'p' }, 'UTC')).toThrow(/^selectors\.item: invalid CSS selector "div\["/);
  });
});

describe('value parsers', () => {
  it.each([
    ['1.2万', 12000],
    ['3,400', 3400],
    ['12k', 12000],
    ['2.5W', 25000],
    ['赞(35)', 35],
    ['1亿', 100000000],
    ['12 members', 12],
    ['暂无', undefined],
  ])('parseCount(%s) = %s', (text, n) => expect(parseCount(text)).toBe(n));

  it('parses ratings', () => {
    expect(parseRating('★★★☆☆')).toBe(3);
    expect(parseRating('评分：4分')).toBe(4);
    expect(parseRating('4.5/5')).toBe(4.5);
  });

  it('parses page times in the target zone', () => {
    expect(parsePageTime('2026年10月3日 08:00', 'iso', 'Asia/Shanghai')).toBe('2026-10-03T00:00:00.000Z');
    expect(parsePageTime('2026-10-03T08:00:00Z', 'iso', 'Asia/Shanghai')).toBe('2026-10-03T08:00:00.000Z');
    expect(parsePageTime('1791015600000', 'unix_ms', 'UTC')).toBe('2026-10-03T08:20:00.000Z');
    expect(parsePageTime('1791015600', undefined, 'UTC')).toBe('2026-10-03T08:20:00.000Z');
    expect(parsePageTime('昨天', 'iso', 'UTC')).toBeUndefined();
  });

  it('reads a time past the label forums put around it (发表于, Posted on), only where the value does not parse as it stands', () => {
    const now = Date.parse('2026-11-01T12:00:00Z');
    const read = (v: string, format?: 'iso' | 'DD/MM/YYYY') => parsePageTime(v, format, 'Asia/Shanghai', now);
    expect(read('发表于 2026-10-05 12:30')).toBe('2026-10-05T04:30:00.000Z');
    expect(read('发布时间：2026年10月5日 12:30')).toBe('2026-10-05T04:30:00.000Z');
    expect(read('2026-10-05 12:30 发表')).toBe('2026-10-05T04:30:00.000Z');
    expect(read('Posted on 2026-10-05')).toBe('2026-10-04T16:00:00.000Z');
    expect(read('发表于 3小时前')).toBe('2026-11-01T09:00:00.000Z');
    // Nothing else is guessed: a label alone, words before the label, two times, or an explicit pattern.
    expect([read('发表于'), read('今天发表于 2026-10-05'), read('发表于 2026-10-05 12:30 编辑于 2026-10-06'), read('发表于 05/10/2026', 'DD/MM/YYYY')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('splits selectors with @attr', () => {
    expect(splitSelector('a.permalink@href')).toEqual({ css: 'a.permalink', attr: 'href' });
    expect(splitSelector('@data-id')).toEqual({ css: '', attr: 'data-id' });
    expect(splitSelector('a[href*="@"]')).toEqual({ css: 'a[href*="@"]' });
  });
});

describe('streaming extractor (no DOM)', () => {
  const FORUM = readFileSync(join(import.meta.dirname, 'fixtures/crawler/forum-topic-1.html'), 'utf8');
  const NOW = { nowMs: Date.parse('2026-10-05T00:00:00Z') };
  const cases: Array<[string, string, SelectorSpec]> = [
    ['a listing with every field', LISTING, SPEC],
    ['the bench forum page', forumPage(7, 3000), { item: '.post', text: '.content', id: '@data-id', author: '.user', time: 'time@datetime', link: 'a.permalink', likes: '.likes', replies: '.replies', nextPage: 'a.next' }],
    [
      'microdata with comma lists, [attr$=], meta content and a <link rel=next>',
      FORUM,
      {
        item: '[itemtype$="schema.org/DiscussionForumPosting"], [itemtype$="schema.org/Comment"]',
        text: '[itemprop="text"], [itemprop="articleBody"]',
        id: '@id',
        author: '[itemprop="author"] [itemprop="name"], [itemprop="author"]',
        time: '[itemprop="datePublished"]',
        likes: '[itemprop="interactionStatistic"] [itemprop="userInteractionCount"]',
        replies: '[itemprop="commentCount"]',
        nextPage: 'link[rel="next"], a[rel="next"]',
      },
    ],
    [
      'malformed HTML with nested items and a scoped child selector',
      `<body><div class="post"><div class="content"><p>第一条<b>没有闭合
        <div class="post"><div class="content">第二条</span></i> 也能读
        <div class="post"><div class="content"><p>第三条<p>两段`,
      { item: '.post', text: '> .content' },
    ],
    [
      'script, style, noscript and template inside the text; entities; <br>; <base href>',
      `<ul><li class="r" data-x="1"><span class="t">a<script>var x="<b>";</script> b<style>.x{}</style><br>c&amp;d</span><noscript><span class="t">ns</span></noscript>
        <meta itemprop="n" content="5"><time title="2026-10-02T09:00:00+08:00">3 days ago</time></li>
        <li class="r"><template><span class="t">hidden</span></template><span class="t">  x  \n y </span><a href="/r/2#top">l</a></li></ul><base href="https://m.example/app/">`,
      { item: 'li.r', text: '.t', likes: '[itemprop=n]', time: 'time', link: 'a', id: '@data-x' },
    ],
    [
      'character references in text and attribute values (named, numeric, legacy without ;, &nbsp;, escaped markup)',
      `<div class="post" data-id="a&amp;b&#x31;"><span class="u">Tom&nbsp;&amp;&nbsp;Jerry</span><time datetime="2026-10-02T09:00:00&#43;08:00"></time>
        <p class="c">价格&lt;script&gt;alert(1)&lt;/script&gt; &copy 2026 &#20013;&#x6587; a&ampb &notit; x&nbsp;&nbsp; y</p><a class="l" href="/p?a=1&amp;b=2&copy=3&lang=zh">#</a>
        <span class="k" title="&quot;5&quot;">赞&#32;12</span></div>`,
      { item: '.post', id: '@data-id', author: '.u', time: 'time', text: '.c', link: 'a.l', likes: '.k' },
    ],
    [
      'field selectors see only the item and what is inside it',
      '<body><div class="x"><div class="post"><p class="c">one <b>b</b></p><div class="c"><p class="c">nested</p></div></div></div></body>',
      { item: '.post', text: '.c', author: 'div .c', replies: '.x .c' },
    ],
  ];
  // The streaming path hands over text already in stored form (flagged `normalised`), so texts
  // are compared as stored; and the posts built from either path must be identical.
  const asStored = (listing: Listing) => ({
    nextUrl: listing.nextUrl,
    items: listing.items.map(({ normalised: _n, ...item }) => ({ ...item, text: normaliseText(item.text) })),
  });
  it.each(cases)('gives the same items as the cheerio path: %s', (_name, html, spec) => {
    const compiled = compileStreamSpec(spec);
    expect(compiled).not.toBeNull();
    const viaDom = extractListing(html, PAGE_URL, spec, 'Asia/Shanghai', NOW);
    const viaStream = extractStream(html, PAGE_URL, compiled!, 'Asia/Shanghai', NOW);
    expect(viaDom.items.length).toBeGreaterThan(0);
    expect(viaStream.items.every((i) => i.normalised)).toBe(true);
    expect(asStored(viaStream)).toEqual(asStored(viaDom));
    const target = resolveTarget({ id: 't', brand: 'acme', url: PAGE_URL, selectors: spec }, parseConfig({ brands: [{ id: 'acme', name: 'Acme' }] }));
    const build = (l: Listing) => l.items.map((i) => buildPost(i, { target, pageUrl: PAGE_URL, collectedAt: '2026-10-05T00:00:00.000Z', authorSecret: 's' }));
    expect(build(viaStream)).toEqual(build(viaDom));
  });

  it('leaves selectors outside its subset to the cheerio path', () => {
    expect(compileStreamSpec({ item: 'li:first-child', text: 'p' })).toBeNull();
    expect(compileStreamSpec({ item: 'li', text: 'h2 + p' })).toBeNull();
    expect(compileStreamSpec({ item: 'li', text: 'p', nextPage: 'a:contains("下一页")' })).toBeNull();
    expect(compileStreamSpec({ item: 'div[', text: 'p' })).toBeNull(); // and cheerio names the bad field
  });
});
