/**
 * Open-vocabulary word use (issue 3, item 5): the adjectives and verbs outside the lexicon, with
 * jieba's part of speech, attributed to the channel they are said about. Hand-written sentences
 * with exact expectations (the segmentation is jieba's, with voc's user dictionary).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import nodejieba from 'nodejieba';
import { parseConfig } from '../core/config.js';
import { createClassifier, type Classifier } from '../analysis/index.js';
import { openWordTags } from '../analysis/open-words.js';

let classifier: Classifier;

beforeAll(() => {
  classifier = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰' }] }, 'test config'));
});

const words = (text: string) =>
  classifier.classify({ id: 't', text, brand: 'b' }).openWords!.map((w) => `${w.channel}:${w.negated ? '不·' : ''}${w.word}/${w.pos}`);

describe('open-vocabulary words', () => {
  it('reads the adjectives and verbs about a channel, with evidence in the original text', () => {
    expect(words('售后说要先申请，审核通过才给补发。')).toEqual(['after_sales:申请/verb', 'after_sales:审核/verb', 'after_sales:补发/verb']);
    const hit = classifier.classify({ id: 't', text: '　售后说要先申请', brand: 'b' }).openWords![0]!;
    expect(hit.evidence).toEqual({ start: 6, end: 8, text: '申请' });
  });

  it('marks a word right after a negator, or after a negator and a degree word', () => {
    expect(words('快递员要求我下楼去取，还不通知。')).toEqual(['delivery:要求/verb', 'delivery:下楼/verb', 'delivery:去取/verb', 'delivery:不·通知/verb']);
    expect(words('门店店员不太清楚这个活动。')).toEqual(['store:不·清楚/adj']);
  });

  it('leaves out words the lexicon reads (太慢 holds 慢), words of the stoplist, and questions', () => {
    expect(words('送餐太慢了，骑手挺快的')).toEqual([]);
    expect(words('客服一直不回答，我觉得很无奈。')).toEqual(['customer_service:不·回答/verb']);
    expect(words('请问售后可以补发吗？')).toEqual([]);
  });

  it('gives nothing when no channel is in reach: a product judged on its own', () => {
    expect(words('手机屏幕偶尔闪退，售后还行')).toEqual([]);
    expect(words('这个牌子的吹风机特别好用')).toEqual([]);
  });

  it('counts a word once per channel and negation in a post', () => {
    expect(words('客服让我申请，申请了三次，每次都要申请。')).toEqual(['customer_service:申请/verb']);
  });

  it('agrees with nodejieba.tag for dictionary words outside voc’s user dictionary', () => {
    const tags = openWordTags();
    // The tag families are jieba's own: what nodejieba.tag answers for the same words.
    for (const { word, tag } of nodejieba.tag('物流显示已签收，但是商家拒绝重发，解释得也不清楚')) {
      const family = tags.get(word);
      if (['a', 'ad', 'an'].includes(tag) && word.length >= 2) expect(family).toBe('adj');
      else if (['v', 'vd', 'vi'].includes(tag) && word.length >= 2) expect(family).toBe('verb');
      else expect(family).toBeUndefined();
    }
    expect(tags.get('签收')).toBe('verb');
    expect(tags.get('清楚')).toBe('adj');
  });

  it('reads nothing in empty, emoji-only and English posts', () => {
    expect(words('')).toEqual([]);
    expect(words('😡😡😡')).toEqual([]);
    expect(words('The store staff ignored me and the hotline never answered.')).toEqual([]);
  });
});
