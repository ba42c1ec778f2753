/**
 * A post's text with its evidence marked: channel mentions, brand-promise descriptors, the words
 * that gave a channel its stance, open-vocabulary words about a channel, and breakpoint evidence. Spans may overlap (a breakpoint's evidence holds the channel mentions),
 * so the text is cut at every span boundary and each piece carries the classes of all spans
 * covering it. Pieces are text nodes: the crawled text never becomes markup.
 */
import type { Classification, Span } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

interface Mark {
  span: Span;
  cls: string;
  title: string;
}

export interface HighlightLabels {
  channel(id: string): string;
  polarity(p: string): string;
  breakpoint(kind: string): string;
  /** `不·冷清` / `not 冷清`: an open word said under a negator. */
  negated(word: string): string;
}

/** The highlight titles in the UI's language, with the console's channel labels. */
export function highlightLabels(channel: (id: string) => string): HighlightLabels {
  const m = t();
  return { channel, polarity: (x) => m.polarities[x] ?? x, breakpoint: (k) => m.breakpointKinds[k] ?? k, negated: m.negatedWord };
}

export function marksOf(c: Classification, labels: HighlightLabels): Mark[] {
  return [
    ...c.breakpoints.map((b) => ({ span: b.evidence, cls: 'hl-bp', title: `${labels.breakpoint(b.kind)}: ${b.channels.map(labels.channel).join(' ↔ ')}` })),
    ...c.channels.map((m) => ({ span: m.evidence, cls: 'hl-ch', title: `${labels.channel(m.channel)} (${labels.polarity(m.polarity)})` })),
    ...c.descriptors.map((d) => ({ span: d.evidence, cls: d.polarity === 'pos' ? 'hl-pos' : 'hl-neg', title: `${d.word} (${labels.polarity(d.polarity)})${d.channel ? ` · ${labels.channel(d.channel)}` : ''}` })),
    ...c.channels.flatMap((m) =>
      m.stanceEvidence ? [{ span: m.stanceEvidence, cls: m.polarity === 'pos' ? 'hl-pos' : 'hl-neg', title: `${labels.channel(m.channel)} (${labels.polarity(m.polarity)})` }] : [],
    ),
    ...(c.openWords ?? []).map((w) => ({ span: w.evidence, cls: 'hl-open', title: `${w.negated ? labels.negated(w.word) : w.word} · ${labels.channel(w.channel)}` })),
  ];
}

export function highlight(text: string, marks: Mark[]): HTMLElement {
  const valid = marks.filter((m) => m.span.start >= 0 && m.span.end <= text.length && m.span.start < m.span.end);
  const cuts = [...new Set([0, text.length, ...valid.flatMap((m) => [m.span.start, m.span.end])])].sort((a, b) => a - b);
  const out = h('p', { class: 'post-text' });
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    const piece = text.slice(a, b);
    const covering = valid.filter((m) => m.span.start <= a && m.span.end >= b);
    if (covering.length === 0) {
      out.append(document.createTextNode(piece));
      continue;
    }
    out.append(h('mark', { class: covering.map((m) => m.cls).join(' '), title: covering.map((m) => m.title).join(' · ') }, piece));
  }
  return out;
}
