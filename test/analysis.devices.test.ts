/**
 * Reviews of devices and appliances (lexicon 1.9.0): "too much" of an aspect-dependent adjective
 * (太大, 有点小, 大了点, too small) complains whatever it describes; 偏 words lean too far; a missing
 * feature or improvement complains; the consumer-electronics words judge; the `electronics` taxonomy
 * says what 大, 小, 高, 薄 mean for each part of a device, and a config or a SemEval category map can
 * give aspects such tables. Hand-written sentences, exact outputs, and the cases each rule must leave alone.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import { createClassifier, type Classifier } from '../analysis/index.js';
import { BUILTIN_MAPS, mapAspects } from '../analysis/eval/maps.js';
import { runSemevalEval } from '../analysis/eval/run.js';
import { defaultLexiconDir, loadLexicons } from '../analysis/lexicons.js';

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
      '分量太足 pos',
      '买的东西太多了，统一评价 neutral',
      '不能要求太高 neutral',
    ]);
  });

  it('weighs 了点 as "a bit": a positive review with a small flaw stays positive', () => {
    expect(labels(['感觉这苹果还可以，就是个子小了点。', '画质还可以，就是声音有点小'])).toEqual([
      '感觉这苹果还可以，就是个子小了点。 pos',
      '画质还可以，就是声音有点小 pos',
    ]);
  });

  it('lets an excess outweigh what the aspect says, but for 性价比太高, listed as praise', () => {
    // 性价比 has 高 as praise, 价格 as a complaint; 有点 says "too" even of what the aspect praises.
    expect(labels(['性价比太高了', '价格太高了', '价格有点高', '性价比有点高'])).toEqual(['性价比太高了 pos', '价格太高了 neg', '价格有点高 neg', '性价比有点高 neg']);
  });
});

describe('tastes and portions (food orders)', () => {
  it('reads too much of a taste as a complaint and a portion by its size', () => {
    expect(labels(['味道有点淡', '太咸了', '淡淡的清香', '分量比较足', '菜量太小了'])).toEqual([
      '味道有点淡 neg',
      '太咸了 neg',
      '淡淡的清香 neutral',
      '分量比较足 pos',
      '菜量太小了 neg',
    ]);
    const c = classifier.classify({ id: 't', text: '分量比较足', brand: 'shop' });
    expect(c.aspects.map((a) => `${a.aspect}:${a.polarity}`)).toEqual(['portion:pos']);
  });
});

describe('device words', () => {
  it('reads a shutdown the user set up as a feature, one that happens by itself as a fault', () => {
    expect(labels(['这个手机有自动关机功能，很实用', '设置了定时自动关机，很方便', '有自动关机的功能吗', '玩着玩着就自动关机了'])).toEqual([
      '这个手机有自动关机功能，很实用 pos',
      '设置了定时自动关机，很方便 pos',
      '有自动关机的功能吗 neutral',
      '玩着玩着就自动关机了 neg',
    ]);
  });

  it('reads 偏 words, missing features and improvements that did not come', () => {
    expect(labels(['机身偏厚，屏幕偏暗', '我偏好这个颜色', '不支持长短信', '音质还是没有什么提升', '太脆弱了'])).toEqual([
      '机身偏厚，屏幕偏暗 neg',
      '我偏好这个颜色 neutral',
      '不支持长短信 neg',
      '音质还是没有什么提升 neg',
      '太脆弱了 neg',
    ]);
  });

  it('complains of what cannot be done, not of what need not be, and of a lack told last', () => {
    expect(labels(['电池无法更换', '不能截屏', '没法联网', "can't connect to wifi", '能截屏', '不用安装', '无需下载', '电量不够，', '不够好'])).toEqual([
      '电池无法更换 neg',
      '不能截屏 neg',
      '没法联网 neg',
      "can't connect to wifi neg",
      '能截屏 neutral',
      '不用安装 neutral',
      '无需下载 neutral',
      '电量不够， neg',
      '不够好 neg',
    ]);
  });

  it('complains of a feature the product lacks, not of one asked about', () => {
    expect(labels(['没有FM模块。', '电话本：没有搜索功能，', '没有关闭返回键和主页键震动的选项。', '不知道有没有这个功能', '功能很多'])).toEqual([
      '没有FM模块。 neg',
      '电话本：没有搜索功能， neg',
      '没有关闭返回键和主页键震动的选项。 neg',
      '不知道有没有这个功能 neutral',
      '功能很多 neutral',
    ]);
  });

  it('reads "worse than another" as a complaint, not "rather"', () => {
    expect(labels(['但细节不如iphone4。', '清晰度比不上强机', '与其说是小说，不如说是散文'])).toEqual([
      '但细节不如iphone4。 neg',
      '清晰度比不上强机 neg',
      '与其说是小说，不如说是散文 neutral',
    ]);
  });

  it('reads "not as good as" across what is compared, and a fault that never showed as praise', () => {
    expect(labels(['感觉音质没有我的5320好，', '果子没有图片上好看', '没有想到这么好', '刚收到货，还没吃看着不错', '没有发票差评', '卡顿或死机现象一直没有出现，', '界面华丽绝无卡顿', '原装电池最少能用两天，'])).toEqual([
      '感觉音质没有我的5320好， neg',
      '果子没有图片上好看 neg',
      '没有想到这么好 pos',
      '刚收到货，还没吃看着不错 pos',
      '没有发票差评 neg',
      '卡顿或死机现象一直没有出现， pos',
      '界面华丽绝无卡顿 pos',
      '原装电池最少能用两天， neutral',
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

describe('the electronics taxonomy', () => {
  const electronics = () =>
    createClassifier(parseConfig({ brands: [{ id: 'phone', name: '星驰手机', aspectTaxonomy: 'electronics' }] }, 'test config'));
  let device: Classifier;
  beforeAll(() => {
    device = electronics();
  });
  const judged = (text: string) => {
    const c = device.classify({ id: 't', text, brand: 'phone' });
    return `${text} ${c.sentiment.label} ${c.aspects.map((a) => `${a.aspect}:${a.polarity}`).join(',')}`;
  };

  it('gives each part the meaning of its adjectives', () => {
    expect(['屏幕很大', '分辨率高', '声音很小', '噪音很大', '机身很薄', '续航很长', '耗电很快', '内存很大', '信号很弱', '吸力很强'].map(judged)).toEqual([
      '屏幕很大 pos display:pos',
      '分辨率高 pos display:pos',
      '声音很小 neg audio:neg',
      '噪音很大 neg noise:neg',
      '机身很薄 pos design:pos',
      '续航很长 pos battery:pos',
      '耗电很快 neg battery:neg',
      '内存很大 pos storage:pos',
      '信号很弱 neg connectivity:neg',
      '吸力很强 pos effectiveness:pos',
    ]);
  });

  it('reads 厉害 as the part says (发热厉害 complains), and words inside an idiom jieba keeps whole (色彩艳丽)', () => {
    expect(['发热有点厉害', '耗电很厉害', '太厉害了', '色彩艳丽。', '阳光下清晰度高'].map(judged)).toEqual([
      '发热有点厉害 neg heat:neg',
      '耗电很厉害 neg battery:neg',
      '太厉害了 neutral ',
      '色彩艳丽。 pos display:pos',
      '阳光下清晰度高 pos display:pos',
    ]);
  });

  it('lets an excess outweigh the praise of the part (屏幕太大, 软件太多)', () => {
    expect(['屏幕有点大', '屏幕大了点', '屏幕太大了', '预装的软件太多', '性价比太高了'].map(judged)).toEqual([
      '屏幕有点大 neg display:neg',
      '屏幕大了点 neg display:neg',
      '屏幕太大了 neg display:neg',
      '预装的软件太多 neg software:neg',
      '性价比太高了 pos price:pos',
    ]);
  });

  it('takes adjective tables from the config: a new aspect, and a shipped table overridden word by word', () => {
    const custom = createClassifier(
      parseConfig(
        {
          brands: [{ id: 'phone', name: '星驰手机', aspectTaxonomy: 'electronics' }],
          aspects: {
            electronics: {
              display: { polar: { 大: 'neg' } },
              strap: { keywords: ['表带'], polar: { 软: 'pos', 硬: 'neg' }, label: { 'zh-CN': '表带', en: 'Strap' } },
            },
          },
        },
        'test config',
      ),
    );
    const run = (text: string) => custom.classify({ id: 't', text, brand: 'phone' }).aspects.map((a) => `${a.aspect}:${a.polarity}`);
    expect(run('屏幕很大')).toEqual(['display:neg']);
    expect(run('分辨率高')).toEqual(['display:pos']);
    expect(run('表带很硬')).toEqual(['strap:neg']);
    expect(custom.lexicons.aspects.electronics!.strap!.label).toEqual({ 'zh-CN': '表带', en: 'Strap' });
    expect(custom.lexiconVersion).not.toBe(device.lexiconVersion);
  });

  it('refuses an adjective table that is not pos or neg, naming the field', () => {
    expect(() => parseConfig({ aspects: { electronics: { display: { polar: { 大: 'good' } } } } }, 'voc.config.yaml')).toThrow(
      'voc.config.yaml: aspects.electronics.display: expected a list of keywords, or { keywords: [...], polar: { adjective: pos or neg }, label: { zh-CN, en } }',
    );
  });
});

describe('SemEval category maps take the tables of the electronics taxonomy', () => {
  it('joins the tables the map names and leaves a map without them to its keywords', () => {
    const lexicons = loadLexicons();
    const phone = mapAspects(BUILTIN_MAPS.phone!, lexicons);
    expect(phone.display).toEqual({ keywords: BUILTIN_MAPS.phone!.aspects.display, polar: lexicons.aspects.electronics!.display!.polar });
    expect((phone.multimedia as { polar: Record<string, string> }).polar).toMatchObject({ 高: 'pos', 小: 'neg' });
    const own = { name: 'mine', taxonomy: 'mine', aspects: { screen: ['屏幕'] }, categories: { 'DISPLAY#*': 'screen' } };
    expect(mapAspects(own, lexicons)).toEqual({ screen: ['屏幕'] });
  });
});

describe('lexicon 1.9.0', () => {
  it('a folder written before 1.9 (no excess, capability or feature lists) still loads and reads as before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-lex-'));
    cpSync(defaultLexiconDir(), dir, { recursive: true });
    const file = join(dir, 'sentiment.yaml');
    let text = readFileSync(file, 'utf8');
    for (const key of ['excess', 'excessAdjectives', 'capabilities', 'inability', 'features', 'absence'])
      text = text.replace(new RegExp(`^${key}:[^\\]]*\\]`, 'm'), '');
    writeFileSync(file, text);
    const lex = loadLexicons(dir);
    expect([lex.sentiment.excess, lex.sentiment.capabilities, lex.sentiment.features]).toEqual([[], [], []]);
    const old = createClassifier(config, { lexiconDir: dir });
    const read = (t: string) => old.classify({ id: 't', text: t, brand: 'shop' }).sentiment.label;
    // Without the lists these judge nothing, as before 1.9.0; the words of the folder still judge.
    expect([read('屏幕太大了'), read('电池无法更换'), read('没有FM模块。'), read('拍照很锐利')]).toEqual(['neutral', 'neutral', 'neutral', 'pos']);
  });
});

describe('voc eval semeval with a built-in device map', () => {
  it('reads 屏幕很大 and 声音很小 as the electronics tables say', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voc-semeval-'));
    const file = join(dir, 'phones.xml');
    const sentence = (id: string, text: string, category: string, polarity: string) =>
      `<sentence id="${id}"><text>${text}</text><Opinions><Opinion category="${category}" polarity="${polarity}"/></Opinions></sentence>`;
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><Reviews><Review rid="1"><sentences>${sentence('1:0', '屏幕很大。', 'DISPLAY#GENERAL', 'positive')}${sentence('1:1', '外放声音很小。', 'MULTIMEDIA_DEVICES#GENERAL', 'negative')}</sentences></Review></Reviews>`,
    );
    const { result } = runSemevalEval({ config: parseConfig({}), data: file, map: 'phone' });
    expect(result.sentence_sentiment).toMatchObject({ n: 2, accuracy: 1 });
    expect(result.polarity).toEqual({ micro_f1: 1 });
  });
});

describe('a supposition judges nothing', () => {
  it('a clause opened by a conditional is no verdict; what follows it still is', () => {
    expect(labels(['要是用不了可以给家人用', '如果质量不好就退货', '要是有蓝牙就好了', '如果有问题，售后很方便', '质量不好，只能退货'])).toEqual([
      '要是用不了可以给家人用 neutral',
      '如果质量不好就退货 neutral',
      '要是有蓝牙就好了 neutral',
      '如果有问题，售后很方便 pos',
      '质量不好，只能退货 neg',
    ]);
  });
});
