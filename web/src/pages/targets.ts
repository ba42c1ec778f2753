/**
 * Targets: the list, and an editor whose extraction preview re-runs as the URL or selectors
 * change (debounced; the server paces the fetches per host and obeys robots.txt).
 */
import { ApiError, del, get, post, put, type Post, type Target } from '../api.js';
import { clear, debounce, field, fmtTime, h, select } from '../dom.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';
import { kindFields } from './target-fields.js';

/** POST /api/targets/suggest: the guess, or why there is none. */
interface Suggestion {
  items?: number;
  selectors: Record<string, string> | null;
  refused?: string;
  message?: string;
}

interface Preview {
  posts: Post[];
  total: number;
  pages?: number;
  refused?: string;
  errors?: string[];
}

export async function renderTargets(ctx: PageContext): Promise<void> {
  const m = t();
  const { targets } = await get<{ targets: Target[] }>('/api/targets');
  const listBox = h('section', { class: 'card', 'aria-labelledby': 'targets-h' }, h('h1', { id: 'targets-h' }, m.targetsTitle));
  const editorBox = h('section', { class: 'card', 'aria-labelledby': 'editor-h' });
  ctx.main.append(h('div', { class: 'split' }, listBox, editorBox));

  if (targets.length === 0) listBox.append(h('p', {}, m.noTargets));
  else
    listBox.append(
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.id), h('th', { scope: 'col' }, m.brand), h('th', { scope: 'col' }, m.kind), h('th', { scope: 'col' }, m.url), h('th', { scope: 'col' }, m.origin), h('th', { scope: 'col' }, ''))),
        h(
          'tbody',
          {},
          targets.map((tg) =>
            h(
              'tr',
              {},
              h('td', {}, tg.id),
              h('td', {}, tg.brand),
              h('td', {}, tg.preset ? `${tg.kind} · ${m.presetNames[tg.preset] ?? tg.preset}` : tg.kind),
              h('td', { class: 'url' }, tg.url),
              h('td', {}, tg.origin === 'config' ? m.originConfig : m.originConsole),
              h('td', {}, tg.origin === 'console' ? h('button', { type: 'button', class: 'link', onclick: () => editor(tg) }, m.edit) : null),
            ),
          ),
        ),
      ),
    );
  listBox.append(h('button', { type: 'button', onclick: () => editor(undefined) }, m.newTarget));

  function editor(existing: Target | undefined): void {
    clear(editorBox);
    const id = h('input', { name: 'id', value: existing?.id ?? '', required: true, pattern: '[a-z0-9][a-z0-9_\\-]*', readonly: existing ? true : undefined });
    const brand = select('brand', ctx.meta.brands.map((b) => [b.id, `${b.name} (${b.id})`]), existing?.brand);
    const kind = select('kind', ctx.meta.targetKinds.map((k) => [k, m.kindNames[k] ?? k]), existing?.kind ?? 'html');
    const preset = select('preset', [['', m.presetNone], ...ctx.meta.presets.map((p): [string, string] => [p.name, m.presetNames[p.name] ?? p.name])], existing?.preset ?? '');
    const url = h('input', { name: 'url', type: 'url', value: existing?.url ?? '', required: true, placeholder: 'https://forum.example.com/brand/' });
    const source = h('input', { name: 'source', value: existing?.source ?? '' });
    const maxPages = h('input', { name: 'maxPages', type: 'number', min: 1, value: existing?.maxPages ?? 10 });
    const guessStatus = h('p', { class: 'guess-status', 'aria-live': 'polite' });
    const guessButton = h('button', { type: 'button', class: 'secondary guess', onclick: () => void guess() }, m.guessSelectors);
    const fields = kindFields(m, ctx.meta.presets, existing, h('div', { class: 'actions' }, guessButton, guessStatus));
    // A preset fixes the kind (forum: html, or browser for pages that need a real browser).
    const syncKind = () => {
      const p = ctx.meta.presets.find((x) => x.name === preset.value);
      if (p && !(p.kind === 'html' && kind.value === 'browser')) kind.value = p.kind;
      kind.disabled = Boolean(p) && p!.kind !== 'html';
      // With a preset's parameters the server builds the URL; without a preset the URL is the target.
      url.required = !p || p.params.length === 0;
      fields.show(kind.value, preset.value);
    };
    const status = h('p', { role: 'status' });
    const previewBox = h('div', { class: 'preview', 'aria-live': 'polite' });

    const input = () => {
      const specific = fields.read(kind.value, preset.value);
      const body: Record<string, unknown> = {
        id: id.value.trim(),
        brand: brand.value,
        kind: kind.value,
        ...(url.value.trim() && !specific.presetParams ? { url: url.value.trim() } : {}),
        ...(source.value.trim() ? { source: source.value.trim() } : {}),
        maxPages: Number(maxPages.value) || 10,
        ...specific.body,
      };
      return { body, ready: specific.ready && Boolean(body.url || specific.presetParams) };
    };

    let seq = 0;
    const runPreview = async () => {
      const { body, ready } = input();
      if (!ready) return;
      const mine = ++seq;
      clear(previewBox);
      previewBox.append(h('p', {}, m.previewRunning));
      const { id: _id, ...rest } = body;
      try {
        const result = await post<Preview>('/api/targets/preview', { target: rest, maxPages: 1 });
        if (mine !== seq) return; // a newer preview was started meanwhile
        showPreview(result);
      } catch (err) {
        if (mine !== seq) return;
        clear(previewBox);
        previewBox.append(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
      }
    };
    const showPreview = (p: Preview) => {
      clear(previewBox);
      // The server's message says what was refused and why (已拒绝 URL：…), in the console's language.
      if (p.refused) previewBox.append(h('p', { class: 'error refused', role: 'alert' }, p.refused));
      previewBox.append(h('p', { class: 'preview-count' }, m.previewCount(p.total, p.pages ?? 0)));
      for (const e of p.errors ?? []) if (e !== p.refused) previewBox.append(h('p', { class: 'error' }, e));
      if (p.posts.length)
        previewBox.append(
          h(
            'ol',
            { class: 'preview-posts' },
            p.posts.map((post) => h('li', {}, h('p', { class: 'post-text' }, post.text), h('small', {}, `${fmtTime(post.publishedAt, ctx.meta.timeZone)} · `, h('a', { href: post.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, post.externalId)))),
          ),
        );
    };
    // The server fetches the page once and guesses; the preview then shows what the guess extracts.
    const guess = async () => {
      const u = url.value.trim();
      if (!u) return void (guessStatus.textContent = m.guessNeedsUrl);
      guessStatus.textContent = m.guessRunning;
      try {
        const r = await post<Suggestion>('/api/targets/suggest', { url: u });
        if (!r.selectors) return void (guessStatus.textContent = r.refused ?? r.message ?? '');
        fields.fillSelectors(r.selectors);
        guessStatus.textContent = m.guessFound(r.items ?? 0);
        void runPreview();
      } catch (err) {
        guessStatus.textContent = `${m.error}: ${(err as Error).message}`;
      }
    };
    const later = debounce(() => void runPreview(), 800);
    for (const el of [url, ...fields.controls]) el.addEventListener('input', later);
    for (const el of [kind, preset])
      el.addEventListener('change', () => {
        syncKind();
        later();
      });
    syncKind();

    const form = h(
      'form',
      { class: 'editor' },
      h('h2', { id: 'editor-h' }, m.targetEditor),
      h('div', { class: 'grid' }, field(m.id, id), field(m.brand, brand), field(m.kind, kind), field(m.preset, preset), field(m.maxPages, maxPages)),
      field(m.url, url),
      field(m.source, source),
      ...fields.boxes,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => void runPreview() }, m.preview), h('button', { type: 'submit' }, m.save), existing ? h('button', { type: 'button', class: 'danger', onclick: () => void remove() }, m.remove) : null),
      status,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const { body } = input();
      (existing ? put(`/api/targets/${encodeURIComponent(existing.id)}`, body) : post('/api/targets', body)).then(
        () => {
          status.textContent = m.saved;
          ctx.go(`targets?saved=${encodeURIComponent(String(body.id))}`);
        },
        (err: unknown) => (status.textContent = `${m.error}: ${err instanceof ApiError ? err.message : String(err)}`),
      );
    });
    const remove = async () => {
      await del(`/api/targets/${encodeURIComponent(existing!.id)}`);
      ctx.go(`targets?removed=${encodeURIComponent(existing!.id)}`);
    };
    editorBox.append(form, h('h2', {}, m.previewTitle), h('small', { class: 'hint' }, m.previewHint), previewBox);
    if (existing) void runPreview();
  }

  const saved = ctx.params.get('saved');
  if (saved) listBox.prepend(h('p', { class: 'ok', role: 'status' }, `${m.saved}: ${saved}`));
  editor(undefined);
}
