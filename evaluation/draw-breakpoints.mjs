// Draws a recall-side breakpoint tuning sample: reviews of the two sentiment corpora in which the
// classifier finds two or more channels but no breakpoint although the text holds a sign of a
// contradiction or a transfer (说好, 承诺, 显示, 页面上, 客服说 … 结果, 却, 实际, 让我找, 推给), none of
// them in the dev gold set or any labelled sample under evaluation/. Printed as JSON lines
// {"pool", "id", "text"}, to be labelled for the breakpoint fields (gold README). Drawn by the
// classifier's own output, so never a check sample.
//
// With --one-channel it draws the reviews with such a sign in which the classifier finds exactly one
// channel (a second touchpoint it may have missed).
//
//   node evaluation/draw-breakpoints.mjs SEED N > sample.jsonl      (after npx tsc; Y: SEED 20261209, N 150)
//   node evaluation/draw-breakpoints.mjs SEED N --one-channel > sample.jsonl   (Z: SEED 20261210, N 150)
//
// With --found it draws the other side, for precision: reviews in which the classifier finds a
// breakpoint (no sign needed).
//
//   node evaluation/draw-breakpoints.mjs SEED N --found > sample.jsonl   (P2: SEED 20261211, N 150)
//
// With --pair A+B it draws, without the sign, the reviews in which the classifier finds both channels
// A and B and no breakpoint (the pair most breakpoints of the check samples have).
//
//   node evaluation/draw-breakpoints.mjs SEED N --pair customer_service+marketplace > sample.jsonl   (C2: SEED 20261213, N 150)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { parseCsvRows } from '../dist/analysis/eval/readers.js';
import { seededRandom } from '../dist/analysis/model/random.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = process.env.VOC_SHARED_DATA ?? join(here, '..', '..', 'shared', 'data');
const [seed, n] = [Number(process.argv[2] ?? 20261209), Number(process.argv[3] ?? 150)];
const oneChannel = process.argv.includes('--one-channel');
const foundSide = process.argv.includes('--found');
const pairAt = process.argv.indexOf('--pair');
const pair = pairAt > 0 ? process.argv[pairAt + 1].split('+') : undefined;
const used = new Set();
const mark = (file) => { for (const l of readFileSync(file, 'utf8').split('\n')) if (l.trim()) { const o = JSON.parse(l); used.add(`${o.pool}:${o.id}`); } };
mark(join(data, 'gold', 'channels-dev.jsonl'));
for (const f of readdirSync(here)) if (/\.jsonl$/.test(f)) mark(join(here, f));
// Signs of a contradiction or a transfer (used only to draw; labels come from reading).
const SIGN = /说好|承诺|显示|页面|网上写|写着|标着|宣传|客服说|客服称|告诉我|结果|却|实际|居然|竟然|让我找|让我去|让我联系|推给|推到|踢皮球|推来推去|互相推/;
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
const pool = [];
const seen = new Set();
for (const [name, file, idOf] of [['online_shopping', 'online_shopping_10_cats.csv', (r) => r.fields.id], ['waimai', 'waimai_10k.csv', (_r, i) => String(i)]]) {
  const { rows } = parseCsvRows(readFileSync(join(data, 'sentiment', file)), file, ['review'], 'a breakpoint sample');
  rows.forEach((r, i) => {
    const text = (r.fields.review ?? '').replace('\ufeff', '');
    if (!text.trim() || seen.has(text) || (!foundSide && !pair && !SIGN.test(text))) return;
    seen.add(text);
    const id = idOf(r, i);
    if (used.has(`${name}:${id}`)) return;
    const c = classifier.classify({ id: 'b', text, brand: 'voc-eval' });
    const channels = new Set(c.channels.map((m) => m.channel)).size;
    const found = c.channels.map((m) => m.channel);
    const wanted = foundSide
      ? c.breakpoints.length > 0
      : pair
        ? c.breakpoints.length === 0 && pair.every((p) => found.includes(p))
        : c.breakpoints.length === 0 && (oneChannel ? channels === 1 : channels >= 2);
    if (wanted) pool.push({ pool: name, id: Number(id), text });
  });
}
const random = seededRandom(seed);
for (let i = pool.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [pool[i], pool[j]] = [pool[j], pool[i]]; }
process.stderr.write(pair ? `${pool.length} reviews with ${pair.join(' and ')} but no breakpoint\n` : foundSide ? `${pool.length} reviews with a breakpoint\n` : `${pool.length} reviews with ${oneChannel ? 'one channel' : 'two channels'} and a contradiction or transfer sign but no breakpoint\n`);
for (const o of pool.slice(0, n)) process.stdout.write(JSON.stringify(o) + '\n');
