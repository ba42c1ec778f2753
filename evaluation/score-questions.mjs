// Scores the question flag on a question-only sample (questions-recall-v.jsonl): rows
// {"pool", "id", "text_sha256", "question": [annotator 1, annotator 2]}, texts joined from the corpora.
// Rows the two annotators agree on are scored; the others are counted as disputed.
//
//   node evaluation/score-questions.mjs evaluation/questions-recall-v.jsonl      (after npx tsc)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { parseCsvRows } from '../dist/analysis/eval/readers.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.VOC_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');
const file = process.argv[2];
if (!file) {
  console.error('usage: node evaluation/score-questions.mjs SAMPLE.jsonl');
  process.exit(2);
}
const texts = new Map();
for (const [pool, csv, idOf] of [['online_shopping', 'online_shopping_10_cats.csv', (r) => r.fields.id], ['waimai', 'waimai_10k.csv', (_r, i) => String(i)]]) {
  const { rows } = parseCsvRows(readFileSync(join(data, 'sentiment', csv)), csv, ['review'], 'a question sample');
  rows.forEach((r, i) => texts.set(`${pool}:${idOf(r, i)}`, (r.fields.review ?? '').replace('\ufeff', '')));
}
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
let tp = 0, fp = 0, fn = 0, tn = 0, disputed = 0;
for (const [n, line] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (!line.trim()) continue;
  const row = JSON.parse(line);
  const text = texts.get(`${row.pool}:${row.id}`);
  if (text === undefined || !createHash('sha256').update(text).digest('hex').startsWith(row.text_sha256)) {
    console.error(`${file}:${n + 1}: no text for ${row.pool} row ${row.id} with hash ${row.text_sha256} under ${data}/sentiment`);
    process.exit(1);
  }
  const [a, b] = row.question;
  if (a !== b) { disputed++; continue; }
  const asked = classifier.classify({ id: 'q', text, brand: 'voc-eval' }).question.isQuestion;
  if (asked && a) tp++; else if (asked) fp++; else if (a) fn++; else tn++;
}
const p = tp + fp ? tp / (tp + fp) : 0, r = tp + fn ? tp / (tp + fn) : 0;
console.log(JSON.stringify({ agreed: tp + fp + fn + tn, disputed, questions: tp + fn, tp, fp, fn, precision: +p.toFixed(4), recall: +r.toFixed(4), f1: +(p + r ? (2 * p * r) / (p + r) : 0).toFixed(4) }));
