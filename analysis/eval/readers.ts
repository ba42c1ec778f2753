/**
 * Readers of the labelled files `voc eval` and `voc train` take: the sentiment CSV (`label`,
 * `review`), the car-aspects CSV (`content_id,content,subject,sentiment_value[,sentiment_word]`,
 * one row per post and aspect) and the channel gold JSONL. Every problem becomes one InputError
 * line naming the file, the line and the column or field, never a half-read data set.
 */
import { createHash } from 'node:crypto';
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse/sync';
import { z } from 'zod';
import { errorText, InputError, inBoth, type Bilingual, type ErrorText } from '../../core/errors.js';
import { phrase } from '../../core/phrases.js';
import { BREAKPOINT_KINDS } from '../../core/types.js';
import { readInputFile } from './input-file.js';
import { readSemevalXml } from './semeval.js';
import { describeExpected, issueField } from '../../core/schema-issues.js';

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
export function parseCsvRows(text: string | Buffer, file: string, required: string[], purpose: ErrorText): { columns: string[]; rows: CsvRow[] } {
  const why = inBoth(purpose);
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
    throw new InputError({
      en: `${file}: not a valid CSV file${e.lines ? ` (line ${e.lines})` : ''}: ${e.message.split('\n')[0]}`,
      zh: `${file}：不是有效的 CSV 文件${e.lines ? `（第 ${e.lines} 行）` : ''}：${errorText(e, 'zh-CN').split('\n')[0]}`,
    });
  }
  if (records.length === 0) throw new InputError({ en: `${file}: the file is empty; ${why.en}`, zh: `${file}：文件是空的；${why.zh}` });
  const header = records[0]!.record.map((c) => c.replace(/^\uFEFF/, '').trim().toLowerCase());
  for (const col of required) {
    if (!header.includes(col))
      throw new InputError({
        en: `${file}: no "${col}" column (columns found: ${header.join(', ') || 'none'}); ${why.en}`,
        zh: `${file}：没有“${col}”列（现有的列：${header.join('、') || '无'}）；${why.zh}`,
      });
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

const SENTIMENT_PURPOSE: Bilingual = {
  en: 'a sentiment file needs a "label" column (1 positive, 0 negative) and a "review" column',
  zh: '情感文件需要“label”列（1 为正面，0 为负面）和“review”列',
};

/** Reads a sentiment CSV. Rows with an empty review are dropped (counted in `skipped`). */
export function readSentimentCsv(path: string): { rows: SentimentRow[]; skipped: number } {
  const { rows } = parseCsvRows(readInputFile(path, { en: 'sentiment file', zh: '情感文件' }), path, ['label', 'review'], SENTIMENT_PURPOSE);
  const out: SentimentRow[] = [];
  let skipped = 0;
  for (const r of rows) {
    const label = r.fields.label!.trim();
    const text = r.fields.review!;
    if (!label)
      throw new InputError({
        en: `${path}: line ${r.line}: empty "label"; expected 1 (positive) or 0 (negative)`,
        zh: `${path}：第 ${r.line} 行：“label”为空；应为 1（正面）或 0（负面）`,
      });
    if (!text.trim()) {
      skipped++;
      continue;
    }
    out.push({ line: r.line, label, text });
  }
  if (out.length === 0)
    throw new InputError({
      en: `${path}: no rows with a review; ${SENTIMENT_PURPOSE.en}`,
      zh: `${path}：没有带评论（review）的行；${SENTIMENT_PURPOSE.zh}`,
    });
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

const ASPECT_PURPOSE: Bilingual = {
  en: 'an aspects file needs the columns content_id, content, subject, sentiment_value (-1, 0 or 1)',
  zh: '方面文件需要 content_id、content、subject、sentiment_value（-1、0 或 1）这几列',
};

/**
 * Reads an aspects CSV and groups its rows by `content_id`, in order of first appearance. A post
 * with the same subject twice keeps the first row's sentiment (counted in `duplicates`).
 */
export function readAspectsCsv(path: string): { posts: AspectPost[]; rows: number; duplicates: number } {
  const { rows } = parseCsvRows(readInputFile(path, { en: 'aspects file', zh: '方面文件' }), path, ['content_id', 'content', 'subject', 'sentiment_value'], ASPECT_PURPOSE);
  const byId = new Map<string, AspectPost>();
  let duplicates = 0;
  for (const r of rows) {
    const id = r.fields.content_id!.trim();
    const subject = r.fields.subject!.trim();
    const raw = r.fields.sentiment_value!.trim();
    if (!id)
      throw new InputError({
        en: `${path}: line ${r.line}: empty "content_id"; every row needs the id of its post`,
        zh: `${path}：第 ${r.line} 行：“content_id”为空；每一行都需要所属帖子的 ID`,
      });
    if (!subject)
      throw new InputError({
        en: `${path}: line ${r.line}: empty "subject"; expected an aspect name such as 动力 or 价格`,
        zh: `${path}：第 ${r.line} 行：“subject”为空；应为方面名称，例如“动力”或“价格”`,
      });
    if (raw !== '-1' && raw !== '0' && raw !== '1')
      throw new InputError({
        en: `${path}: line ${r.line}: "sentiment_value" is "${raw}"; expected -1, 0 or 1`,
        zh: `${path}：第 ${r.line} 行：“sentiment_value”为“${raw}”；应为 -1、0 或 1`,
      });
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
  if (byId.size === 0) throw new InputError({ en: `${path}: no data rows; ${ASPECT_PURPOSE.en}`, zh: `${path}：没有数据行；${ASPECT_PURPOSE.zh}` });
  return { posts: [...byId.values()], rows: rows.length, duplicates };
}

// ---------------------------------------------------------------------------------------------
// Channel gold JSONL
// ---------------------------------------------------------------------------------------------

const polarity = z.enum(['pos', 'neg', 'neutral']);
/** One row of a channel gold file; its messages' Chinese is registered with `phrase`. */
const goldRowSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  /** Where a row stored without its text comes from (see readChannelGold and CORPUS_POOLS). */
  pool: z.string().optional(),
  text: z.string().optional(),
  /** Hex prefix (at least 8 digits) of the SHA-256 of the text, to check a joined text. */
  text_sha256: z.string().regex(/^[0-9a-f]{8,64}$/, phrase('expected 8-64 lower-case hex digits', '应为 8 到 64 位小写十六进制数字')).optional(),
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
    const whereZh = `${path}：第 ${row.line} 行`;
    const pool = row.pool === undefined ? undefined : CORPUS_POOLS[row.pool];
    if (!pool)
      throw new InputError({
        en: `${where}: field pool: ${row.pool === undefined ? 'missing' : `"${row.pool}" is not a known corpus`}; a row without text needs pool (one of ${Object.keys(CORPUS_POOLS).join(', ')}) and id`,
        zh: `${whereZh}：字段 pool：${row.pool === undefined ? '缺失' : `“${row.pool}”不是已知的语料`}；没有 text 的行需要 pool（${Object.keys(CORPUS_POOLS).join('、')} 之一）和 id`,
      });
    if (row.id === undefined)
      throw new InputError({
        en: `${where}: field id: missing; a row without text needs the id of its ${row.pool} row`,
        zh: `${whereZh}：字段 id：缺失；没有 text 的行需要 id，指明它在 ${row.pool} 中对应的行`,
      });
    if (!row.text_sha256)
      throw new InputError({
        en: `${where}: field text_sha256: missing; a row without text needs the hash that checks the joined text`,
        zh: `${whereZh}：字段 text_sha256：缺失；没有 text 的行需要用来核对取回文本的哈希值`,
      });
    if (!options.texts)
      throw new InputError({
        en: `${where}: no text; pass --texts with the folder holding ${pool.file} (../shared/data)`,
        zh: `${whereZh}：没有 text；请用 --texts 指定存放 ${pool.file} 的文件夹（../shared/data）`,
      });
    let byId = corpora.get(row.pool!);
    if (!byId) corpora.set(row.pool!, (byId = readCorpusTexts(`${options.texts}/${pool.file}`, pool.by)));
    const text = byId.get(String(row.id));
    if (text === undefined)
      throw new InputError({
        en: `${where}: field id: ${row.pool} has no row ${row.id} in ${options.texts}/${pool.file}`,
        zh: `${whereZh}：字段 id：${options.texts}/${pool.file} 中的 ${row.pool} 没有 id 为 ${row.id} 的行`,
      });
    if (!textSha256(text).startsWith(row.text_sha256))
      throw new InputError({
        en: `${where}: field text_sha256: the text of ${row.pool} row ${row.id} in ${options.texts}/${pool.file} is not the labelled one (another version of the corpus?)`,
        zh: `${whereZh}：字段 text_sha256：${options.texts}/${pool.file} 中 ${row.pool} 里 id 为 ${row.id} 的文本不是标注时的那段（语料换了版本？）`,
      });
    return { ...row, text } as GoldRow;
  });
}

/**
 * The texts of one corpus of CORPUS_POOLS (online_shopping, waimai, the SemEval sentence pools) by id,
 * read from `texts` (../shared/data), as rows stored without their text are joined.
 */
export function readCorpusPool(texts: string, pool: string): Map<string, string> {
  const corpus = CORPUS_POOLS[pool];
  if (!corpus)
    throw new InputError({
      en: `pool "${pool}" is not a known corpus; use one of ${Object.keys(CORPUS_POOLS).join(', ')}`,
      zh: `pool“${pool}”不是已知的语料；请使用以下之一：${Object.keys(CORPUS_POOLS).join('、')}`,
    });
  return readCorpusTexts(`${texts}/${corpus.file}`, corpus.by);
}

/** A corpus CSV's reviews by id (or data-row index), a leading BOM removed as the gold README does. */
function readCorpusTexts(file: string, by: 'id' | 'index' | 'sentence'): Map<string, string> {
  if (by === 'sentence') return new Map(readSemevalXml(file).map((s) => [s.id, s.text]));
  const { rows } = parseCsvRows(readInputFile(file, { en: 'corpus file', zh: '语料文件' }), file, by === 'id' ? ['id', 'review'] : ['review'], {
    en: 'a corpus file needs a "review" column',
    zh: '语料文件需要“review”列',
  });
  const out = new Map<string, string>();
  rows.forEach((r, i) => out.set(by === 'id' ? r.fields.id!.trim() : String(i), r.fields.review!.replace(/^\uFEFF/, '')));
  return out;
}

function readGoldRows(path: string): Array<z.infer<typeof goldRowSchema> & { line: number }> {
  const text = readInputFile(path, { en: 'gold file', zh: '金标准文件' }).toString('utf8').replace(/^\uFEFF/, '');
  const out: Array<z.infer<typeof goldRowSchema> & { line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      throw new InputError({
        en: `${path}: line ${line}: not valid JSON (${(err as Error).message}); expected one JSON object per line`,
        zh: `${path}：第 ${line} 行：不是有效的 JSON（${errorText(err as Error, 'zh-CN')}）；每行应为一个 JSON 对象`,
      });
    }
    const parsed = goldRowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issueField(issue);
      const expected = describeExpected(issue);
      throw new InputError({
        en: `${path}: line ${line}: field ${field || '(the line)'}: ${expected.en}; see the gold README for the schema`,
        zh: `${path}：第 ${line} 行：${field ? `字段 ${field}` : '整行'}：${expected.zh}；格式见金标准数据的 README`,
      });
    }
    const row = parsed.data;
    if (row.breakpoint && row.breakpoint_channels.length < 2)
      throw new InputError({
        en: `${path}: line ${line}: field breakpoint_channels: a breakpoint needs two channels`,
        zh: `${path}：第 ${line} 行：字段 breakpoint_channels：断点需要两个渠道`,
      });
    out.push({ ...row, line });
  });
  if (out.length === 0) throw new InputError({ en: `${path}: no rows; expected one JSON object per line`, zh: `${path}：没有数据行；每行应为一个 JSON 对象` });
  return out;
}
