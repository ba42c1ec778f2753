// Scores one flag on a sample labelled for that flag only by two annotators, texts joined from the
// corpora. Question samples (questions-recall-v.jsonl): rows {"pool", "id", "text_sha256",
// "question": [annotator 1, annotator 2]}. Breakpoint samples (breakpoints-recall-y.jsonl): rows with
// "breakpoint", "breakpoint_channels" and "breakpoint_kind", each [annotator 1, annotator 2]; a
// breakpoint counts when the flag and the channel pair match, as in `voc eval channels`. Rows the two
// annotators agree on (flag, and pair for a breakpoint) are scored; the others are counted as disputed.
//
//   node evaluation/score-flags.mjs evaluation/questions-recall-v.jsonl      (after npx tsc)
//   node evaluation/score-flags.mjs evaluation/breakpoints-recall-y.jsonl
import { readFileSync } from 'node:fs';
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { textSha256 } from '../dist/analysis/eval/readers.js';
import { corpusTexts, requireCorpora, sharedData } from './corpora.mjs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node evaluation/score-flags.mjs SAMPLE.jsonl');
  process.exit(2);
}
requireCorpora('score-flags');
const texts = corpusTexts();
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
let tp = 0, fp = 0, fn = 0, tn = 0, disputed = 0, agreed = 0;
for (const [n, line] of readFileSync(file, 'utf8').split('\n').entries()) {
  if (!line.trim()) continue;
  const row = JSON.parse(line);
  const text = texts.get(`${row.pool}:${row.id}`);
  if (text === undefined || !textSha256(text).startsWith(row.text_sha256)) {
    console.error(`${file}:${n + 1}: no text for ${row.pool} row ${row.id} with hash ${row.text_sha256} under ${sharedData}/sentiment; is this the corpus version the sample was labelled on?`);
    process.exit(1);
  }
  const c = classifier.classify({ id: 'q', text, brand: 'voc-eval' });
  let gold, found;
  if (row.breakpoint) {
    const [a, b] = row.breakpoint;
    const pairs = row.breakpoint_channels.map((p) => [...p].sort().join('+'));
    if (a !== b || (a && pairs[0] !== pairs[1])) { disputed++; continue; }
    const predicted = c.breakpoints.map((bp) => [...bp.channels].sort().join('+'));
    gold = a;
    found = a ? predicted.includes(pairs[0]) : predicted.length > 0;
    // A breakpoint found on another pair is both a miss and a false alarm.
    if (a && !found && predicted.length) fp++;
  } else {
    const [a, b] = row.question;
    if (a !== b) { disputed++; continue; }
    gold = a;
    found = c.question.isQuestion;
  }
  agreed++;
  if (found && gold) tp++; else if (found) fp++; else if (gold) fn++; else tn++;
}
const p = tp + fp ? tp / (tp + fp) : 0, r = tp + fn ? tp / (tp + fn) : 0;
console.log(JSON.stringify({ agreed, disputed, positives: tp + fn, tp, fp, fn, precision: +p.toFixed(4), recall: +r.toFixed(4), f1: +(p + r ? (2 * p * r) / (p + r) : 0).toFixed(4) }));
