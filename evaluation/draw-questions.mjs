// Draws a question-targeted tuning sample: reviews of the two sentiment corpora that the current
// classifier calls a question, none of them in the dev gold set or any evaluation/channels-unseen-*
// file, printed as JSON lines {"pool", "id", "text"} (labelled like the other samples, with
// annotation-brief.md). It measures and improves question precision; it is not a check sample
// (it is drawn by the classifier's own output).
//
// With --missed it draws the other side, for recall: reviews the classifier does NOT call a
// question although they hold a question mark or an asking word (请问, 为什么, 怎么, 吗, 有没有...).
//
//   node evaluation/draw-questions.mjs SEED N > sample.jsonl      (after npx tsc; R: SEED 20261223, N 150)
//   node evaluation/draw-questions.mjs SEED N --missed > sample.jsonl   (V: SEED 20261207, N 150)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { parseCsvRows } from '../dist/analysis/eval/readers.js';
import { seededRandom } from '../dist/analysis/model/random.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.VOC_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');
const [seed, n] = [Number(process.argv[2] ?? 20261223), Number(process.argv[3] ?? 150)];
const missed = process.argv.includes('--missed');
// Signs that a review may ask something (used only to draw; labels come from reading).
const ASKING = /[?？]|请问|为什么|为啥|怎么|咋|如何|吗|有没有|能不能|可不可以|是不是|什么时候|哪里|谁能|求助|求解/;
const used = new Set();
const mark = (file) => { for (const l of readFileSync(file, 'utf8').split('\n')) if (l.trim()) { const o = JSON.parse(l); used.add(`${o.pool}:${o.id}`); } };
mark(join(data, 'gold', 'channels-dev.jsonl'));
for (const f of readdirSync(here)) if (/^(channels-unseen|questions-sample|questions-recall|questions-precision)-.*\.jsonl$/.test(f)) mark(join(here, f));
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
const pool = [];
const seen = new Set();
for (const [name, file, idOf] of [['online_shopping', 'online_shopping_10_cats.csv', (r) => r.fields.id], ['waimai', 'waimai_10k.csv', (_r, i) => String(i)]]) {
  const { rows } = parseCsvRows(readFileSync(join(data, 'sentiment', file)), file, ['review'], 'a question sample');
  rows.forEach((r, i) => {
    const text = (r.fields.review ?? '').replace('\ufeff', '');
    if (!text.trim() || seen.has(text)) return;
    seen.add(text);
    const id = idOf(r, i);
    if (used.has(`${name}:${id}`)) return;
    const asked = classifier.classify({ id: 'q', text, brand: 'voc-eval' }).question.isQuestion;
    if (missed ? !asked && ASKING.test(text) : asked) pool.push({ pool: name, id: Number(id), text });
  });
}
const random = seededRandom(seed);
for (let i = pool.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [pool[i], pool[j]] = [pool[j], pool[i]]; }
process.stderr.write(`${pool.length} reviews ${missed ? 'with an asking sign not called a question' : 'called a question'}\n`);
for (const o of pool.slice(0, n)) process.stdout.write(JSON.stringify(o) + '\n');
