import { describe, expect, it } from 'vitest';
import { aggregateReport, type ReportItem } from '../reports/aggregate.js';
import { labelsFromTables, DEFAULT_CHANNEL_LABELS, DEFAULT_PROMISE_LABELS } from '../reports/labels.js';
import { renderEmailHtml, renderReportHtml } from '../reports/render-html.js';
import { buildViewModel, safeHref } from '../reports/view-model.js';
import { BRAND, CAMPAIGN, competitorItems, currentItems, item, previousItems, SEPTEMBER, spec } from './report.fixture.js';

const HOSTILE_TEXT = '<script>alert(1)</script>{{constructor}}</style><img src=x onerror=alert(2)>客服却说和官网不一致！';

const HOSTILE_SCENARIO = '周末<script>alert(7)</script>{{#each this}}x{{/each}}</style>价格也贵。';

/**
 * The fixture with p18 (the first quote of the top breakpoint and the evidence of a verdict)
 * and p14 (the quote of the weekend scenario) replaced by hostile content.
 */
function hostileItems(): ReportItem[] {
  return currentItems().map((i) =>
    i.post.externalId === 'p14'
      ? item({
          n: 'p14',
          at: i.post.publishedAt,
          url: 'javascript:alert(8)',
          text: HOSTILE_SCENARIO,
          sentiment: 'neg',
          channels: [['store', 'neg', '<script>']],
          aspects: [['price', 'neg', '价格']],
          scenarios: [['weekend', 'time', 'neg', '周末']],
        })
      : i.post.externalId !== 'p18'
      ? i
      : item({
          n: 'p18',
          at: i.post.publishedAt,
          likes: 12,
          url: 'javascript:alert(1)',
          text: HOSTILE_TEXT,
          sentiment: 'neg',
          channels: [
            ['website', 'neg', '官网'],
            ['customer_service', 'neg', '客服'],
          ],
          descriptors: [['不一致', 'transparency', 'neg', 'website']],
          breakpoints: [['customer_service', 'website', 'inconsistency', '不一致']],
        }),
  );
}

function viewModel() {
  const labels = labelsFromTables({
    channels: { ...DEFAULT_CHANNEL_LABELS, store: { 'zh-CN': '<svg onload=alert(3)>门店', en: 'Store' } },
    promises: DEFAULT_PROMISE_LABELS,
    aspects: { price: { 'zh-CN': '价格<iframe src=//evil.example>', en: 'Price' } },
  });
  const figures = aggregateReport({
    spec: spec(),
    brand: { ...BRAND, name: 'Acme <b onmouseover=alert(4)>' },
    items: hostileItems(),
    previousItems: previousItems(),
    previousRange: SEPTEMBER,
    campaigns: [{ ...CAMPAIGN, name: '{{constructor}}</style><script>alert(5)</script>' }],
    competitors: [{ id: 'globex', name: '<img src=x onerror=alert(6)>环球', tracked: true, ...competitorItems() }],
  });
  return buildViewModel(figures, { labels, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' });
}

function render(): string {
  return renderReportHtml(viewModel());
}

describe('hostile crawled text in the HTML report', () => {
  const html = render();

  it('the hostile post is quoted (so the test exercises the quote path)', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;{{constructor}}&lt;/style&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;客服却说和官网不一致！');
  });

  it('quotes the hostile scenario post, names the hostile campaign and competitor, all as text', () => {
    expect(html).toContain('周末&lt;script&gt;alert(7)&lt;/script&gt;{{#each this}}x{{/each}}&lt;/style&gt;价格也贵。');
    expect(html).toContain('{{constructor}}&lt;/style&gt;&lt;script&gt;alert(5)&lt;/script&gt;');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(6)&gt;环球');
    expect(html).toContain('价格&lt;iframe src&#x3D;//evil.example&gt;');
  });

  it('has no script, no injected element and a single </style>', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<b\s/i);
    expect(html).not.toMatch(/<svg onload/i);
    // Every real tag (text content has its `<` escaped): no event-handler attribute anywhere.
    const tags = html.match(/<[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(100);
    expect(tags.filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
    expect(html.match(/<\/style>/gi)).toHaveLength(1);
  });

  it('prints a javascript: URL as text and never as a link, in quotes and in the sources appendix', () => {
    expect(html).toContain('javascript:alert(1)');
    expect(html).toMatch(/<td class="url">javascript:alert\(8\)<\/td>/);
    const hrefs = [...html.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^(#[a-z0-9-]+|https:\/\/forum\.example\.com\/t\/p\d+)$/);
    expect(hrefs).not.toContain('javascript:alert(1)');
  });

  it('escapes hostile labels inside the generated SVG charts too', () => {
    expect(html).toContain('&lt;svg onload&#x3D;alert(3)&gt;门店');
    // ECharts escapes with its own entity set (and truncates long axis labels)
    expect(html).toMatch(/<text [^>]*>&lt;svg onload=a/);
  });
});

describe('hostile open words (adjectives and verbs beyond the lexicon)', () => {
  const HOSTILE_WORD = '<script>"x"</script>';
  const text = `门店真是${HOSTILE_WORD}"引号"<img src=x onerror=alert(9)>。`;

  function html(): string {
    const hostile = item({ n: 'p41', at: '2026-10-29T04:00:00.000Z', likes: 50, text, sentiment: 'neg', channels: [['store', 'neg', '门店']] });
    const start = text.indexOf(HOSTILE_WORD);
    const openWords = [
      { word: HOSTILE_WORD, pos: 'verb' as const, channel: 'store', negated: true, evidence: { start, end: start + HOSTILE_WORD.length, text: HOSTILE_WORD } },
    ];
    const figures = aggregateReport({
      spec: spec(),
      brand: BRAND,
      items: [...currentItems(), { ...hostile, classification: { ...hostile.classification, openWords } }],
      previousItems: previousItems(),
      previousRange: SEPTEMBER,
    });
    const labels = labelsFromTables({ channels: DEFAULT_CHANNEL_LABELS, promises: DEFAULT_PROMISE_LABELS, aspects: {} });
    return renderReportHtml(buildViewModel(figures, { labels, generatedAt: new Date('2026-11-02T01:30:00Z'), lexiconVersion: 'lex' }));
  }

  it('prints the word (negated) and its quote as text: <, > and " escaped, nothing injected', () => {
    const out = html();
    expect(out).toContain('<td class="strong negated">不·&lt;script&gt;&quot;x&quot;&lt;/script&gt;</td>');
    expect(out).toContain('门店真是&lt;script&gt;&quot;x&quot;&lt;/script&gt;&quot;引号&quot;&lt;img src&#x3D;x onerror&#x3D;alert(9)&gt;。');
    expect(out).not.toMatch(/<script|<img/i);
    expect((out.match(/<[^>]*>/g) ?? []).filter((tag) => /\son[a-z]+\s*=/i.test(tag))).toEqual([]);
  });
});

describe('hostile text in the e-mail body', () => {
  it('is escaped there too', () => {
    const email = renderEmailHtml(viewModel());
    expect(email).toContain('Acme &lt;b onmouseover&#x3D;alert(4)&gt;');
    expect(email).not.toMatch(/<script|<img|<b\s|<iframe/i);
    expect((email.match(/<[^>]*>/g) ?? []).filter((tag) => /\son[a-z]+\s*=|\b(href|src)\s*=/i.test(tag))).toEqual([]);
  });
});

describe('safeHref', () => {
  it('links http(s) only', () => {
    expect(safeHref('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeHref('http://a.example')).toBe('http://a.example/');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' JavaScript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
  });
});
