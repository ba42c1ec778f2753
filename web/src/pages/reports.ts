/**
 * Reports: render one now (analysts), list them, view the HTML in a sandboxed frame, download.
 */
import { get, post } from '../api.js';
import { field, fmtTime, h, select } from '../dom.js';
import { currentLang, t } from '../i18n.js';
import type { PageContext } from '../main.js';

interface ReportSummary {
  id: string;
  brand: string;
  period: string;
  locale: string;
  createdAt: string;
  postCount: number;
  formats: string[];
}

export async function renderReports(ctx: PageContext): Promise<void> {
  const m = t();
  const { reports } = await get<{ reports: ReportSummary[] }>('/api/reports');
  const viewer = h('section', { class: 'card report-view', 'aria-live': 'polite', hidden: true });
  const file = (r: ReportSummary, format: string) => `/api/reports/${encodeURIComponent(r.id)}/${format}`;

  const list = h(
    'section',
    { class: 'card', 'aria-labelledby': 'reports-h' },
    h('h1', { id: 'reports-h' }, m.reportsTitle),
    reports.length === 0
      ? h('p', {}, m.noReports)
      : h(
          'table',
          {},
          h('thead', {}, h('tr', {}, [m.brand, m.period, m.reportLang, m.posts, m.createdAt, ''].map((c) => h('th', { scope: 'col' }, c)))),
          h(
            'tbody',
            {},
            reports.map((r) =>
              h(
                'tr',
                { 'data-report': r.id },
                h('td', {}, r.brand),
                h('td', {}, r.period),
                h('td', {}, r.locale),
                h('td', {}, r.postCount),
                h('td', {}, fmtTime(r.createdAt, ctx.meta.timeZone)),
                h(
                  'td',
                  { class: 'actions' },
                  r.formats.includes('html') ? h('button', { type: 'button', class: 'link', onclick: () => show(r) }, m.view) : null,
                  r.formats.includes('pdf') ? h('a', { href: file(r, 'pdf'), download: '', class: 'download-pdf' }, m.downloadPdf) : null,
                  r.formats.includes('html') ? h('a', { href: `${file(r, 'html')}?download=true`, download: '' }, m.downloadHtml) : null,
                  // From the report's breakpoint figures to the posts behind them (analysts).
                  ctx.me.role !== 'viewer' && /^\d{4}-\d{2}$/.test(r.period) ? h('a', { href: `#/posts?brand=${encodeURIComponent(r.brand)}&period=${r.period}&breakpoint=any` }, m.breakpointPosts) : null,
                ),
              ),
            ),
          ),
        ),
  );

  function show(r: ReportSummary): void {
    viewer.hidden = false;
    viewer.replaceChildren(h('h2', {}, `${r.brand} · ${r.period}`), h('iframe', { src: file(r, 'html'), title: `${r.brand} ${r.period}`, sandbox: '', class: 'report-frame' }));
  }

  const parts: HTMLElement[] = [];
  if (ctx.me.role !== 'viewer') {
    const brand = select('brand', ctx.meta.brands.map((b) => [b.id, b.name]));
    const now = new Date();
    const lastMonth = new Date(now.getFullYear(), now.getMonth() - 1, 1);
    const period = h('input', { name: 'period', type: 'month', required: true, value: `${lastMonth.getFullYear()}-${String(lastMonth.getMonth() + 1).padStart(2, '0')}` });
    const locale = select('locale', [['zh-CN', '中文'], ['en', 'English']], currentLang());
    const status = h('p', { role: 'status' });
    const form = h('form', { class: 'card' }, h('h2', {}, m.renderReport), h('div', { class: 'grid' }, field(m.brand, brand), field(m.period, period), field(m.reportLang, locale)), h('button', { type: 'submit' }, m.renderReport), status);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      status.textContent = m.rendering;
      const button = form.querySelector('button')!;
      button.disabled = true;
      post('/api/reports', { brand: brand.value, period: period.value, locale: locale.value, formats: ['html', 'pdf'] }).then(
        () => ctx.go(`reports?rendered=${Date.now()}`),
        (err: Error) => {
          button.disabled = false;
          status.textContent = `${m.error}: ${err.message}`;
        },
      );
    });
    parts.push(form);
  }
  ctx.main.append(...parts, list, viewer);
}
