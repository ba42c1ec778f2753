/**
 * Small synthetic, separable data sets for the model tests, written for them (no corpus text):
 * sentiment reviews whose label follows their sentiment words, and car posts whose subjects follow
 * their keywords. The test parts use combinations never seen in training.
 */
import { seededRandom } from '../analysis/model/random.js';
import type { AspectExample, SubjectSentiment } from '../analysis/model/aspect-model.js';
import type { SentimentExample } from '../analysis/model/sentiment-model.js';

const POSITIVE = ['好吃', '满意', '推荐', '喜欢', '新鲜', '实惠', '给力', '贴心'];
const NEGATIVE = ['难吃', '失望', '差劲', '退货', '太慢', '变质', '坑人', '敷衍'];
const FILLER = ['这家店', '今天中午', '外卖', '米饭', '包装', '老板', '分量', '点了两份', '下次', '周末', '同事', '晚饭'];

function pick<T>(rand: () => number, list: T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function review(rand: () => number, words: string[]): string {
  return `${pick(rand, FILLER)}${pick(rand, words)}，${pick(rand, FILLER)}${pick(rand, words)}。`;
}

/**
 * 60 training reviews (30 per label) and 20 test reviews: 10 positive, 8 negative and 2 written
 * with positive words but labelled 0, which no model can get right (accuracy exactly 18/20).
 */
export function sentimentExamples(): { train: SentimentExample[]; test: SentimentExample[] } {
  const rand = seededRandom(11);
  const train: SentimentExample[] = [];
  for (let i = 0; i < 60; i++) train.push(i % 2 ? { text: review(rand, POSITIVE), label: '1' } : { text: review(rand, NEGATIVE), label: '0' });
  const test: SentimentExample[] = [];
  for (let i = 0; i < 10; i++) test.push({ text: review(rand, POSITIVE), label: '1' });
  for (let i = 0; i < 8; i++) test.push({ text: review(rand, NEGATIVE), label: '0' });
  test.push({ text: review(rand, POSITIVE), label: '0' }, { text: review(rand, POSITIVE), label: '0' });
  return { train, test };
}

/** The sentiment examples as CSV text (`label,review`), as `voc train sentiment` reads them. */
export function sentimentCsv(examples: SentimentExample[]): string {
  return 'label,review\n' + examples.map((e) => `${e.label},"${e.text.replace(/"/g, '""')}"`).join('\n') + '\n';
}

const SUBJECTS: Record<string, string[]> = {
  价格: ['价格', '售价', '优惠'],
  动力: ['动力', '马力', '加速'],
  外观: ['外观', '颜值', '造型'],
};
const OPINION: Record<SubjectSentiment, string[]> = {
  1: ['很好', '满意', '没得说', '漂亮'],
  [-1]: ['太差', '失望', '垃圾', '难看'],
  0: ['怎么样', '是多少', '有人了解吗'],
};

function post(rand: () => number, subjects: string[], sentiment: SubjectSentiment): AspectExample {
  const parts = subjects.map((s) => `${pick(rand, ['这车', '我的车', '新款', '老款'])}的${pick(rand, SUBJECTS[s]!)}${pick(rand, OPINION[sentiment])}`);
  return { text: parts.join('，') + '。', labels: subjects.map((subject) => ({ subject, sentiment })) };
}

/** 120 training posts with one or two subjects (one sentiment per post) and 9 test posts. */
export function aspectExamples(): { train: AspectExample[]; test: AspectExample[] } {
  const rand = seededRandom(5);
  const names = Object.keys(SUBJECTS);
  const sentiments: SubjectSentiment[] = [1, -1, 0];
  const train: AspectExample[] = [];
  for (let i = 0; i < 120; i++) {
    const first = names[i % 3]!;
    const subjects = i % 4 === 3 ? [first, names[(i + 1) % 3]!] : [first];
    train.push(post(rand, subjects, sentiments[Math.floor(i / 3) % 3]!));
  }
  const test: AspectExample[] = [];
  for (let i = 0; i < 9; i++) test.push(post(rand, i % 3 === 2 ? [names[i % 3]!, names[(i + 2) % 3]!] : [names[i % 3]!], sentiments[i % 3]!));
  return { train, test };
}
