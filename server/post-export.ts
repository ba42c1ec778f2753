/**
 * One post with its classification as a CSV row or a JSON line: the console's export
 * (GET /api/posts/export) and `voc posts export` write the same columns.
 */
import type { PostHit } from './post-search.js';

/**
 * A CSV cell: quoted, and with a leading apostrophe when it starts like a formula, so a crawled
 * `=HYPERLINK(...)` stays text when the export is opened in a spreadsheet.
 */
export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const POST_CSV_COLUMNS = ['id', 'brand', 'source', 'publishedAt', 'url', 'text', 'sentiment', 'channels', 'descriptors', 'breakpoints', 'aspects', 'scenarios', 'question', 'openWords'];

/** The header line of a CSV export; the BOM makes spreadsheets read it as UTF-8. */
export function postCsvHeader(bom: boolean): string {
  return (bom ? '\ufeff' : '') + POST_CSV_COLUMNS.join(',');
}

export function postCsvRow(h: PostHit): string {
  const c = h.classification;
  return [
    h.post.id,
    h.post.brand,
    h.post.source,
    h.post.publishedAt,
    h.post.url,
    h.post.text,
    c?.sentiment.label ?? '',
    c ? c.channels.map((m) => `${m.channel}:${m.polarity}`).join(' ') : '',
    c ? c.descriptors.map((d) => `${d.word}:${d.polarity}`).join(' ') : '',
    c ? c.breakpoints.map((b) => `${b.kind}:${b.channels.join('+')}`).join(' ') : '',
    c ? c.aspects.map((a) => `${a.aspect}:${a.polarity}`).join(' ') : '',
    c ? c.scenarios.map((s) => s.scenario).join(' ') : '',
    c ? String(c.question.isQuestion) : '',
    // word:channel, ¬ before a word said under a negator (¬认识:store).
    c ? (c.openWords ?? []).map((w) => `${w.negated ? '¬' : ''}${w.word}:${w.channel}`).join(' ') : '',
  ]
    .map(csvCell)
    .join(',');
}
