/**
 * The kind-specific part of the target editor: CSS selectors (html, browser), browser options,
 * a JSON field mapping (json), the detail-page selectors of a sitemap, nothing for a feed, and a
 * preset's parameters (its URL is built from them on the server, as `voc targets add --preset`).
 * Every box is built once and shown or hidden, so switching kinds keeps what was typed.
 */
import type { PresetInfo, Target } from '../api.js';
import { field, h } from '../dom.js';
import type { Messages } from '../i18n.js';

export const SELECTOR_KEYS = [
  ['item', 'selItem'],
  ['text', 'selText'],
  ['id', 'selId'],
  ['author', 'selAuthor'],
  ['time', 'selTime'],
  ['link', 'selLink'],
  ['nextPage', 'selNext'],
] as const;
const JSON_KEYS = ['items', 'id', 'text', 'author', 'time', 'url', 'nextUrlPath'] as const;
const BROWSER_KEYS = ['waitFor', 'scrolls', 'loadMore'] as const;
const SITEMAP_KEYS = ['include', 'text', 'author', 'time'] as const;
const PARAM_KEYS = ['hashtag', 'query', 'subreddit', 'app', 'country', 'base'] as const;
/** The public host each preset uses when `base` is left empty (crawlers/presets.ts). */
const DEFAULT_BASE: Record<string, string> = {
  mastodon: 'https://mastodon.social',
  'mastodon-search': 'https://mastodon.social',
  bluesky: 'https://public.api.bsky.app',
  reddit: 'https://www.reddit.com',
  appstore: 'https://itunes.apple.com',
};

export interface KindFields {
  /** Controls whose change re-runs the live preview. */
  controls: HTMLElement[];
  boxes: HTMLElement[];
  /** Shows the boxes the kind and preset need (a preset brings its own mapping). */
  show(kind: string, preset: string): void;
  /** The kind-specific fields of the target, and whether they suffice for a preview. */
  read(kind: string, preset: string): { body: Record<string, unknown>; ready: boolean; presetParams: boolean };
  /** Puts guessed selectors in the selector fields (every field: one left empty by the guess is cleared). */
  fillSelectors(selectors: Record<string, string | undefined>): void;
}

type Inputs = Record<string, HTMLInputElement>;

function inputs(keys: readonly string[], prefix: string, values: Record<string, unknown> = {}, types: Record<string, string> = {}): Inputs {
  const out: Inputs = {};
  for (const key of keys) {
    const v = values[key];
    out[key] = h('input', { name: `${prefix}-${key}`, type: types[key] ?? 'text', value: Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v) });
  }
  return out;
}

/** Only the fields that were filled in. */
function filled(ins: Inputs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, el] of Object.entries(ins)) if (el.value.trim()) out[k] = el.value.trim();
  return out;
}

/** `selectorActions`: shown under the selector fields (the editor's "guess selectors" button). */
export function kindFields(m: Messages, presets: PresetInfo[], existing: Target | undefined, selectorActions?: HTMLElement): KindFields {
  const sels = inputs(SELECTOR_KEYS.map(([k]) => k), 'sel', existing?.selectors);
  const browser = inputs(BROWSER_KEYS, 'browser', existing?.browser, { scrolls: 'number' });
  const json = inputs(JSON_KEYS, 'json', existing?.json);
  const sitemap = inputs(SITEMAP_KEYS, 'sitemap', { ...existing?.detail?.post, include: existing?.sitemap?.include });
  const params = inputs(PARAM_KEYS, 'param');

  const selectorBox = h(
    'fieldset',
    {},
    h('legend', {}, m.selectors),
    h('div', { class: 'grid' }, SELECTOR_KEYS.map(([key, label]) => field(m[label], sels[key]!))),
    h('small', { class: 'hint' }, m.selHint),
    selectorActions ?? null,
  );
  const browserBox = h('fieldset', {}, h('legend', {}, m.browserLegend), h('div', { class: 'grid' }, BROWSER_KEYS.map((k) => field(m.browserFields[k]!, browser[k]!))));
  const jsonBox = h('fieldset', {}, h('legend', {}, m.jsonLegend), h('div', { class: 'grid' }, JSON_KEYS.map((k) => field(m.jsonFields[k]!, json[k]!))), h('small', { class: 'hint' }, m.jsonHint));
  const sitemapBox = h('fieldset', {}, h('legend', {}, m.sitemapLegend), h('div', { class: 'grid' }, SITEMAP_KEYS.map((k) => field(m.sitemapFields[k]!, sitemap[k]!))));
  const feedBox = h('p', { class: 'hint feed-hint' }, m.feedHint);
  const paramFields = Object.fromEntries(PARAM_KEYS.map((k) => [k, field(m.presetParams[k]!, params[k]!)]));
  const paramBox = h('fieldset', {}, h('legend', {}, m.presetParamsLegend), h('div', { class: 'grid' }, Object.values(paramFields)), h('small', { class: 'hint' }, m.presetUrlHint));
  const presetOf = (name: string) => presets.find((p) => p.name === name);

  return {
    controls: [...Object.values(sels), ...Object.values(browser), ...Object.values(json), ...Object.values(sitemap), ...Object.values(params)],
    boxes: [paramBox, selectorBox, browserBox, jsonBox, sitemapBox, feedBox],
    show(kind, preset) {
      const p = presetOf(preset);
      paramBox.hidden = !p || p.params.length === 0;
      for (const k of PARAM_KEYS) paramFields[k]!.hidden = !p?.params.includes(k);
      params.base!.placeholder = DEFAULT_BASE[preset] ?? '';
      selectorBox.hidden = Boolean(p) || (kind !== 'html' && kind !== 'browser');
      browserBox.hidden = kind !== 'browser';
      jsonBox.hidden = Boolean(p) || kind !== 'json';
      sitemapBox.hidden = kind !== 'sitemap';
      feedBox.hidden = kind !== 'feed';
    },
    read(kind, preset) {
      const p = presetOf(preset);
      const body: Record<string, unknown> = {};
      let ready = true;
      let presetParams = false;
      if (p) {
        body.preset = p.name;
        const given = filled(Object.fromEntries(p.params.map((k) => [k, params[k]!])));
        // Only what the user typed goes to the server; it builds the URL and names a missing one.
        if (Object.keys(given).some((k) => k !== 'base')) {
          body.presetParams = given;
          presetParams = true;
        }
      } else if (kind === 'html' || kind === 'browser') {
        body.selectors = filled(sels);
        ready = Boolean(sels.item!.value.trim() && sels.text!.value.trim());
      } else if (kind === 'json') {
        const mapping: Record<string, unknown> = { items: json.items!.value.trim(), ...filled(json) };
        const text = String(mapping.text ?? '').split(/\s*,\s*/).filter(Boolean);
        if (text.length > 1) mapping.text = text;
        body.json = mapping;
        ready = Boolean(json.id!.value.trim() && json.text!.value.trim());
      } else if (kind === 'sitemap') {
        const { include, ...post } = filled(sitemap);
        body.detail = { post };
        if (include) body.sitemap = { include: [include] };
        ready = Boolean(post.text);
      }
      if (kind === 'browser') {
        const b = filled(browser);
        if (Object.keys(b).length) body.browser = { ...b, ...(b.scrolls ? { scrolls: Number(b.scrolls) } : {}) };
      }
      return { body, ready, presetParams };
    },
    fillSelectors(selectors) {
      for (const [key] of SELECTOR_KEYS) sels[key]!.value = selectors[key] ?? '';
    },
  };
}
