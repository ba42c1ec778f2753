// Draws a question-targeted tuning sample: reviews of the two sentiment corpora that the current
// classifier calls a question, none of them in the dev gold set or any labelled file of evaluation/,
// printed as JSON lines {"pool", "id", "text"} (labelled like the other samples, with
// annotation-brief.md). It measures and improves question precision; it is not a check sample
// (it is drawn by the classifier's own output).
//
// With --missed it draws the other side, for recall: reviews the classifier does NOT call a
// question although they hold a question mark or an asking word (请问, 为什么, 怎么, 吗, 有没有...).
//
//   node evaluation/draw-questions.mjs SEED N > sample.jsonl      (after npx tsc; R: SEED 20261223, N 150)
//   node evaluation/draw-questions.mjs SEED N --missed > sample.jsonl   (V: SEED 20261207, N 150)
import { loadConfig } from '../dist/core/config.js';
import { evalClassifier } from '../dist/analysis/eval/run.js';
import { printDraw, requireCorpora, unlabelledReviews } from './corpora.mjs';

requireCorpora('draw-questions');
const [seed, n] = [Number(process.argv[2] ?? 20261223), Number(process.argv[3] ?? 150)];
const missed = process.argv.includes('--missed');
// Signs that a review may ask something (used only to draw; labels come from reading).
const ASKING = /[?？]|请问|为什么|为啥|怎么|咋|如何|吗|有没有|能不能|可不可以|是不是|什么时候|哪里|谁能|求助|求解/;
const classifier = evalClassifier({ config: loadConfig().config }, 'retail');
const pool = [];
for (const review of unlabelledReviews()) {
  const asked = classifier.classify({ id: 'q', text: review.text, brand: 'voc-eval' }).question.isQuestion;
  if (missed ? !asked && ASKING.test(review.text) : asked) pool.push(review);
}
printDraw(pool, seed, n, missed ? 'with an asking sign not called a question' : 'called a question');
