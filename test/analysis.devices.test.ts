/**
 * Reviews of devices and appliances (lexicon 1.9.0): "too much" of an aspect-dependent adjective
 * (太大, 有点小, 大了点, too small) complains whatever it describes; 偏 words lean too far; a missing
 * feature or improvement complains; the consumer-electronics words judge. Hand-written sentences,
 * exact outputs, and the cases each rule must leave alone.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import { createClassifier, type Classifier } from '../analysis/index.js';

const config = parseConfig({ brands: [{ id: 'shop', name: '星驰', aspectTaxonomy: 'retail' }] }, 'test config');
let classifier: Classifier;

beforeAll(() => {
  classifier = createClassifier(config);
});

const label = (text: string) => classifier.classify({ id: 't', text, brand: 'shop' }).sentiment.label;
const labels = (texts: string[]) => texts.map((t) => `${t} ${label(t)}`);

describe('excess: too much of what no aspect gives a meaning', () => {
  it('complains after 太, 有点, 略 at the end of a clause, and in 大了点 / 小了一些', () => {
    expect(labels(['屏幕太大了', '声音有点小', '机身略重', '机身大了点', '内存小了一些', 'too small for my hands'])).toEqual([
      '屏幕太大了 neg',
      '声音有点小 neg',
      '机身略重 neg',
      '机身大了点 neg',
      '内存小了一些 neg',
      'too small for my hands neg',
    ]);
  });

  it('leaves negated excess, exclamations, "by far" and the praising adjectives alone', () => {
    expect(labels(['屏幕不太大', '不会太重', '太多惊喜了', '方便太多了', '比超市便宜太多了', '太强了', '分量太足', '买的东西太多了，统一评价', '不能要求太高'])).toEqual([
      '屏幕不太大 neutral',
      '不会太重 neutral',
      '太多惊喜了 pos',
      '方便太多了 pos',
      '比超市便宜太多了 pos',
      '太强了 neutral',
      '分量太足 neutral',
      '买的东西太多了，统一评价 neutral',
      '不能要求太高 neutral',
    ]);
  });

  it('lets an aspect that gives the adjective a meaning decide', () => {
    // 性价比 has 高 as praise, 油耗 (car taxonomy) and 价格 have it as a complaint.
    expect(labels(['性价比有点高', '价格有点高'])).toEqual(['性价比有点高 pos', '价格有点高 neg']);
  });
});

describe('device words', () => {
  it('reads 偏 words, missing features and improvements that did not come', () => {
    expect(labels(['机身偏厚，屏幕偏暗', '我偏好这个颜色', '不支持长短信', '音质还是没有什么提升', '太脆弱了'])).toEqual([
      '机身偏厚，屏幕偏暗 neg',
      '我偏好这个颜色 neutral',
      '不支持长短信 neg',
      '音质还是没有什么提升 neg',
      '太脆弱了 neg',
    ]);
  });

  it('reads praise and complaints of image, speed, battery and build', () => {
    expect(labels(['拍照很锐利，色彩通透', '对焦跑焦，噪点多', '系统卡成PPT', '续航尿崩', '做工严丝合缝', '洗衣机甩不干'])).toEqual([
      '拍照很锐利，色彩通透 pos',
      '对焦跑焦，噪点多 neg',
      '系统卡成PPT neg',
      '续航尿崩 neg',
      '做工严丝合缝 pos',
      '洗衣机甩不干 neg',
    ]);
  });

  it('keeps the reliability descriptor of a breakdown', () => {
    const c = classifier.classify({ id: 't', text: '充电器用了一个月就坏了', brand: 'shop' });
    expect(c.descriptors.map((d) => `${d.word}:${d.promise}:${d.polarity}`)).toEqual(['坏了:reliable_quality:neg']);
  });
});
