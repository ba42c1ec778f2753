/**
 * Crawl: choose targets, start an ad-hoc run and watch it (server-sent events), cancel it; the
 * recent runs below. A finished run links to its posts.
 */
import { get, post, type Run, type Target } from '../api.js';
import { clear, field, fmtTime, h } from '../dom.js';
import { currentLang, t } from '../i18n.js';
import type { PageContext } from '../main.js';

export async function renderCrawl(ctx: PageContext): Promise<void> {
  const m = t();
  const [{ targets }, { runs }] = await Promise.all([get<{ targets: Target[] }>('/api/targets'), get<{ runs: Run[] }>('/api/runs?limit=10')]);
  const boxes = targets.map((tg) => ({ id: tg.id, input: h('input', { type: 'checkbox', name: 'target', value: tg.id, id: `t-${tg.id}` }) }));
  const maxPages = h('input', { type: 'number', name: 'maxPages', min: 1, placeholder: '—' });
  const live = h('section', { class: 'card', 'aria-live': 'polite', 'aria-labelledby': 'progress-h' }, h('h2', { id: 'progress-h' }, m.progress));
  const status = h('p', { class: 'error', role: 'alert' });
  const recentBody = h('tbody');

  const form = h(
    'form',
    { class: 'card' },
    h('h1', {}, m.crawlTitle),
    h('fieldset', {}, h('legend', {}, m.chooseTargets), boxes.map((b) => h('div', { class: 'check' }, b.input, h('label', { for: `t-${b.id}` }, b.id)))),
    field(m.maxPages, maxPages),
    h('button', { type: 'submit' }, m.startCrawl),
    status,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    status.textContent = '';
    const chosen = boxes.filter((b) => b.input.checked).map((b) => b.id);
    if (chosen.length === 0) return void (status.textContent = m.chooseTargets);
    post<{ run: Run }>('/api/runs', { targets: chosen, ...(Number(maxPages.value) > 0 ? { maxPages: Number(maxPages.value) } : {}) }).then(
      ({ run }) => follow(run),
      (err: Error) => (status.textContent = `${m.error}: ${err.message}`),
    );
  });

  function stats(run: Run): HTMLElement {
    const s = run.stats;
    const row = (k: string, v: string | number) => [h('dt', {}, k), h('dd', { 'data-stat': k }, String(v))];
    return h('dl', { class: 'stats' }, row(m.status, m.statusNames[run.status] ?? run.status), row(m.pagesFetched, s.pagesFetched), row(m.postsNew, s.postsNew), row(m.postsUpdated, s.postsUpdated), row(m.postsClassified, s.postsClassified), row(m.errors, s.errors));
  }

  function follow(run: Run): void {
    const bar = h('progress', { max: 1, value: 0, 'aria-label': m.progress });
    const cancel = h('button', { type: 'button', class: 'danger', onclick: () => void post(`/api/runs/${encodeURIComponent(run.id)}/cancel`).catch(() => undefined) }, m.cancel);
    const body = h('div', { id: 'run-live', 'data-run': run.id, 'data-status': run.status });
    const log = h('ol', { class: 'log' });
    const paint = (r: Run, done: boolean) => {
      clear(body);
      body.dataset.status = r.status;
      bar.max = Math.max(1, r.stats.pagesFetched + (done ? 0 : 1));
      bar.value = r.stats.pagesFetched;
      body.append(h('p', {}, m.runId(r.id)), bar, stats(r));
      if (done) {
        // A failed run says which targets failed, where a cron job's exit code would (voc crawl exits 1).
        if (r.failedTargets?.length) body.append(h('p', { class: 'error', 'data-failed': r.failedTargets.join(' ') }, m.runFailedTargets(r.failedTargets)));
        body.append(h('p', { class: r.status === 'failed' ? 'error' : 'ok' }, m.runFinished, ' · ', h('a', { href: `#/posts?targetId=${encodeURIComponent(r.targetIds[0] ?? '')}` }, m.viewPosts)));
        const lines = currentLang() === 'zh-CN' && r.errorsZh?.length === r.errors.length ? r.errorsZh : r.errors;
        for (const e of lines.slice(0, 20)) body.append(h('p', { class: 'error' }, e));
      } else body.append(cancel);
      body.append(log);
    };
    clear(live);
    live.append(h('h2', { id: 'progress-h' }, m.progress), body);
    paint(run, false);
    const source = new EventSource(`/api/runs/${encodeURIComponent(run.id)}/events`);
    const onEvent = (ev: MessageEvent<string>, done: boolean) => {
      const e = JSON.parse(ev.data) as { run: Run; page?: { targetId: string; url: string; posts: number } };
      const items = [...log.children];
      paint(e.run, done);
      log.append(...items);
      if (e.page) log.append(h('li', {}, `${e.page.targetId}: ${e.page.url} (${e.page.posts})`));
      if (done) {
        source.close();
        void get<{ runs: Run[] }>('/api/runs?limit=10').then((r) => fillRecent(r.runs));
      }
    };
    source.addEventListener('progress', (ev) => onEvent(ev as MessageEvent<string>, false));
    source.addEventListener('done', (ev) => onEvent(ev as MessageEvent<string>, true));
  }

  function fillRecent(list: Run[]): void {
    recentBody.replaceChildren(
      ...list.map((r) => h('tr', {}, h('td', {}, fmtTime(r.startedAt, ctx.meta.timeZone)), h('td', {}, r.targetIds.join(', ')), h('td', {}, m.statusNames[r.status] ?? r.status), h('td', {}, r.stats.pagesFetched), h('td', {}, r.stats.postsNew), h('td', {}, r.stats.errors))),
    );
  }
  const recent = h(
    'section',
    { class: 'card', 'aria-labelledby': 'recent-h' },
    h('h2', { id: 'recent-h' }, m.recentRuns),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, [m.startedAt, m.targets, m.status, m.pagesFetched, m.postsNew, m.errors].map((c) => h('th', { scope: 'col' }, c)))),
      recentBody,
    ),
  );
  fillRecent(runs);
  ctx.main.append(h('div', { class: 'split' }, form, live), recent);
}
