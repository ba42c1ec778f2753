/**
 * The posts explorer: filters (kept in the URL, so a breakpoint count links to its posts), one
 * page of posts from the server with the evidence highlighted, paging and exports.
 */
import { get, query, type Classification, type Post } from '../api.js';
import { fmtTime, h, select } from '../dom.js';
import { highlight, highlightLabels, marksOf } from '../highlight.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';
import { field } from '../dom.js';
import { explainBox } from './explain-box.js';

const FILTERS = ['brand', 'period', 'from', 'to', 'source', 'targetId', 'channel', 'polarity', 'breakpoint', 'aspect', 'scenario', 'question', 'q'] as const;
const PAGE_SIZE = 20;

interface PostsPage {
  total: number;
  page: number;
  pageSize: number;
  items: Array<{ post: Post; classification: Classification | null }>;
}

export async function renderPosts(ctx: PageContext): Promise<void> {
  const m = t();
  const p = ctx.params;
  const current = Object.fromEntries(FILTERS.map((k) => [k, p.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const page = Math.max(1, Number(p.get('page') ?? '1') || 1);

  const controls = {
    brand: select('brand', [['', m.all], ...ctx.meta.brands.map((b) => [b.id, b.name] as [string, string])], current.brand),
    period: h('input', { name: 'period', type: 'month', value: current.period }),
    source: h('input', { name: 'source', value: current.source }),
    targetId: h('input', { name: 'targetId', value: current.targetId }),
    channel: select('channel', [['', m.all], ...ctx.meta.channels.map((c) => [c.id, ctx.channelLabel(c.id)] as [string, string])], current.channel),
    polarity: select('polarity', [['', m.all], ...Object.entries(m.polarities)], current.polarity),
    breakpoint: select('breakpoint', [['', m.all], ...Object.entries(m.breakpointKinds)], current.breakpoint),
    aspect: h('input', { name: 'aspect', value: current.aspect }),
    scenario: h('input', { name: 'scenario', value: current.scenario }),
    question: select('question', [['', m.all], ['true', m.questionYes], ['false', m.questionNo]], current.question),
    q: h('input', { name: 'q', type: 'search', value: current.q }),
  };
  const form = h(
    'form',
    { class: 'card filters', role: 'search' },
    h('h1', {}, m.postsTitle),
    h(
      'div',
      { class: 'grid' },
      field(m.brand, controls.brand),
      field(m.period, controls.period),
      field(m.channel, controls.channel),
      field(m.polarity, controls.polarity),
      field(m.breakpoint, controls.breakpoint),
      field(m.question, controls.question),
      field(m.source, controls.source),
      field(m.targets, controls.targetId),
      field(m.aspect, controls.aspect),
      field(m.scenario, controls.scenario),
      field(m.fullText, controls.q),
    ),
    h('button', { type: 'submit' }, m.search),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    for (const [k, el] of Object.entries(controls)) if (el.value) next[k] = el.value;
    ctx.go(`posts${query(next)}`);
  });

  const filter = Object.fromEntries(Object.entries(current).filter(([, v]) => v));
  const [data, ...counts] = await Promise.all([
    get<PostsPage>(`/api/posts${query({ ...filter, page, pageSize: PAGE_SIZE })}`),
    ...ctx.meta.breakpointKinds.map((kind) => get<PostsPage>(`/api/posts${query({ ...filter, breakpoint: kind, page: 1, pageSize: 1 })}`).then((r) => r.total)),
  ]);

  const countLinks = h(
    'p',
    { class: 'bp-counts' },
    `${m.breakpointCounts}: `,
    ctx.meta.breakpointKinds.map((kind, i) => [h('a', { href: `#/posts${query({ ...filter, breakpoint: kind })}`, 'data-kind': kind }, `${m.breakpointKinds[kind] ?? kind} ${counts[i]}`), ' · ']).flat().slice(0, -1),
  );
  const legend = h('p', { class: 'legend' }, m.legend, ' ', h('mark', { class: 'hl-ch' }, m.legendChannel), ' ', h('mark', { class: 'hl-pos' }, m.legendDescPos), ' ', h('mark', { class: 'hl-neg' }, m.legendDescNeg), ' ', h('mark', { class: 'hl-open' }, m.legendOpenWord), ' ', h('mark', { class: 'hl-bp' }, m.legendBreakpoint));
  const exports = h(
    'p',
    { class: 'exports' },
    h('a', { href: `/api/posts/export${query({ ...filter, format: 'csv' })}`, download: 'voc-posts.csv' }, m.exportCsv),
    ' · ',
    h('a', { href: `/api/posts/export${query({ ...filter, format: 'jsonl' })}`, download: 'voc-posts.jsonl' }, m.exportJsonl),
  );

  const labels = highlightLabels(ctx.channelLabel);
  const list = h(
    'ol',
    { class: 'posts' },
    data.items.map(({ post, classification: c }) =>
      h(
        'li',
        { class: 'post', 'data-post': post.id },
        c ? highlight(post.text, marksOf(c, labels)) : h('p', { class: 'post-text' }, post.text),
        h(
          'p',
          { class: 'meta' },
          `${fmtTime(post.publishedAt, ctx.meta.timeZone)} (${ctx.meta.timeZone}) · ${post.source} · `,
          c ? `${m.sentiment}: ${m.polarities[c.sentiment.label] ?? c.sentiment.label}` : '',
          c && c.breakpoints.length ? [' · ', h('strong', {}, c.breakpoints.map((b) => `${labels.breakpoint(b.kind)} (${b.channels.map(ctx.channelLabel).join(' ↔ ')})`).join('; '))] : '',
          ' · ',
          h('a', { href: post.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, m.openSource),
        ),
      ),
    ),
  );
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  const link = (n: number, text: string) => h('a', { href: `#/posts${query({ ...filter, page: n })}`, rel: n < page ? 'prev' : 'next' }, text);
  const pager = h('nav', { class: 'pager', 'aria-label': m.pageOf(page, pages) }, page > 1 ? link(page - 1, m.prev) : null, h('span', {}, m.pageOf(page, pages)), page < pages ? link(page + 1, m.next) : null);

  ctx.main.append(form, explainBox(ctx), h('section', { class: 'card', 'aria-label': m.results(data.total) }, h('p', { class: 'total' }, m.results(data.total)), countLinks, legend, exports, data.items.length ? list : h('p', {}, m.noPosts), pager));
}
