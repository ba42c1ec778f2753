/**
 * Signals issue 3 names that had no test of their own: kaomoji, @mentions kept out of the analysis,
 * 网站 in an unrelated sense, rhetorical questions, binary data read as text, Latin words kept whole
 * by the segmenter, and an online order the store refuses to take back. Written sentences.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import { createClassifier, scenarioLabel, type Classifier } from '../analysis/index.js';
import { segment, USER_WORD_FREQ } from '../analysis/segment.js';
import { jiebaFrequencies } from '../analysis/jieba-dictionary.js';
import { seededRandom } from '../analysis/model/random.js';

let classifier: Classifier;
beforeAll(() => {
  classifier = createClassifier(parseConfig({ brands: [{ id: 'b', name: '星驰' }] }, 'test config'));
});
const run = (text: string) => classifier.classify({ id: 't', text, brand: 'b' });

/** `n` bytes from a seeded generator, read as text the way a bad crawl would. */
function randomBytes(n: number, seed: number): Buffer {
  const rand = seededRandom(seed);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

describe('signals', () => {
  it('reads kaomoji as sentiment, full-width forms included', () => {
    expect(run('(╥﹏╥)').sentiment.label).toBe('neg');
    expect(run('等了三天QAQ').sentiment.label).toBe('neg');
    expect(run('≧▽≦').sentiment.label).toBe('pos');
    expect(run('收到了＾＿＾').sentiment.label).toBe('pos');
  });

  it('keeps @mentions out of the analysis text (a handle naming a channel is no mention of it)', () => {
    expect(run('客服小王态度很好').channels.map((c) => c.channel)).toEqual(['customer_service']);
    expect(run('@客服小王 东西很好用').channels).toEqual([]);
  });

  it('does not take 网站 in an unrelated sense for the website', () => {
    expect(run('新闻网站报道了这款车').channels).toEqual([]);
  });

  it('reads a rhetorical question as the statement it makes', () => {
    expect(run('这不是忽悠人吗').sentiment.label).toBe('neg');
  });

  it('reads a complaint made only by asking (说好的…呢？ 凭什么？ 为什么没…？) as negative, and blames what it names', () => {
    for (const text of ['说好的赠品呢？', '付了一样的钱，凭什么？', '我订的是套餐，怎么只给我送单点的？', '为什么没给我开发票？', 'Why is there no spoon?'])
      expect([text, run(text).sentiment.label]).toEqual([text, 'neg']);
    expect(run('不是说好送到家吗？快递员怎么只送到楼下？').channels.map((c) => `${c.channel}:${c.polarity}`)).toEqual(['delivery:neg']);
    // A why-question may also ask: it stays a question, and complains.
    const asked = run('为什么没有勺子？有谁知道吗？');
    expect([asked.question.isQuestion, asked.sentiment.label]).toEqual([true, 'neg']);
    // A sentence that already judges gets no second complaint, and a praising review reflects or jokes.
    expect(run('质量太差了，为什么不给发票？').sentiment.score).toBe(run('质量太差了，不给发票。').sentiment.score);
    expect(run('故事写得非常好，感人至深，这还算爱吗？').sentiment.label).toBe('pos');
    // A plain question is not a complaint.
    expect(run('这款有黑色的吗？').sentiment.label).toBe('neutral');
  });

  it('gives binary data read as text lang other and no labels', () => {
    for (const encoding of ['utf8', 'latin1'] as const) {
      const c = run(randomBytes(4000, encoding === 'utf8' ? 1 : 2).toString(encoding));
      expect(c.lang).toBe('other');
      expect([c.channels, c.descriptors, c.aspects, c.scenarios, c.breakpoints, c.openWords]).toEqual([[], [], [], [], [], []]);
      expect(c.sentiment).toEqual({ label: 'neutral', score: 0 });
      expect(c.spam).toBe(false);
    }
    // A control character in a real post does not make it binary.
    expect(run('客服态度很好\u0000，门店也不错').lang).toBe('zh');
  });

  it('gives Japanese lang other and no labels, while Chinese borrowing の or a katakana name stays Chinese', () => {
    const ja = run('このお店の店員さんはとても親切でした。価格も安いです。');
    expect([ja.lang, ja.channels, ja.sentiment.label]).toEqual(['other', [], 'neutral']);
    expect(run('我の天，这家店服务太好了').lang).toBe('zh');
    expect(run('ヤマト运输的快递很快').channels.map((c) => `${c.channel}:${c.polarity}`)).toEqual(['delivery:pos']);
    // Kaomoji written with katakana (ヽ ノ ﾟ) or a hiragana っ are sentiment, not Japanese.
    for (const [text, label] of [['ヽ(✿ﾟ▽ﾟ)ノ', 'pos'], ['好评ヽ(✿ﾟ▽ﾟ)ノ', 'pos'], ['气死了(╯‵□′)╯︵┻━┻', 'neg']] as const) {
      const c = run(text);
      expect([text, c.lang === 'other' && c.sentiment.label === 'neutral', c.sentiment.label]).toEqual([text, false, label]);
    }
  });

  it('keeps Latin product names whole in the segmentation (cut with HMM)', () => {
    // 好用 stays whole too: it is a lexicon word in the segmenter's user dictionary.
    expect([...segment('我的iPhone15很好用').words]).toEqual(['我', '的', 'iPhone15', '很', '好用']);
  });

  it('leaves jieba its own frequency for lexicon words it rates higher than the user dictionary would', () => {
    // 不是, 快递, 没有 and 系统 are lexicon words. 快递 (jieba: 100) is raised to keep it whole;
    // 不是 (jieba: far above 3,000) must not be lowered, or jieba cuts 不|是 and 快|递给|力 around them.
    const freq = jiebaFrequencies(new Set(['不是', '快递', '系统', '没有', '星驰不存在']));
    expect(freq.get('系统')).toBe(20602);
    expect(freq.get('快递')).toBeLessThan(USER_WORD_FREQ);
    expect(freq.get('不是')).toBeGreaterThan(USER_WORD_FREQ);
    expect(freq.has('星驰不存在')).toBe(false);
    expect([...segment('青笋也不是酸的').words]).toEqual(['青笋', '也', '不是', '酸', '的']);
    expect([...segment('快递给力').words]).toEqual(['快递', '给力']);
  });

  it('finds the hand-off when the store refuses to take back an online order', () => {
    expect(run('官网下单的，门店拒绝退货').breakpoints.map((b) => `${b.kind}:${[...b.channels].sort().join('+')}:${b.cue}`)).toEqual([
      'handoff:store+website:transfer_refused',
    ]);
  });
});

describe('scenarios linked to their pain point or praise', () => {
  it('names the channels and aspects the scenario sentence judges, with the strongest judging word', () => {
    const car = createClassifier(parseConfig({ brands: [{ id: 'car', name: '星驰', aspectTaxonomy: 'car' }] }, 'test config'));
    const linked = (text: string, brand = 'b') =>
      (brand === 'car' ? car : classifier).classify({ id: 't', text, brand }).scenarios.map((s) => [s.scenario, s.polarity, s.linked]);
    expect(linked('双手提着购物袋，门店的自动门却打不开，店员也不帮忙。')).toEqual([
      ['hands_full', 'neg', { aspects: [], channels: ['store'], evidence: { start: 15, end: 18, text: '打不开' } }],
    ]);
    expect(linked('下雨天骑手送得很快，点赞！')).toEqual([['rainy', 'pos', { aspects: [], channels: ['delivery'], evidence: { start: 8, end: 9, text: '快' } }]]);
    expect(linked('冬天空调很给力', 'car')).toEqual([['winter', 'pos', { aspects: ['comfort'], channels: [], evidence: { start: 5, end: 7, text: '给力' } }]]);
    expect(linked('冬天开车去上班')).toEqual([['winter', 'neutral', { aspects: [], channels: [], evidence: null }]]);
  });
});

describe('scenarios: usage contexts, not purchase times', () => {
  const ids = (text: string) => run(text).scenarios.map((s) => s.scenario);
  it('does not take the time an order was placed for a usage context', () => {
    expect(ids('晚上下单，第二天上午就送到了')).toEqual([]);
    expect(ids('周日下的单，周五才到')).toEqual([]);
    // A time the product is used in stays one.
    expect(ids('晚上用起来很安静')).toEqual(['night']);
  });

  it('does not take the time of day in an order\'s or a delivery\'s clause for a usage context', () => {
    expect(ids('头一天晚上拍的，第二天上午就到了')).toEqual([]);
    expect(ids('中午订货，晚上送到家，效率真高')).toEqual([]);
    expect(ids('结果晚上8点快递小哥送了过来')).toEqual([]);
    // The time of a visit to a shop, a night service and other times (a holiday) stay contexts.
    expect(ids('晚上去门店买东西，一半的灯都关了')).toEqual(['night']);
    expect(ids('夜间配送几点截止？')).toEqual(['night']);
    expect(ids('国庆假期配送爆单，下午下的单第二天晚上才送到')).toEqual(['holiday']);
  });

  it('does not take a night in the clause of the order\'s own words (scenarios.yaml orderJourney) for a usage context', () => {
    expect(ids('头天晚上下的订单，第二天中午就到货了')).toEqual([]);
    expect(ids('晚上十点多了还在送快递，辛苦了')).toEqual([]);
    expect(ids('客服说早上会送，结果晚上送的')).toEqual([]);
    expect(ids('下午定的晚上就到了，很快')).toEqual([]);
    // A night of use stays one, in a post about delivery too.
    expect(ids('快递很快，晚上睡觉的时候噪音很大')).toEqual(['night', 'sleep']);
  });

  it('does not take where a parcel was left (送到家门口, 放到楼下) for a usage context', () => {
    expect(ids('快递直接送到家门口，很方便')).toEqual([]);
    expect(ids('快递员把东西放到楼下小卖铺就走了')).toEqual([]);
    // Without a delivery in its clause the place stays one.
    expect(ids('小区里信号不好，经常断线')).toEqual(['neighbourhood']);
  });

  it('does not take a hotel\'s rooms or a long way of another kind for a usage context', () => {
    // 卫生间 is what a hotel is judged by; 洗澡时 is what the guest was doing.
    expect(ids('酒店的卫生间很小，洗澡时水忽冷忽热')).toEqual(['bathroom']);
    expect(run('酒店的卫生间很小，洗澡时水忽冷忽热').scenarios[0]!.evidence.text).toBe('洗澡');
    expect(ids('卫生间很潮，这个除湿机很管用')).toEqual(['bathroom']);
    // An activity the reviewer does not do is none of their contexts.
    expect(ids('我不玩游戏，平时就看看文件')).toEqual([]);
    expect(ids('不怎么玩游戏，看电影很清楚')).toEqual(['videos']);
    // 长途跋涉 and 长途电话 are no road trip; 长途开车 and 跑长途 are.
    expect(ids('网店还要长途跋涉去别的地区')).toEqual([]);
    expect(ids('国庆长途开四五个小时也不累')).toEqual(['holiday', 'road_trip']);
  });

  it('finds buying for someone else, a scorching sun and heavy rain', () => {
    expect(ids('给别人买的，还没用')).toEqual(['gift']);
    expect(ids('顶着烈日送来，辛苦了')).toEqual(['hot_weather']);
    expect(ids('下很大的雨还准时送到')).toEqual(['rainy']);
    // Calls are a usage context of a phone (a new scenario id, labelled in both languages).
    expect(ids('打电话时声音太小，听不清')).toEqual(['calls']);
    expect(run('打电话时声音太小，听不清').channels).toEqual([]);
    // A call to a touchpoint is a contact, not a use of the phone.
    expect(ids('给客服打电话时一直占线')).toEqual([]);
    expect(run('给客服打电话时一直占线').channels.map((m) => m.channel)).toEqual(['customer_service']);
    expect(scenarioLabel('calls', 'zh-CN')).toBe('通话');
    expect(scenarioLabel('calls', 'en')).toBe('Phone calls');
  });

  it('finds gaming, watching videos, work and smog', () => {
    expect(ids('买来玩王者的，一点都不卡')).toEqual(['gaming']);
    expect(ids('屏幕很大，看电影很清楚')).toEqual(['videos']);
    expect(ids('上班用的，办公很流畅')).toEqual(['work_study']);
    expect(ids('物流慢了点，可能是雾霾的影响')).toEqual(['smog']);
  });

  it('finds for whom it was bought, the weather, sleep, music, the dorm, a banquet, in Chinese and English', () => {
    expect(ids('买给妈妈的，她说字很大')).toEqual(['with_elderly']);
    expect(ids('帮朋友买的，朋友很满意')).toEqual(['gift']);
    expect(ids('给女朋友买的，很喜欢')).toEqual(['family']);
    expect(ids('大冷天快递员准时送到，辛苦了')).toEqual(['winter']);
    expect(ids('这么恶劣的天气还能准时送达')).toEqual(['bad_weather']);
    expect(ids('睡觉的时候一点噪音都没有')).toEqual(['sleep']);
    expect(ids('听音乐音质很好')).toEqual(['music']);
    expect(ids('放在宿舍用刚刚好')).toEqual(['dorm']);
    expect(ids('摆酒席用的酒，结果没赶上')).toEqual(['celebration']);
    expect(ids('Bought it as a gift for a friend, she uses it in the shower')).toEqual(['gift', 'bathroom']);
  });

  it('does not take shop staff or an event date for a scenario', () => {
    // 小姐姐 is how reviewers call the staff, not a sister; 今晚 dates the launch; 试驾车 is no driving scenario.
    expect(ids('客服小姐姐很耐心，马上帮我补发了')).toEqual([]);
    expect(ids('今晚直播正式发布了自动泊车')).toEqual([]);
    expect(ids('到展厅销售说根本没有试驾车')).toEqual([]);
    // A phone's overheating (发烧, 热得发烫) is no illness and no weather.
    expect(ids('手机发烧严重，电池也不耐用')).toEqual([]);
    expect(ids('充电的时候热得发烫')).toEqual([]);
  });
});

describe('channel stance evidence', () => {
  it('points at the strongest word that gave each channel its polarity', () => {
    const c = run('客服态度很敷衍，门店倒是很热情');
    expect(c.channels.map((m) => [m.channel, m.polarity, m.evidence.text, m.stanceEvidence])).toEqual([
      ['customer_service', 'neg', '客服', { start: 5, end: 7, text: '敷衍' }],
      ['store', 'pos', '门店', { start: 13, end: 15, text: '热情' }],
    ]);
    // A neutral place of purchase has none.
    expect(run('在京东买的，东西不错').channels.map((m) => [m.channel, m.polarity, m.stanceEvidence])).toEqual([['marketplace', 'neutral', undefined]]);
  });

  it('does not take the trust a complaint recalls (一直都挺信赖京东…这次…失望) for praise of the channel now', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity, m.stanceEvidence?.text]);
    // The old trust is the backdrop of the complaint: the platform takes the review's verdict.
    expect(stance('京东买东西好几年了，一直都挺信赖京东的品质的。这次买水果结果太让我失望了')).toEqual([['marketplace', 'neg', undefined]]);
    // Without a later complaint the trust stands.
    expect(stance('一直很信赖京东，这次买的水果也很新鲜')).toEqual([['marketplace', 'pos', '信赖']]);
  });

  it('reads where the customer will buy from now on (以后还是去实体店吧) as praise of that touchpoint', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity, m.stanceEvidence?.text]);
    expect(stance('第二次从京东买手机，以后还是去实体店吧')).toEqual([
      ['marketplace', 'neutral', undefined],
      ['store', 'pos', '以后还是去实体店吧'],
    ]);
    expect(stance('品质也不错，以后的水果就在京东买了。')).toEqual([['marketplace', 'pos', '以后的水果就在京东买了']]);
    // The choice judges the channel, not the goods: the post stays neutral.
    expect(run('以后就认准京东了').sentiment.label).toBe('neutral');
    // Not a choice: a negation, a clause that goes on, a question.
    expect(stance('以后再也不在京东买了')).toEqual([['marketplace', 'neg', '以后再也不']]);
    expect(stance('以后在京东买东西要小心')).toEqual([['marketplace', 'neutral', undefined]]);
    expect(stance('以后可以在京东买吗？')).toEqual([['marketplace', 'neutral', undefined]]);
    // …and a rhetorical one (还能…吗) doubts the channel: a complaint made by asking.
    expect(stance('以后还能在京东买吗？')).toEqual([['marketplace', 'neg', undefined]]);
    // A present habit, advice and forgiveness name a touchpoint the review stands by.
    expect(stance('现在家里东西都在京东买了！')).toEqual([['marketplace', 'pos', '现在家里东西都在京东买了']]);
    expect(stance('建议生鲜果品到实体店。')).toEqual([['store', 'pos', '建议生鲜果品到实体店']]);
    expect(stance('像素差，就是看在快递小哥的份上就算了')).toEqual([['delivery', 'pos', '看在快递小哥的份上就算了']]);
    // Not: a past purchase (还是在京东买了), what is left of a platform (现在京东就剩物流了？).
    expect(stance('我还是在京东买了')).toEqual([['marketplace', 'neutral', undefined]]);
    expect(run('是京东作死呢。现在京东就剩物流了？').channels.find((m) => m.channel === 'delivery')?.polarity).not.toBe('pos');
  });

  it('leaves the customer\'s own decisive return (果断退货, 提交退货) unjudged in a complaint, like 申请退货', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity]);
    expect(stance('用了三次头皮就发痒，我也是醉了，果断退货了')).toEqual([['after_sales', 'neutral']]);
    expect(stance('水果都脱水了，太失望了，已经提交退货了')).toEqual([['after_sales', 'neutral']]);
    // A return the review judges keeps its stance.
    expect(stance('水果都脱水了，太失望了，退货太麻烦了')).toEqual([['after_sales', 'neg']]);
  });

  it('lets a rating at a clause end rate the touchpoint right before it (京东客服差评), and reads 严重批评 as a complaint', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity, m.stanceEvidence?.text]);
    expect(stance('京东客服差评')).toEqual([['customer_service', 'neg', '差评']]);
    expect(stance('东西还行，快递好评')).toEqual([['delivery', 'pos', '好评']]);
    // Not a channel further back, nor where people talk (吐槽 is no rating).
    // (客服告知好评给35差价: the agent takes the post's verdict, judged by no word of its own.)
    expect(stance('客服告知好评给35差价')).toEqual([['customer_service', 'pos', undefined]]);
    expect(stance('好多人在微博上吐槽')).toEqual([['social_media', 'neutral', undefined]]);
    expect(stance('东西倒还可以，严重批评京东快递员，送来就往前台一扔')).toContainEqual(['delivery', 'neg', '严重批评']);
  });

  it('reads a one-star rating awarded to a touchpoint (一星是给快递小哥的) as praise of it, not of others', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity, m.stanceEvidence?.text]);
    const awarded = run('平板太卡了，一颗星给京东送货的');
    // The review still gives one star.
    expect(awarded.sentiment.label).toBe('neg');
    expect(stance('平板太卡了，一颗星给京东送货的')).toEqual([['delivery', 'pos', '一颗星给京东送货的']]);
    expect(stance('一星是给快递小哥的，东西太差了')).toEqual([['delivery', 'pos', '一星是给快递小哥的']]);
    // Rating a touchpoint one star (给…一星) is no award.
    expect(stance('给京东一星，太差了')).toEqual([['marketplace', 'neg', '一星']]);
    // 一分 and 一颗心 award with their 给; 一分钱一分货 rates nothing.
    expect(stance('物流也慢、这一颗心给客服的')).toEqual([['delivery', 'neg', '慢'], ['customer_service', 'pos', '一颗心给客服的']]);
    expect(run('一分钱一分货，快递很快').sentiment.label).toBe('pos');
    // "Everything else" is not the channel before it.
    expect(stance('物流有点慢，其它都很好')).toEqual([['delivery', 'neg', '慢']]);
    // A star awarded to something that is no touchpoint judges none (it used to cancel the praise).
    expect(stance('客服很热情，一星给华为')).toEqual([['customer_service', 'pos', '热情']]);
    // The awarded touchpoint is set apart from the complaints around it, which are about the goods.
    expect(stance('一分给京东快递，真的很垃圾。比外面买的还差')).toEqual([['delivery', 'pos', '一分给京东快递']]);
    expect(stance('一星给快递人员，最悲催的一次购物，果子都蔫了')).toEqual([['delivery', 'pos', '一星给快递人员']]);
    // Unless a complaint naming the touchpoint says the star rates it; what the award's clause says before its 给 is about the goods.
    expect(stance('刚买就降价一星是给快递小哥的')).toEqual([['delivery', 'pos', '一星是给快递小哥的']]);
    expect(stance('1星给快递，快递真的差评，到今天没打电话')).toEqual([['delivery', 'neg', '差评']]);
    expect(stance('一星是给京东的，与商品无关，京东就是一个不讲信誉的平台')).toEqual([['marketplace', 'neg', '一星是给京东的']]);
  });

  it('reads a little too slow or too few (偏慢, 偏少), items left out (少给了) and an unknown fault (出了什么问题) as complaints', () => {
    const stance = (text: string) => run(text).channels.map((m) => [m.channel, m.polarity]);
    expect(stance('质量还不错，就是物流有点偏慢')).toEqual([['delivery', 'neg']]);
    expect(stance('东西不错，就是送餐时少给了两个煎饼')).toEqual([['delivery', 'neg']]);
    expect(stance('东西不错，就是京东的物流这次不知道出了什么问题，18号下单，22号送到')).toEqual([['delivery', 'neg']]);
    expect(run('味道不错，可惜量偏少').sentiment.label).toBe('mixed');
    // Words jieba keeps whole, whose single-character judgement never matched.
    expect(['烂成这样', '慢死了', '亏死了', '好油', '有一个已经烂掉了', '又快又好', '口感甜脆'].map((t) => run(t).sentiment.label)).toEqual(['neg', 'neg', 'neg', 'neg', 'neg', 'pos', 'pos']);
    expect(run('包装完好，没有烂果').sentiment.label).toBe('pos');
    expect(['和图片相差太大', '气死我了', '衣服上有两个破洞', '差强人意'].map((t) => run(t).sentiment.label)).toEqual(['neg', 'neg', 'neg', 'neg']);
    expect(['苹果爽脆', '口感清甜', '功能强大'].map((t) => run(t).sentiment.label)).toEqual(['pos', 'pos', 'pos']);
    // Crisp fruit praises (脆 alone, and 很脆, which jieba keeps whole); not crisp complains.
    expect(['苹果很脆', '口感脆，很甜', '一点也不脆', '慢的要命', '店大欺客', '洗完头很痒'].map((t) => run(t).sentiment.label)).toEqual(['pos', 'pos', 'neg', 'neg', 'neg', 'neg']);
    expect(['苹果大小均匀，没有磕碰', '洗完头发顺滑'].map((t) => run(t).sentiment.label)).toEqual(['pos', 'pos']);
    expect(['用了以后起头皮屑', '色差太大', '以后坚决不买了'].map((t) => run(t).sentiment.label)).toEqual(['neg', 'neg', 'neg']);
    // 去头皮屑 is what a shampoo promises, not a complaint.
    expect(run('这款洗发水去头皮屑效果好').sentiment.label).toBe('pos');
    // Seeing no fault is no complaint.
    expect(run('表面看不出什么问题').sentiment.label).toBe('neutral');
  });

  it('reads broken faith (不讲信用, 言而无信) as a complaint, though 信用 alone is praise', () => {
    expect(run('京东不讲信用').channels.map((m) => [m.channel, m.polarity])).toEqual([['marketplace', 'neg']]);
    expect(run('商家言而无信').sentiment.label).toBe('neg');
    expect(run('卖家不守信用').sentiment.label).toBe('neg');
  });
});

describe('快 before a number is "almost"', () => {
  const ch = (t: string) => run(t).channels.map((c) => `${c.channel}:${c.polarity}`);
  it('judges nothing, whatever the numeral', () => {
    expect(run('等了快2个小时').sentiment.label).toBe('neutral');
    expect(run('结果等了快两个小时才送到').sentiment.label).toBe('neg');
    expect(ch('期间客服来了两次电话，包括晚上快11点还打来了一次')).toEqual(['customer_service:neutral']);
    expect(ch('返修了快2个月，还没收到货')).toEqual(['after_sales:neg', 'delivery:neg']);
  });
  it('快一点 and 快一些 are still "a bit fast"', () => {
    expect(ch('感觉一般，除了物流快一点！')).toEqual(['delivery:pos']);
    expect(run('送得很快，两个小时就到了').sentiment.label).toBe('pos');
  });
});

describe('lacking negates', () => {
  it('缺乏, 缺少, 缺 turn the praise word after them; 缺点 and 缺货 are words of their own', () => {
    expect(run('说好的赠品不给！缺乏诚信！').sentiment.label).toBe('neg');
    expect(run('客服缺少耐心').channels.map((c) => `${c.channel}:${c.polarity}`)).toEqual(['customer_service:neg']);
    expect(run('这台一千块不到的价钱 远远超出我个人想象 简直完美无缺').sentiment.label).toBe('pos');
  });
});

describe('how far a question asks', () => {
  const ch = (t: string) => run(t).channels.map((c) => `${c.channel}:${c.polarity}`);
  it('without a question mark, a marker asks in its own clause; the clauses after it still judge', () => {
    const c = run('这个是什么破像素，你是不是给我发错了，客服联系不到，坑人的吗，');
    expect(c.question.isQuestion).toBe(true);
    expect(c.channels.map((x) => `${x.channel}:${x.polarity}`)).toEqual(['customer_service:neg']);
    expect(run('请问你们就这么给包裹啊，都碎了，太差了').sentiment.label).toBe('neg');
  });
  it('a request asks for what follows it, and a sentence ending in ？ asks up to it', () => {
    expect(ch('只求你们赶紧把这垃圾收回 正常退款 做个良心企业')).toEqual(['after_sales:neutral']);
    expect(run('请问，送货快吗？').sentiment.label).toBe('neutral');
  });
  it('怎么办理 tells how something was arranged; it asks nothing', () => {
    expect(run('买小了尺码，卖家态度很好，一联系就教我怎么办理退换，大赞').question.isQuestion).toBe(false);
  });
});

describe('a degree word does not strengthen an expected event', () => {
  it('好 before 送货上门 praises what came before it', () => {
    expect(run('配送员服务态度特别好送货上门').channels.map((c) => `${c.channel}:${c.polarity}`)).toEqual(['delivery:pos']);
    expect(run('送得好慢').sentiment.label).toBe('neg');
  });
});

describe('an asking formula in a complaint', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('asks about the order, a process or help', () => {
    expect(asks('三个都是烂的，太差了，请问怎么处理？')).toBe(true);
    expect(asks('等了两个小时还没送到，太差了，请问我的餐到哪了？')).toBe(true);
  });
  it('jabs otherwise', () => {
    expect(asks('找客服，客服让我打电话找什么生鲜组。请问客服是摆设么？最不满意的一次购物。')).toBe(false);
    expect(asks('不脆，很面。请问这是红富士吗？真难想象！很失败的一次购物。')).toBe(false);
  });
  it('asks whatever it is about in a review that does not complain', () => {
    expect(asks('请问这是红富士吗？')).toBe(true);
  });
});

describe('asking for the way out', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('怎么解决 and 找谁解决 ask even in an angry review; knowing or not knowing how tells', () => {
    expect(asks('客服说联系补送。都过了五个小时了没人来电话。这事怎么解决？！')).toBe(true);
    expect(asks('居然直接从14页跳到了23页！不知道这个问题该找谁解决一下呢？')).toBe(true);
    expect(asks('联系华为旗舰店在线客服，不知道怎么解决，还说我路由器不好')).toBe(false);
    expect(asks('打电话到京东客服，给我推到华硕的客服去了。还不知道怎么解决呢！')).toBe(false);
  });
});

describe('asking without an asking formula', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('not knowing how or whether something can be exchanged, a doubt announced, a request for an explanation', () => {
    expect(asks('码子小了，不知道怎么换')).toBe(true);
    expect(asks('上次评论打的分数不对，不知能不能改啊')).toBe(true);
    expect(asks('卖家服务也超棒，不过我有一个疑惑，办理换货需要没收赠品吗？')).toBe(true);
    expect(asks('为什么收到的是3个火龙果？给我解释！')).toBe(true);
    expect(asks('快递员帮我签收了！你们会如何处理？')).toBe(true);
    expect(asks('我现在就差这两样东西，你看有什么办法，给我配个套')).toBe(true);
  });
  it('why the goods, a gift or the invoice did not come, even in an angry review', () => {
    expect(asks('为什么没给我开发票？？')).toBe(true);
    expect(asks('贵公司14号发出，为什么到今天还没收到呢？差评')).toBe(true);
    // 华为 + 什么 is no 为什么.
    expect(asks('凑合着用吧，华为什么东西也没送，小气')).toBe(false);
  });
  it('whether it is only me, and what the other readers think; wondering asks nobody', () => {
    expect(asks('用别的洗发水从来没有这样过，是我一个人这样吗？')).toBe(true);
    expect(asks('左侧键盘就很热 散热风也很热 都这样么？ 还是我这个有问题呢')).toBe(true);
    expect(asks('随机赠送的包不像原装，不知道其他朋友怎么看？')).toBe(true);
    expect(asks('你们的都是这样吗？谢谢，知道的告诉一下')).toBe(true);
    // 都这样吗 alone is mostly a jab at a channel.
    expect(asks('京东的快递员都这样吗？太差了')).toBe(false);
    expect(asks('这次苹果没上次的甜，不知道是什么原因，同一个品种')).toBe(false);
    expect(asks('箱底有个大洞，不知是故意的还是啥原因')).toBe(false);
    expect(asks('充电也太慢了吧，不知道是不是只有我的机子是这种情况')).toBe(false);
    expect(asks('不知道为什么晚了三十分钟，后定的东西都到了还没到')).toBe(false);
    expect(asks('不知道有没有跟我一样纠结于M3和M3青春版之间的呢？')).toBe(false);
  });
  it('an explanation given and a doubt held for long are told, not asked', () => {
    expect(asks('客服给我解释的，竟然说我这单与图片无关')).toBe(false);
    expect(asks('一直有个疑问，计算机产生的随机数怎么可能随机呢，今天知道了')).toBe(false);
  });
});

describe('questions that only look like asking', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('an asking formula in a complaint asks about what follows it, not the complaint before it', () => {
    expect(asks('太差劲，等了92分钟居然还没送到，请问有没有职业道德，还讲不讲信誉！')).toBe(false);
    expect(asks('等了三天还没到，请问什么时候能送到？')).toBe(true);
    expect(asks('等了三天还没到，想问问啥时候能到？')).toBe(true);
    // Returns and repairs are named by their words: 退 in 闪退 is no return.
    expect(asks('耳机也没有，游戏不能玩，我想问一下，那么多游戏不能玩，不是闪退就是定格，我买你做什么，太差了')).toBe(false);
    expect(asks('耳机也没有，游戏不能玩，太差了，我想问一下能退货吗')).toBe(true);
  });
  it('请…尽快 asks for a fix', () => {
    expect(asks('光盘发现有裂痕，已联系当当客服中心申请换货，但到现在还没消息，请当当确认尽快发货')).toBe(true);
  });
  it('an asking formula with a rhetorical marker jabs, in any review; 能有多少 still asks how much', () => {
    expect(asks('居然没有吸管，请问要怎么喝')).toBe(false);
    expect(asks('煎饼送过来都软，凉了。。。豆花也冷了。。请问我应该如何评价？')).toBe(false);
    expect(asks('请问冬天续航能有多少？')).toBe(true);
  });
  it('an explanation nobody gave, resignation and what someone else asked are no questions', () => {
    expect(asks('只给我送来5本，就少这一本，至于为什么没有，谁也没给我个说法，吭都不吭一声！')).toBe(false);
    expect(asks('为什么东西撒了，也不给个说法呢')).toBe(false);
    expect(asks('这东西退也不好退，吃也不好吃～能拿怎么办？？？？')).toBe(false);
    expect(asks('看到有人问2个烂了怎么办，我收到的3个都是烂的！！！！擦，坚决差评！！！！')).toBe(false);
    // A request for an explanation still asks.
    expect(asks('有一个这样的苹果，以前买从来没有过的，给个说法')).toBe(true);
  });
  it('in a praising review 怎么办 plays; in a complaint it asks', () => {
    expect(asks('孩子很喜欢喝这个酸牛奶，太好喝了，要跟我抢，怎么办？')).toBe(false);
    expect(asks('领子上很大一个洞怎么办？')).toBe(true);
  });
});

describe('not knowing what to do, and requests across a clause', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('not knowing what to do asks only with a question mark', () => {
    expect(asks('买了一个月不到死机2次，没有电池都不知道怎么办')).toBe(false);
    expect(asks('用了几次发现头皮变痒，可能是假货吧，两大瓶不知道怎么办才好')).toBe(false);
    expect(asks('手机不能充电，关键是现在还不知道找谁处理，恨死你京东了')).toBe(false);
    expect(asks('没有生产日期，不知道怎么办？')).toBe(true);
  });
  it('a request stands in one clause; "if you want to know" tells', () => {
    expect(asks('收到时，两个坏了，请看图，联系京东，给了3张3元的券，只能在生鲜使用')).toBe(false);
    expect(asks('我要求纸张发票！！！！ 请客服联系我！')).toBe(true);
    expect(asks('跟描述的一模一样，很满意，到货速度也很快。要想知道长啥样，请看图片。')).toBe(false);
  });
});

describe('read off the fourteenth session samples', () => {
  const asks = (t: string) => run(t).question.isQuestion;
  it('asking whether or how the goods can go back or be serviced', () => {
    expect(asks('整体来说899也只能这样了，分辨率低，卡，能不能给我退了，我加钱买别的')).toBe(true);
    expect(asks('灰色的洗的时候发现两个小洞洞，非常不满。洗过还能换吗？')).toBe(true);
    expect(asks('会不会发错货了？怎么申请售后？')).toBe(true);
  });
  it('trust greatly diminished complains; the purpose of a hope praises nothing', () => {
    const r = run('很失望！对京东的诚信大打折扣');
    expect([r.sentiment.label, r.channels.map((c) => `${c.channel}:${c.polarity}`)]).toEqual(['neg', ['marketplace:neg']]);
    expect(run('京东的信誉大打折扣').sentiment.label).toBe('neg');
    // 打了折扣 alone is a price cut.
    expect(run('价格打了折扣，很划算').sentiment.label).toBe('pos');
    const hope = run('希望京东能打击这样的假货，让客户放心在这个平台消费');
    expect([hope.sentiment.label, hope.channels.map((c) => `${c.channel}:${c.polarity}`)]).toEqual(['neutral', ['marketplace:neutral']]);
    // 让人 says what something makes one feel: no purpose, and after a suggestion the clause judges.
    expect(run('建议大家别买，让人失望').sentiment.label).toBe('neg');
  });
  it('a jab quotes praise to mock it; 麻烦 "troublesome" and 申请 request nothing', () => {
    const jab = run('我开了两个吃都没有什么味道 一丁点甜都没有 请问给好评说好吃的你们是没有味觉吗');
    expect([jab.question.isQuestion, jab.sentiment.label]).toEqual([false, 'neg']);
    expect(asks('不高兴，京东也不支持补发赠品，差评，退货重新拍好像很麻烦，申请了一下还没回复')).toBe(false);
    expect(asks('东西坏了，麻烦尽快回复')).toBe(true);
  });
});

describe('read off the fifteenth session sample V', () => {
  const stances = (t: string) => run(t).channels.map((c) => `${c.channel}:${c.polarity}`);
  it('an ironic question told without a question mark ends at its particle: the thanks after it are meant', () => {
    const t = '这次果子比较失望，难道是我运气不好吗，买不到漂亮的，这次的速度真是太快了，感谢快递员。';
    expect(stances(t)).toEqual(['delivery:pos']);
    // Without the particle the question runs to the end of its sentence, as before.
    expect(run('难道这就是你们说的快，等了一周？').sentiment.label).toBe('neg');
    // What stands before the marker in its sentence stays in the irony.
    expect(run('服务真好，这也叫服务？').sentiment.label).toBe('neg');
  });
  it('no star at all, a parcel not carried upstairs and 差点事 complain', () => {
    expect(stances('东西不错，京东这次太差劲，送货速度0星')).toEqual(['marketplace:neg', 'delivery:neg']);
    expect(stances('没有看，还不知道，不过送货人员没有给我送上楼！')).toEqual(['delivery:neg']);
    expect(stances('餐品挺好的，就是百度外面快递差点事。')).toEqual(['delivery:neg']);
    // 零星 is "scattered", not "zero stars".
    expect(run('零星有几个小斑点').sentiment.label).not.toBe('neg');
  });
  it('a warranty that does not cover repairs (不包修) is after-sales', () => {
    expect(stances('垃圾手机，买了没两个月的手机不包修，寄过去说修要9百多')).toEqual(['after_sales:neg']);
  });
  it('a lexicon word that opens with a digit never starts inside a number', () => {
    // jieba, taught 0星 by the user dictionary, cuts 给10星 as 给|1|0星.
    expect(run('给10星好评').sentiment.label).toBe('pos');
    expect(run('送货速度0星').sentiment.label).toBe('neg');
    expect(stances('1星给快递')).toEqual(['delivery:pos']);
  });
});
