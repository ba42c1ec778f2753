/**
 * Guessing a listing page's selectors (crawlers/selector-guess.ts) on pages of known shape: a
 * Discuz-style board, an English review list, a Discourse topic (2 posts); pages without posts;
 * hostile input. Each guess is checked by extracting with it: the posts come out whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractListing } from '../crawlers/extract-html.js';
import { guessSelectors } from '../crawlers/selector-guess.js';
import { selectorsOption } from '../cli/targets-suggest.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'crawler', name), 'utf8');
const NOW = Date.parse('2026-11-01T00:00:00Z');

describe('guessSelectors', () => {
  it('a Discuz-style board: posts by their container, the body without the byline, the labelled time (发表于 …)', () => {
    const html = fixture('guess-discuz.html');
    const guess = guessSelectors(html, { nowMs: NOW });
    expect(guess).toEqual({ spec: { item: '#postlist > div', text: 'td.t_f', id: '@id', time: 'div.pi', author: 'div.authi', nextPage: 'a.nxt@href' }, items: 3 });
    const listing = extractListing(html, 'https://bbs.example.com/t/1?page=2', guess!.spec, 'Asia/Shanghai');
    expect(listing.items.map((i) => [i.externalId, i.author, i.publishedAt, i.text])).toEqual([
      ['post_101', '车友甲', '2026-10-05T04:30:00.000Z', '在官网预约了试驾，到了4S店前台说没有记录，又重新登记了一遍。'],
      ['post_102', '车友乙', '2026-10-05T05:10:00.000Z', '同样遇到过，客服说找门店，门店说找客服，来回踢皮球。'],
      ['post_103', '车友丙', '2026-10-06T00:00:00.000Z', '我的体验还不错，销售顾问很专业，交车也准时。'],
    ]);
    expect(listing.nextUrl).toBe('https://bbs.example.com/t/1?page=3');
  });

  it('an English review list: per-item classes (odd, even) ignored, the date parsed, rel=next followed; nav and footer are no posts', () => {
    const html = fixture('guess-reviews.html');
    const guess = guessSelectors(html, { nowMs: NOW });
    expect(guess).toEqual({
      spec: { item: 'li.review-item', text: 'div.review-text', id: '@data-review-id', time: 'span.review-date', author: 'span.user-name', nextPage: 'a[rel~="next"]@href' },
      items: 4,
    });
    const listing = extractListing(html, 'https://shop.example.com/reviews', guess!.spec, 'Asia/Shanghai');
    expect(listing.items.map((i) => [i.externalId, i.publishedAt, i.text.slice(0, 20)])).toEqual([
      ['r1', '2026-09-30T16:00:00.000Z', 'The app said in stoc'],
      ['r2', '2026-10-01T16:00:00.000Z', 'Fast delivery and fr'],
      ['r3', '2026-10-02T16:00:00.000Z', 'Hotline sent me to t'],
      ['r4', '2026-10-03T16:00:00.000Z', 'Returned online, ref'],
    ]);
    expect(listing.nextUrl).toBe('https://shop.example.com/reviews?page=2');
  });

  it('a Discourse topic with two posts: schema.org itemprop="text" names the body; <link rel=next> the next page', () => {
    const html = fixture('forum-topic-1.html');
    const guess = guessSelectors(html, { nowMs: NOW });
    expect(guess).toEqual({
      spec: { item: 'div.topic-body', text: 'div[itemprop="text"]', id: '@id', time: 'time@datetime', author: 'span.creator', nextPage: 'link[rel~="next"]@href' },
      items: 2,
    });
    const items = extractListing(html, 'https://forum.example.com/t/1', guess!.spec, 'Asia/Shanghai').items;
    expect(items.map((i) => [i.externalId, i.publishedAt])).toEqual([
      ['post_1', '2026-10-03T06:20:00.000Z'],
      ['post_2', '2026-10-03T07:00:00.000Z'],
    ]);
  });

  it('offers no time a crawl could not read (a date inside a sentence)', () => {
    const html = `<div id="l">${[1, 2, 3].map((n) => `<div class="c"><p class="t">第${n}条评论，内容足够长，可以当作帖子正文。</p><span class="when">我在 2026-10-0${n} 买的</span></div>`).join('')}</div>`;
    expect(guessSelectors(html, { nowMs: NOW })?.spec).toEqual({ item: 'div.c', text: 'p.t' });
  });

  it('finds nothing on pages without posts: a menu, one-word comments, empty or binary input', () => {
    const menu = `<body><ul class="menu">${['首页', '论坛', '搜索', '帮助', '登录'].map((w) => `<li><a href="/${w}">${w}</a></li>`).join('')}</ul><p>欢迎来到论坛，请先登录后再发帖。</p></body>`;
    expect(guessSelectors(menu)).toBeUndefined();
    expect(guessSelectors(`<div id="c">${'<div class="c">好</div>'.repeat(5)}</div>`)).toBeUndefined();
    expect(guessSelectors('')).toBeUndefined();
    expect(guessSelectors('\u0000\u0001\uFFFD\uD800 garbage \u00FF'.repeat(100))).toBeUndefined();
  });

  it('survives hostile nesting inside posts (20,000 levels) without overflowing the stack', () => {
    const deep = '<span>'.repeat(20_000) + '深处' + '</span>'.repeat(20_000);
    const html = `<div id="list">${[1, 2, 3].map((n) => `<div class="post"><p class="body">这是第${n}条足够长的评论内容，用来测试。</p>${deep}</div>`).join('')}</div>`;
    expect(guessSelectors(html)?.spec).toEqual({ item: 'div.post', text: 'p.body' });
  }, 30_000);
});

describe('selectorsOption', () => {
  it('writes the compact --selectors form, or JSON when a selector holds a comma', () => {
    expect(selectorsOption({ item: 'li.review-item', text: 'div.review-text', time: 'span.review-date', nextPage: 'a[rel~="next"]@href' })).toBe(
      'item=li.review-item,text=div.review-text,time=span.review-date,nextPage=a[rel~="next"]@href',
    );
    expect(selectorsOption({ item: 'li.r', text: 'p.a, p.b' })).toBe('{"item":"li.r","text":"p.a, p.b"}');
  });
});
