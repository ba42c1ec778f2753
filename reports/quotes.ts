/**
 * Verbatim quotes: which posts are quoted (a fixed, explainable order) and which words of them
 * (the sentence holding the evidence span). Quotes are the report's evidence; every quoted post
 * is listed again in the sources appendix with its URL, source, channels, time and id.
 */
import type { ChannelId, Post, Span } from '../core/types.js';
import type { ReportItem } from './aggregate.js';
import { compareText } from './stats.js';

export interface Quote {
  postId: string;
  text: string;
  /** Language of the post (the quote is printed with it, for the right punctuation widths). */
  lang: Post['lang'];
  url: string;
  source: string;
  publishedAt: string;
  likes: number;
  /** Channels the post talks about, by id. */
  channels: ChannelId[];
}

export const QUOTE_MAX_CHARS = 120;

/** The quote of `item` around `evidence`. */
export function makeQuote(item: ReportItem, evidence: Span): Quote {
  return {
    postId: item.post.id,
    text: quoteText(item.post.text, evidence),
    lang: item.post.lang,
    url: item.post.url,
    source: item.post.source,
    publishedAt: item.post.publishedAt,
    likes: item.post.engagement.likes ?? 0,
    channels: [...new Set(item.classification.channels.map((c) => c.channel))].sort(compareText),
  };
}

/** Most liked first, then newest, then by id: the quote a reader is most likely to have seen. */
export function quoteOrder(a: Post, b: Post): number {
  return (
    (b.engagement.likes ?? 0) - (a.engagement.likes ?? 0) || compareText(b.publishedAt, a.publishedAt) || compareText(a.id, b.id)
  );
}

/** The best of the candidates by `quoteOrder`, or undefined when there is none. */
export function bestQuote(candidates: ReadonlyArray<{ item: ReportItem; evidence: Span }>): Quote | undefined {
  let best: { item: ReportItem; evidence: Span } | undefined;
  for (const c of candidates) if (!best || quoteOrder(c.item.post, best.item.post) < 0) best = c;
  return best ? makeQuote(best.item, best.evidence) : undefined;
}

const SENTENCE_END = /[。！？!?；;\n]/;

/** Whether `text[i]` ends a sentence: CJK/Latin terminators, or a full stop followed by a space. */
function endsSentence(text: string, i: number): boolean {
  const ch = text[i]!;
  return SENTENCE_END.test(ch) || (ch === '.' && (i + 1 >= text.length || /\s/.test(text[i + 1]!)));
}

/**
 * The sentence of `text` that holds the evidence span, cut to QUOTE_MAX_CHARS around the
 * evidence. When the span does not match the text (the post was edited since it was
 * classified, or the evidence is empty), the start of the whole post is quoted instead.
 */
export function quoteText(text: string, evidence: Span, maxChars = QUOTE_MAX_CHARS): string {
  let start = evidence.start;
  let end = evidence.end;
  if (text.slice(start, end) !== evidence.text || start >= end) {
    const found = evidence.text ? text.indexOf(evidence.text) : -1;
    if (found < 0) return truncate(collapse(text), maxChars);
    start = found;
    end = found + evidence.text.length;
  }
  let sentenceStart = start;
  while (sentenceStart > 0 && !endsSentence(text, sentenceStart - 1)) sentenceStart--;
  let sentenceEnd = end;
  while (sentenceEnd < text.length && !endsSentence(text, sentenceEnd - 1)) sentenceEnd++;
  const sentence = text.slice(sentenceStart, sentenceEnd);
  if (sentence.length <= maxChars) return collapse(sentence);
  // Too long: a window centred on the evidence, marked with ellipses where it was cut.
  const spare = Math.max(0, maxChars - (end - start));
  let from = Math.max(sentenceStart, start - Math.floor(spare / 2));
  const to = Math.min(sentenceEnd, from + maxChars);
  from = Math.max(sentenceStart, to - maxChars);
  const window = safeSlice(text, from, to);
  return collapse(`${from > sentenceStart ? '…' : ''}${window}${to < sentenceEnd ? '…' : ''}`);
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${safeSlice(text, 0, maxChars)}…`;
}

/** Slice that never splits a surrogate pair (an emoji cut in half prints as a box). */
function safeSlice(text: string, from: number, to: number): string {
  const isLow = (i: number) => i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]!);
  if (isLow(from)) from++;
  if (isLow(to)) to--;
  return text.slice(from, to);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
