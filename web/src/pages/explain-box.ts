/**
 * "Try a text" on the posts explorer: the analyst types or pastes a text, the server classifies it
 * without storing it (POST /api/explain), and the answer shows as a post of the list does (evidence
 * marked) with each label and the words that decided it, so one can see why a post would count
 * where it does in a report. The text goes into the page as text nodes only.
 */
import { post, type Classification, type Span } from '../api.js';
import { field, h, select } from '../dom.js';
import { highlight, marksOf } from '../highlight.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';

/** The server's limit (server/routes/explain.ts EXPLAIN_MAX_CHARS). */
const MAX_CHARS = 20_000;

export function explainBox(ctx: PageContext): HTMLElement {
  const m = t();
  const text = h('textarea', { name: 'explainText', rows: 4, maxlength: MAX_CHARS, required: true, placeholder: m.explainPlaceholder });
  const brand = select('explainBrand', ctx.meta.brands.map((b) => [b.id, b.name] as [string, string]), ctx.meta.brands[0]?.id ?? '');
  const result = h('div', { class: 'explain-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'explain-form' },
    field(m.explainText, text),
    ctx.meta.brands.length > 1 ? field(m.brand, brand) : null,
    h('button', { type: 'submit' }, m.explainRun),
  );
  const labels = { channel: ctx.channelLabel, polarity: (x: string) => m.polarities[x] ?? x, breakpoint: (k: string) => m.breakpointKinds[k] ?? k, negated: m.negatedWord };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const posted = text.value;
    result.replaceChildren(h('p', {}, m.explaining));
    try {
      const { classification: c } = await post<{ classification: Classification }>('/api/explain', { text: posted, ...(ctx.meta.brands.length ? { brand: brand.value } : {}) });
      result.replaceChildren(highlight(posted, marksOf(c, labels)), labelList(c, ctx, labels.polarity));
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    }
  });
  return h('details', { class: 'card explain' }, h('summary', {}, m.explainTitle), form, result);
}

/** Each label of `c` with its evidence, one line a label, in the order of the CLI's `voc explain`. */
function labelList(c: Classification, ctx: PageContext, polarity: (p: string) => string): HTMLElement {
  const m = t();
  const q = (s: Span) => `「${s.text}」`;
  const rows: Array<[string, string[]]> = [
    [m.sentiment, [polarity(c.sentiment.label)]],
    [m.channel, c.channels.map((x) => `${ctx.channelLabel(x.channel)} ${polarity(x.polarity)} ${q(x.evidence)}${x.stanceEvidence ? ` · ${m.decidedBy} ${q(x.stanceEvidence)}` : ''}`)],
    [m.breakpoint, c.breakpoints.map((b) => `${m.breakpointKinds[b.kind] ?? b.kind}: ${b.channels.map(ctx.channelLabel).join(' ↔ ')} ${q(b.evidence)}`)],
    [m.descriptors, c.descriptors.map((d) => `${q(d.evidence)} ${polarity(d.polarity)}${d.channel ? ` · ${ctx.channelLabel(d.channel)}` : ''}`)],
    [m.aspect, c.aspects.map((a) => `${a.aspect} ${polarity(a.polarity)} ${q(a.evidence)}`)],
    [m.scenario, c.scenarios.map((s) => `${s.scenario} ${q(s.evidence)}`)],
    [m.question, [c.question.isQuestion ? m.yes : m.no]],
  ];
  return h('dl', { class: 'explain-labels' }, rows.map(([title, lines]) => [h('dt', {}, title), h('dd', {}, lines.length ? lines.join(m.listSep) : m.noneFound)]).flat());
}
