/**
 * "Try a text" on the posts explorer: the analyst types or pastes a text, the server classifies it
 * without storing it (POST /api/explain), and the answer shows as a post of the list does (evidence
 * marked) with each label and the words that decided it, so one can see why a post would count
 * where it does in a report. The text goes into the page as text nodes only.
 */
import { post, type Classification, type Span } from '../api.js';
import { field, h, select } from '../dom.js';
import { highlight, highlightLabels, marksOf } from '../highlight.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';


/** The labels POST /api/explain gives for the ids of its classification, in the UI's language. */
interface ExplainLabels {
  aspects: Record<string, string>;
  scenarios: Record<string, string>;
  scenarioTypes: Record<string, string>;
  promises: Record<string, string>;
  cues: Record<string, string>;
}

export function explainBox(ctx: PageContext): HTMLElement {
  const maxChars = ctx.meta.explainMaxChars;
  const m = t();
  const text = h('textarea', { name: 'explainText', rows: 4, maxlength: maxChars, required: true, placeholder: m.explainPlaceholder });
  const submit = h('button', { type: 'submit' }, m.explainRun);
  const brand = select('explainBrand', ctx.meta.brands.map((b) => [b.id, b.name] as [string, string]), ctx.meta.brands[0]?.id ?? '');
  const result = h('div', { class: 'explain-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'explain-form' },
    // The limit is said, as the box cuts a longer paste without a word.
    field(m.explainText, text, m.explainLimit(maxChars)),
    ctx.meta.brands.length > 1 ? field(m.brand, brand) : null,
    submit,
  );
  const labels = highlightLabels(ctx.channelLabel);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const posted = text.value;
    // One request at a time: an older answer must not replace a newer one.
    submit.disabled = true;
    result.replaceChildren(h('p', {}, m.explaining));
    try {
      const { classification: c, labels: names } = await post<{ classification: Classification; labels: ExplainLabels }>('/api/explain', {
        text: posted,
        ...(ctx.meta.brands.length ? { brand: brand.value } : {}),
      });
      result.replaceChildren(highlight(posted, marksOf(c, labels)), labelList(c, names, ctx, labels.polarity));
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message));
    } finally {
      submit.disabled = false;
    }
  });
  return h('details', { class: 'card explain' }, h('summary', {}, m.explainTitle), form, result);
}

/** Each label of `c` with its evidence, one line a label, in the order of the CLI's `voc explain`. */
function labelList(c: Classification, names: ExplainLabels, ctx: PageContext, polarity: (p: string) => string): HTMLElement {
  const m = t();
  const q = (s: Span) => `「${s.text}」`;
  const name = (table: Record<string, string>, id: string) => table[id] ?? id;
  const rows: Array<[string, string[]]> = [
    [m.sentiment, [polarity(c.sentiment.label)]],
    [m.channel, c.channels.map((x) => `${ctx.channelLabel(x.channel)} ${polarity(x.polarity)} ${q(x.evidence)}${x.stanceEvidence ? ` · ${m.decidedBy} ${q(x.stanceEvidence)}` : ''}`)],
    [m.breakpoint, c.breakpoints.map((b) => `${m.breakpointKinds[b.kind] ?? b.kind}: ${b.channels.map(ctx.channelLabel).join(' ↔ ')} · ${m.cue} ${name(names.cues, b.cue)} ${q(b.evidence)}`)],
    [m.descriptors, c.descriptors.map((d) => `${name(names.promises, d.promise)} ${polarity(d.polarity)} ${q(d.evidence)}${d.channel ? ` · ${ctx.channelLabel(d.channel)}` : ''}`)],
    [m.legendOpenWord, (c.openWords ?? []).map((w) => `${ctx.channelLabel(w.channel)} ${q(w.evidence)}${w.negated ? ` (${m.negatedWord(w.word)})` : ''}`)],
    [m.aspect, c.aspects.map((a) => `${name(names.aspects, a.aspect)} ${polarity(a.polarity)} ${q(a.evidence)}`)],
    [m.scenario, c.scenarios.map((s) => `${name(names.scenarios, s.scenario)}${s.type ? ` (${name(names.scenarioTypes, s.type)})` : ''} ${q(s.evidence)}`)],
    [m.question, [c.question.isQuestion ? m.yes : m.no]],
  ];
  // An ad or a templated review is classified but left out of reports: say so.
  if (c.spam) rows.push([m.spamLabel, [m.spamLeftOut]]);
  if (c.lexiconVersion) rows.push([m.lexiconVersion, [c.lexiconVersion]]);
  return h('dl', { class: 'explain-labels' }, rows.map(([title, lines]) => [h('dt', {}, title), h('dd', {}, lines.length ? lines.join(m.listSep) : m.noneFound)]).flat());
}
