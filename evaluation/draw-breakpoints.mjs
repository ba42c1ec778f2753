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
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { printDraw, requireCorpora, unlabelledReviews } from './corpora.mjs';

requireCorpora('draw-breakpoints');
const [seed, n] = [Number(process.argv[2] ?? 20261209), Number(process.argv[3] ?? 150)];
const oneChannel = process.argv.includes('--one-channel');
const foundSide = process.argv.includes('--found');
const pairAt = process.argv.indexOf('--pair');
const pair = pairAt > 0 ? process.argv[pairAt + 1].split('+') : undefined;
// Signs of a contradiction or a transfer (used only to draw; labels come from reading).
const SIGN = /说好|承诺|显示|页面|网上写|写着|标着|宣传|客服说|客服称|告诉我|结果|却|实际|居然|竟然|让我找|让我去|让我联系|推给|推到|踢皮球|推来推去|互相推/;
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
const pool = [];
for (const review of unlabelledReviews()) {
  if (!foundSide && !pair && !SIGN.test(review.text)) continue;
  const c = classifier.classify({ id: 'b', text: review.text, brand: 'voc-eval' });
  const found = c.channels.map((m) => m.channel);
  const channels = new Set(found).size;
  const wanted = foundSide
    ? c.breakpoints.length > 0
    : pair
      ? c.breakpoints.length === 0 && pair.every((p) => found.includes(p))
      : c.breakpoints.length === 0 && (oneChannel ? channels === 1 : channels >= 2);
  if (wanted) pool.push(review);
}
printDraw(pool, seed, n, pair ? `with ${pair.join(' and ')} but no breakpoint` : foundSide ? 'with a breakpoint' : `with ${oneChannel ? 'one channel' : 'two channels'} and a contradiction or transfer sign but no breakpoint`);
