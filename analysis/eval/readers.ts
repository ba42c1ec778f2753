/**
 * Readers of the labelled files `voc eval` and `voc train` take: the sentiment CSV (`label`,
 * `review`), the car-aspects CSV (`content_id,content,subject,sentiment_value[,sentiment_word]`,
 * one row per post and aspect) and the channel gold JSONL. Every problem becomes one InputError
 * line naming the file, the line and the column or field, never a half-read data set.
 */
import { createHash } from 'node:crypto';
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse/sync';
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { BREAKPOINT_KINDS } from '../../core/types.js';
import { readInputFile } from './input-file.js';
import { readSemevalXml } from './semeval.js';

export { readInputFile };

/** One CSV data row: its line number in the file (1-based, the header is line 1) and its fields by column. */
export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/**
 * Parses CSV text (quotes, commas and newlines inside quotes, a UTF-8 BOM) and checks that the
 * header names every `required` column. Column names are compared trimmed and case-insensitively.
 */
export function parseCsvRows(text: string | Buffer, file: string, required: string[], purpose: string): { columns: string[]; rows: CsvRow[] } {
  let records: Array<{ record: string[]; lines: number }>;
  try {
    // on_record keeps the line number with each record (the typings expect records to stay arrays).
    const withLine = (record: string[], context: { lines: number }) => ({ record, lines: context.lines });
    records = parseCsv(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: withLine as unknown as CsvOptions['on_record'],
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new InputError(`${file}: not a valid CSV file${e.lines ? ` (line ${e.lines})` : ''}: ${e.message.split('\n')[0]}`);
  }
  if (records.length === 0) throw new InputError(`${file}: the file is empty; ${purpose}`);
  const header = records[0]!.record.map((c) => c.replace(/^\uFEFF/, '').trim().toLowerCase());
  for (const col of required) {
    if (!header.includes(col))
      throw new InputError(`${file}: no "${col}" column (columns found: ${header.join(', ') || 'none'}); ${purpose}`);
  }
  const rows: CsvRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, lines } = records[i]!;
    const fields: Record<string, string> = {};
    header.forEach((name, k) => {
      if (name && !(name in fields)) fields[name] = record[k] ?? '';
    });
    // info.lines is the last line of the record; a record with embedded newlines starts earlier.
    rows.push({ line: lines - countNewlines(record), fields });
  }
  return { columns: header, rows };
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const f of record) for (let i = 0; i < f.length; i++) if (f.charCodeAt(i) === 10) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Sentiment CSV
// ---------------------------------------------------------------------------------------------

/** One labelled review. `label` is the file's value, trimmed (`1`/`0` in the public corpora). */
export interface SentimentRow {
  line: number;
  label: string;
  text: string;
}

const SENTIMENT_PURPOSE = 'a sentiment file needs a "label" column (1 positive, 0 negative) and a "review" column';

/** Reads a sentiment CSV. Rows with an empty review are dropped (counted in `skipped`). */
export function readSentimentCsv(path: string): { rows: SentimentRow[]; skipped: number } {
  const { rows } = parseCsvRows(readInputFile(path, 'sentiment file'), path, ['label', 'review'], SENTIMENT_PURPOSE);
  const out: SentimentRow[] = [];
  let skipped = 0;
  for (const r of rows) {
    const label = r.fields.label!.trim();
    const text = r.fields.review!;
    if (!label) throw new InputError(`${path}: line ${r.line}: empty "label"; expected 1 (positive) or 0 (negative)`);
    if (!text.trim()) {
      skipped++;
      continue;
    }
    out.push({ line: r.line, label, text });
  }
  if (out.length === 0) throw new InputError(`${path}: no rows with a review; ${SENTIMENT_PURPOSE}`);
  return { rows: out, skipped };
}

// ---------------------------------------------------------------------------------------------
// Car aspects CSV
// ---------------------------------------------------------------------------------------------

export type AspectSentiment = -1 | 0 | 1;

export interface AspectLabel {
  subject: string;
  sentiment: AspectSentiment;
  /** The opinion word of the row (`sentiment_word`), when given. */
  word?: string;
}

/** One post with all its labelled aspects (the CSV has one row per post and aspect). */
export interface AspectPost {
  id: string;
  text: string;
  /** Line of the post's first row. */
  line: number;
  labels: AspectLabel[];
}

const ASPECT_PURPOSE = 'an aspects file needs the columns content_id, content, subject, sentiment_value (-1, 0 or 1)';

/**
 * Reads an aspects CSV and groups its rows by `content_id`, in order of first appearance. A post
 * with the same subject twice keeps the first row's sentiment (counted in `duplicates`).
 */
export function readAspectsCsv(path: string): { posts: AspectPost[]; rows: number; duplicates: number } {
  const { rows } = parseCsvRows(readInputFile(path, 'aspects file'), path, ['content_id', 'content', 'subject', 'sentiment_value'], ASPECT_PURPOSE);
  const byId = new Map<string, AspectPost>();
  let duplicates = 0;
  for (const r of rows) {
    const id = r.fields.content_id!.trim();
    const subject = r.fields.subject!.trim();
    const raw = r.fields.sentiment_value!.trim();
    if (!id) throw new InputError(`${path}: line ${r.line}: empty "content_id"; every row needs the id of its post`);
    if (!subject) throw new InputError(`${path}: line ${r.line}: empty "subject"; expected an aspect name such as 动力 or 价格`);
    if (raw !== '-1' && raw !== '0' && raw !== '1')
      throw new InputError(`${path}: line ${r.line}: "sentiment_value" is "${raw}"; expected -1, 0 or 1`);
    let post = byId.get(id);
    if (!post) {
      post = { id, text: r.fields.content!, line: r.line, labels: [] };
      byId.set(id, post);
    }
    if (post.labels.some((l) => l.subject === subject)) {
      duplicates++;
      continue;
    }
    const word = r.fields.sentiment_word?.trim();
    post.labels.push({ subject, sentiment: Number(raw) as AspectSentiment, ...(word ? { word } : {}) });
  }
  if (byId.size === 0) throw new InputError(`${path}: no data rows; ${ASPECT_PURPOSE}`);
  return { posts: [...byId.values()], rows: rows.length, duplicates };
}

// ---------------------------------------------------------------------------------------------
// Channel gold JSONL
// ---------------------------------------------------------------------------------------------

const polarity = z.enum(['pos', 'neg', 'neutral']);
const goldRowSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  /** Where a row stored without its text comes from (see readChannelGold and CORPUS_POOLS). */
  pool: z.string().optional(),
  text: z.string().optional(),
  /** Hex prefix (at least 8 digits) of the SHA-256 of the text, to check a joined text. */
  text_sha256: z.string().regex(/^[0-9a-f]{8,64}$/, 'expected 8-64 lower-case hex digits').optional(),
  sentiment: z.enum(['pos', 'neg', 'mixed', 'neutral']).optional(),
  channels: z.array(z.object({ channel: z.string().min(1), polarity })),
  breakpoint: z.boolean(),
  breakpoint_channels: z.array(z.string().min(1)).default([]),
  breakpoint_kind: z.enum(BREAKPOINT_KINDS).nullable().optional(),
  scenarios: z.array(z.string()).default([]),
  question: z.boolean(),
});

/** One hand-labelled post of the channel gold set (see the gold README for the conventions). */
export type GoldRow = z.infer<typeof goldRowSchema> & { line: number; text: string };

/**
 * The public corpora a gold row may point into instead of holding its text (labels of ours, texts
 * we may not copy into the repository): pool -> file under the corpus folder, and how `id` finds the
 * row (the `id` column, or the 0-based data-row index).
 */
const CORPUS_POOLS: Record<string, { file: string; by: 'id' | 'index' | 'sentence' }> = {
  online_shopping: { file: 'sentiment/online_shopping_10_cats.csv', by: 'id' },
  waimai: { file: 'sentiment/waimai_10k.csv', by: 'index' },
  // English: SemEval-2014 Task 4 sentences, by their `id` attribute.
  semeval2014_laptops: { file: 'semeval2014-en/Laptop_Train_v2.xml', by: 'sentence' },
  semeval2014_restaurants: { file: 'semeval2014-en/Restaurants_Train_v2.xml', by: 'sentence' },
};

export interface GoldReadOptions {
  /** Folder holding the corpora of CORPUS_POOLS (../shared/data), for rows stored without text. */
  texts?: string;
}

/** Hex SHA-256 of a text (the check of a joined row, `text_sha256`). */
export function textSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Reads a channel gold JSONL file; blank lines are ignored. A row without `text` takes it from the
 * corpus its `pool` and `id` name, under `options.texts`, and must match its `text_sha256`.
 */
export function readChannelGold(path: string, options: GoldReadOptions = {}): GoldRow[] {
  const rows = readGoldRows(path);
  const corpora = new Map<string, Map<string, string>>();
  return rows.map((row) => {
    if (row.text !== undefined) return row as GoldRow;
    const where = `${path}: line ${row.line}`;
    const pool = row.pool === undefined ? undefined : CORPUS_POOLS[row.pool];
    if (!pool) throw new InputError(`${where}: field pool: ${row.pool === undefined ? 'missing' : `"${row.pool}" is not a known corpus`}; a row without text needs pool (one of ${Object.keys(CORPUS_POOLS).join(', ')}) and id`);
    if (row.id === undefined) throw new InputError(`${where}: field id: missing; a row without text needs the id of its ${row.pool} row`);
    if (!row.text_sha256) throw new InputError(`${where}: field text_sha256: missing; a row without text needs the hash that checks the joined text`);
    if (!options.texts) throw new InputError(`${where}: no text; pass --texts with the folder holding ${pool.file} (../shared/data)`);
    let byId = corpora.get(row.pool!);
    if (!byId) corpora.set(row.pool!, (byId = readCorpusTexts(`${options.texts}/${pool.file}`, pool.by)));
    const text = byId.get(String(row.id));
    if (text === undefined) throw new InputError(`${where}: field id: ${row.pool} has no row ${row.id} in ${options.texts}/${pool.file}`);
    if (!textSha256(text).startsWith(row.text_sha256)) throw new InputError(`${where}: field text_sha256: the text of ${row.pool} row ${row.id} in ${options.texts}/${pool.file} is not the labelled one (another version of the corpus?)`);
    return { ...row, text } as GoldRow;
  });
}

/**
 * The texts of one corpus of CORPUS_POOLS (online_shopping, waimai, the SemEval sentence pools) by id,
 * read from `texts` (../shared/data), as rows stored without their text are joined.
 */
export function readCorpusPool(texts: string, pool: string): Map<string, string> {
  const corpus = CORPUS_POOLS[pool];
  if (!corpus) throw new InputError(`pool "${pool}" is not a known corpus; use one of ${Object.keys(CORPUS_POOLS).join(', ')}`);
  return readCorpusTexts(`${texts}/${corpus.file}`, corpus.by);
}

/** A corpus CSV's reviews by id (or data-row index), a leading BOM removed as the gold README does. */
function readCorpusTexts(file: string, by: 'id' | 'index' | 'sentence'): Map<string, string> {
  if (by === 'sentence') return new Map(readSemevalXml(file).map((s) => [s.id, s.text]));
  const { rows } = parseCsvRows(readInputFile(file, 'corpus file'), file, by === 'id' ? ['id', 'review'] : ['review'], 'a corpus file needs a "review" column');
  const out = new Map<string, string>();
  rows.forEach((r, i) => out.set(by === 'id' ? r.fields.id!.trim() : String(i), r.fields.review!.replace(/^\uFEFF/, '')));
  return out;
}

function readGoldRows(path: string): Array<z.infer<typeof goldRowSchema> & { line: number }> {
  const text = readInputFile(path, 'gold file').toString('utf8').replace(/^\uFEFF/, '');
  const out: Array<z.infer<typeof goldRowSchema> & { line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new InputError(`${path}: line ${line}: not valid JSON (${(err as Error).message}); expected one JSON object per line`);
    }
    const parsed = goldRowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.map(String).join('.') || '(the line)';
      throw new InputError(`${path}: line ${line}: field ${field}: ${issue.message}; see the gold README for the schema`);
    }
    const row = parsed.data;
    if (row.breakpoint && row.breakpoint_channels.length < 2)
      throw new InputError(`${path}: line ${line}: field breakpoint_channels: a breakpoint needs two channels`);
    out.push({ ...row, line });
  });
  if (out.length === 0) throw new InputError(`${path}: no rows; expected one JSON object per line`);
  return out;
}
