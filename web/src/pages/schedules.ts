/**
 * Schedules: the installed crawl and report schedules, add one, remove one. They live in Redis;
 * without it the page says so.
 */
import { ApiError, del, get, post } from '../api.js';
import { field, fmtTime, h, select } from '../dom.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';

interface Schedule {
  kind: 'crawl' | 'report';
  id: string;
  pattern: string;
  tz: string;
  subject: string;
  nextAt?: string;
  origin: 'config' | 'cli' | 'console' | 'unknown';
}

/** Who made a schedule: `voc scheduler` (config file), `voc schedule add` (CLI) or this console. */
function scheduleOrigin(origin: Schedule['origin']): string {
  const m = t();
  return origin === 'config' ? m.originConfig : origin === 'cli' ? m.originCli : origin === 'console' ? m.originConsole : '—';
}

export async function renderSchedules(ctx: PageContext): Promise<void> {
  const m = t();
  ctx.main.append(h('h1', { class: 'page-title' }, m.schedulesTitle));
  let schedules: Schedule[];
  try {
    schedules = (await get<{ schedules: Schedule[] }>('/api/schedules')).schedules;
  } catch (err) {
    if (err instanceof ApiError && err.status === 503) return void ctx.main.append(h('p', { class: 'card notice', role: 'status' }, m.schedulesUnavailable));
    throw err;
  }
  const kind = select('kind', [['crawl', m.kindCrawl], ['report', m.kindReport]]);
  const id = h('input', { name: 'id', required: true, pattern: '[a-z0-9][a-z0-9_\\-]*' });
  const cron = h('input', { name: 'cron', required: true, value: '0 9 * * 1' });
  const tz = h('input', { name: 'tz', value: ctx.meta.timeZone });
  const brand = select('brand', ctx.meta.brands.map((b) => [b.id, b.name]));
  const period = select('period', [['last-month', m.lastMonth], ['last-week', m.lastWeek]]);
  const status = h('p', { role: 'status' });
  // Brand and period only mean something for a report schedule.
  const reportOnly = h('div', { class: 'grid span-all', hidden: true }, field(m.brand, brand), field(m.reportPeriod, period));
  kind.addEventListener('change', () => (reportOnly.hidden = kind.value !== 'report'));
  const form = h(
    'form',
    { class: 'card' },
    h('h2', {}, m.addSchedule),
    h('div', { class: 'grid' }, field(m.scheduleKind, kind), field(m.id, id), field(m.cron, cron, m.cronHint), field(m.timeZone, tz), reportOnly),
    h('button', { type: 'submit' }, m.save),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { kind: kind.value, id: id.value.trim(), cron: cron.value.trim(), tz: tz.value.trim(), ...(kind.value === 'report' ? { brand: brand.value, period: period.value } : {}) };
    post('/api/schedules', body).then(
      () => ctx.go(`schedules?saved=${Date.now()}`),
      (err: Error) => (status.textContent = `${m.error}: ${err.message}`),
    );
  });
  const table = schedules.length
    ? h(
        'table',
        {},
        h('thead', {}, h('tr', {}, [m.scheduleKind, m.id, m.cron, m.timeZone, m.subject, m.nextRun, m.origin, ''].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          schedules.map((s) =>
            h(
              'tr',
              {},
              h('td', {}, s.kind === 'crawl' ? m.kindCrawl : m.kindReport),
              h('td', {}, s.id),
              h('td', {}, h('code', {}, s.pattern)),
              h('td', {}, s.tz),
              h('td', {}, s.subject),
              h('td', {}, s.nextAt ? fmtTime(s.nextAt, s.tz) : '—'),
              h('td', { class: `origin origin-${s.origin}` }, scheduleOrigin(s.origin)),
              h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => void del(`/api/schedules/${s.kind}/${encodeURIComponent(s.id)}`).then(() => ctx.go(`schedules?removed=${Date.now()}`)) }, m.remove)),
            ),
          ),
        ),
      )
    : h('p', {}, m.noSchedules);
  ctx.main.append(form, h('section', { class: 'card' }, table));
}
