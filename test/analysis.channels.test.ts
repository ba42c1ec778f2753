/**
 * Channel detection and channel polarity (issue 3): hand-written sentences (none taken from a
 * labelled corpus) with exact expectations for each rule added to analysis/channels.ts,
 * analysis/attribution.ts, analysis/sentiment.ts and the channel and sentiment lexicons.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { parseConfig } from '../core/config.js';
import type { Classification } from '../core/types.js';
import { createClassifier, type Classifier } from '../analysis/index.js';

const brands = [{ id: 'shop', name: '优品汇', aliases: ['YPH'], promises: ['convenience', 'transparency'], aspectTaxonomy: 'retail', products: [] }];
let classifier: Classifier;

beforeAll(() => {
  classifier = createClassifier(parseConfig({ brands }, 'test config'));
});

const run = (text: string): Classification => classifier.classify({ id: 't', text, brand: 'shop' });
const channels = (text: string) => run(text).channels.map((x) => `${x.channel}:${x.polarity}`);
const label = (text: string) => run(text).sentiment.label;

describe('channel detection', () => {
  it('reads the merchant as the restaurant of a food order (also on a named platform), the online shop elsewhere, a seller on a named shopping platform', () => {
    expect(channels('点的外卖米饭都凉了，商家态度还很差')).toEqual(['store:neg']);
    expect(channels('衣服质量一般，商家倒是很贴心')).toEqual(['marketplace:pos']);
    expect(channels('在美团点的饭，联系商家半天没人理')).toEqual(['marketplace:neutral', 'store:neg']);
    expect(channels('在京东买的衣服，商家发错了颜色')).toEqual(['marketplace:neutral']);
  });

  it("reads an online shop's attitude as its customer service, not a food-delivery restaurant's", () => {
    expect(channels('物流速度非常快，店主服务态度也很好')).toEqual(['delivery:pos', 'marketplace:pos', 'customer_service:pos']);
    expect(channels('在京东买的，此商家态度极其差劲')).toEqual(['marketplace:neutral', 'customer_service:neg']);
    expect(channels('外卖送得很快，商家态度很好')).toEqual(['delivery:pos', 'store:pos']);
  });

  it('reads a return refused with 退 alone as after-sales, not a price difference refused', () => {
    expect(channels('修又修不了，退也不给退，真是个坑')).toEqual(['after_sales:neg']);
    expect(channels('秒杀活动不能退差价，页面也没写')).toEqual([]);
  });

  it('reads a faulty item replaced as after-sales, not a trade-in or a new package', () => {
    expect(channels('跟客服沟通后，很快换了一个新的，服务挺满意的')).toEqual(['customer_service:pos', 'after_sales:pos']);
    expect(channels('以旧换新的报价比官网还低')).toEqual(['website:neutral']);
    expect(channels('蒙牛换新包装了，很好')).toEqual([]);
  });

  it('reads a call about the order being made as the restaurant in a food order, not a named line or no call', () => {
    expect(channels('晚上七点订的外卖，九点还没送到，电话说是忘了我的订单')).toEqual(['delivery:neg', 'store:neg']);
    expect(channels('订的外卖，打百度外卖电话取消订单了')).toEqual(['marketplace:neutral']);
    expect(channels('订的外卖没收到，也没人给我打电话，就告诉我订单已完成')).toEqual([]);
  });

  it('lets customer service and the courier of a broken journey take a complaint\'s verdict', () => {
    expect(channels('客服说已经帮我预约了服务站，结果到了服务站说没收到通知，又得重新排队。')).toEqual(['customer_service:neg', 'after_sales:neg']);
  });

  it('lets a delivery framed by a place or means word take the verdict, not one proposed as the alternative', () => {
    expect(channels('裤子从发货到拿到用了将近五天时间，质量也差，差评')).toEqual(['delivery:neg']);
    expect(channels('门店排队太久了，还不如直接在App上买让他们送货上门')).toEqual(['store:neg', 'app:neutral', 'delivery:neutral']);
    // Named before a purchase in its clause: where the goods were bought, not the delivery judged.
    expect(channels('快递员推荐买的，质量太差，差评')).toEqual(['delivery:neutral']);
  });

  it('reads checking the goods at the door and the transport as the delivery', () => {
    expect(channels('快递员坚持不让开箱验货')).toEqual(['delivery:neg']);
    expect(channels('买过很多次了，运输很快')).toEqual(['delivery:pos']);
  });

  it('reads the shop pointed at as the place of purchase as the marketplace (the restaurant in a food order)', () => {
    expect(channels('物流太慢！质量也不怎么好，以后不在这里买了')).toEqual(['delivery:neg', 'marketplace:neg']);
    expect(channels('外卖送来都凉了，以后不在这家买了')).toEqual(['delivery:neg', 'store:neg']);
  });

  it('does not let a place qualify a weak hotline alias', () => {
    expect(channels('给门店打电话一直没人接')).toEqual(['store:neg']);
  });

  it('keeps a platform qualifying the delivery a few characters on, unless bought there', () => {
    expect(channels('京东自己的送货员态度很好')).toEqual(['delivery:pos']);
    expect(channels('京东不让退差价')).toEqual(['marketplace:neg']);
    // The platform's own service judged before the delivery is the platform's.
    expect(channels('质量很好，京东服务好送货及时')).toEqual(['marketplace:pos', 'delivery:pos']);
  });

  it('does not take the goods brought (送来的是南瓜粥) or a delivery fee for the delivery', () => {
    expect(channels('我要的二米粥，但是送来的是南瓜粥')).toEqual([]);
    expect(channels('我下单了四块猪手，送来的只有三块')).toEqual([]);
    expect(channels('快递费太贵了')).toEqual([]);
    // How it was brought is the delivery.
    expect(channels('送来的很快，饭还是热的')).toEqual(['delivery:pos']);
  });

  it('finds delivery in 送的+degree and in complaint words that contain a process word', () => {
    expect(channels('送的非常快，饭还是热的')).toEqual(['delivery:pos']);
    expect(channels('下单五天才发货')).toEqual(['delivery:neg']);
  });

  it('ignores being called, hotel facilities and counted goods', () => {
    expect(channels('酒店服务员给我打电话说钱包找到了，很感动')).toEqual([]);
    expect(channels('酒店的餐厅菜太咸，房间还算干净')).toEqual([]);
    expect(channels('点了两份却送来一份')).toEqual([]);
    // Called by the shop (…给打电话说…) without a pronoun: still no hotline contact.
    expect(channels('下单两小时后给打电话说还在做')).toEqual([]);
  });

  it('reads a bare app in a review of a device as software on it, unless the customer shops with it or removes it', () => {
    expect(channels('平板不错，下载的app运行很流畅')).toEqual([]);
    expect(channels('这手机打开APP就闪退')).toEqual([]);
    expect(channels('手机是在APP上下单的，很方便')).toEqual(['app:neutral']); // the place of purchase
    expect(channels('这平板太坑了，果断删除APP不再使用')).toEqual(['app:neg']);
    // Not a device review: the brand's app.
    expect(channels('App经常闪退，体验很差')).toEqual(['app:neg']);
    // A named app is never software.
    expect(channels('平板不错，小程序下单也方便')).toEqual(['app:pos']);
  });

  it('does not take a call that names nobody for the hotline; a named hotline or 致电 is one', () => {
    expect(channels('平板还能打电话，很不错')).toEqual([]);
    expect(channels('等了一个小时，打电话催了三次')).toEqual([]);
    expect(channels('打客服电话一直占线')).toEqual(['customer_service:neg']);
    expect(channels('致电多次都没人理')).toEqual(['customer_service:neg']);
    expect(channels('致电快递员，一直没人接')).toEqual(['delivery:neg']);
  });

  it('reads installers and a nationwide warranty as after-sales', () => {
    expect(channels('正品行货，全国联保，很放心')).toEqual(['after_sales:pos']);
    expect(channels('第二天安装人员就上门了，很及时')).toEqual(['after_sales:pos']);
  });

  it('reads a channel after 比去 or 比在 (one jieba word) as compared, not judged', () => {
    expect(channels('味道一般，明显比去店里吃差很远')).toEqual(['store:neutral']);
    expect(channels('比在门店买便宜多了')).toEqual(['store:neutral']);
  });

  it('reads a channel between a pair word and a comparison word as compared, with 我/在 before it and 的 after it', () => {
    expect(channels('跟超市的一样好用，可是便宜很多')).toEqual(['store:neutral']);
    expect(channels('和我在专卖店买的一模一样')).toEqual(['store:neutral']);
    // Judged, not compared: 跟 here introduces whom the customer spoke to.
    expect(channels('跟店员说了半天，态度很差')).toEqual(['store:neg']);
  });

  it('counts buyers’ reviews as the platform', () => {
    expect(channels('看评论买的，结果上当了')).toEqual(['marketplace:neutral']);
  });

  it("reads a price that fell right after the purchase as the platform's pricing, not any price that fell", () => {
    expect(channels('刚买两天就降价了，太坑了')).toEqual(['marketplace:neg']);
    expect(channels('收到货第二天就又降价一百，心塞')).toEqual(['marketplace:neg']);
    expect(run('刚买两天就降价了，太坑了').channels[0]!.evidence.text).toBe('就降价');
    expect(channels('看到降价了就入手，很划算')).toEqual([]);
    expect(channels('油价又降了，开车更省了')).toEqual([]);
  });
});

describe('channel polarity', () => {
  it('leaves a channel addressed by a wish, or a process not gone through, neutral', () => {
    expect(channels('希望京东以后多进点货')).toEqual(['marketplace:neutral']);
    expect(channels('衣服有点小，懒得退货了')).toEqual(['after_sales:neutral']);
  });

  it('leaves a shop an online purchase is compared with neutral, unless the customer chooses it', () => {
    expect(channels('京东买的比超市便宜多了，很划算')).toEqual(['marketplace:pos', 'store:neutral']);
    // The goods bought there are judged (太小了 complains since lexicon 1.9.0, as 太难吃了 did before).
    expect(channels('在京东买的苹果太小了，比实体超市的差多了')).toEqual(['marketplace:neg', 'store:neutral']);
    expect(channels('在京东买的苹果个头不大，比实体超市的差多了')).toEqual(['marketplace:neutral', 'store:neutral']);
    expect(channels('京东的水果太差了，以后还是去实体店吧')).toEqual(['marketplace:neg', 'store:pos']);
    // Without a platform the shop is the place judged; in a food-delivery order 店里 is the restaurant.
    expect(channels('超市的东西太贵了')).toEqual(['store:neg']);
    expect(channels('美团点的外卖，打电话问店里，态度很差')).toEqual(['marketplace:neutral', 'store:neg']);
  });

  it('leaves a return the customer did not make neutral, not a return the shop refused', () => {
    // A complaining review takes its verdict to the touchpoint it is about; a return only imagined
    // (要不是…一定退货) or not made (就没退货了) is not what the review is about.
    expect(channels('屏幕太差了，要不是急着用，一定退货！')).toEqual(['after_sales:neutral']);
    expect(channels('屏幕太差了，要不是急着用，我肯定退货了！')).toEqual(['after_sales:neutral']);
    expect(channels('屏幕太差了，后来就没退货了')).toEqual(['after_sales:neutral']);
    expect(channels('屏幕太差了，不退货才怪！')).toEqual(['after_sales:neutral']);
    // The shop's refusal judges the after-sales service.
    expect(channels('屏幕太差了，店家说概不退货！')).toEqual(['marketplace:neg', 'after_sales:neg']);
    expect(channels('屏幕太差了，还不给退货！')).toEqual(['after_sales:neg']);
  });

  it('does not give a channel that has its own predicate the word before it', () => {
    expect(channels('非常不满意物流倒是挺快')).toEqual(['delivery:pos']);
  });

  it('reads negative facts and complaints without a plain sentiment word', () => {
    expect(channels('客服电话一直没打通')).toEqual(['customer_service:neg']);
    expect(channels('客服态度零分 满分100')).toEqual(['customer_service:neg']);
    expect(channels('一直很相信这家网店，这次好失望')).toEqual(['marketplace:neg']);
    expect(channels('再也不敢买京东的')).toEqual(['marketplace:neg']);
    expect(channels('京东也是有病，雇些新手')).toEqual(['marketplace:neg']);
    // 无敌 before a complaint intensifies it; 图省事 is a motive, not praise.
    expect(channels('快递超级无敌慢')).toEqual(['delivery:neg']);
    expect(channels('快递员为了图省事，次次都放在楼下')).toEqual(['delivery:neutral']);
    // Could not (不能, 无法) turns the praise after it around; 多亏 is thanks, not 亏.
    expect(channels('快递不能准时送达')).toEqual(['delivery:neg']);
    expect(channels('多亏有京东，送货又快')).toEqual(['marketplace:pos', 'delivery:pos']);
    expect(run('这样的服务很是不能接受').sentiment.label).toBe('neg');
    expect(channels('我问客服，客服也不回话')).toEqual(['customer_service:neg']);
    expect(channels('龟速的物流，其他的就不想说了')).toEqual(['delivery:neg']);
  });

  it('weighs sympathy (看在…的份上) like a concession', () => {
    expect(channels('送餐晚了一个小时，看在送餐员很辛苦的份上就不投诉了')).toEqual(['delivery:neg']);
  });

  it('reads a degree word before 的 (非常的差)', () => {
    expect(channels('物流还行，客服态度非常的差')).toEqual(['delivery:pos', 'customer_service:neg']);
    expect(label('物流还行，客服态度非常的差')).toBe('neg');
  });

  it('does not read 好 completing a verb, a hearsay claim or a request as praise', () => {
    expect(channels('在携程预订好了房间')).toEqual(['marketplace:neutral']);
    expect(channels('都说物流快，结果等了五天')).toEqual(['delivery:neutral']);
    expect(channels('也请客服对顾客负责一点')).toEqual(['customer_service:neutral']);
    expect(label('快递员倒是说好了明天送，结果没来')).toBe('neutral');
  });
});

describe('installation service', () => {
  it('staff coming to install is after-sales; a system installed from a disc is not', () => {
    expect(channels('快递送货到家然后我立马打了美的的电话申请安装，过了一天就来装了，真不错。')).toEqual(['delivery:pos', 'after_sales:pos']);
    expect(channels('热水器收到第二天就来安装了，师傅很专业')).toEqual(['after_sales:pos']);
    expect(channels('是要装xp的话,一定要有带SATA串口驱动的系统盘来安装')).toEqual([]);
  });
});

describe('using the goods takes over as the subject', () => {
  it('a complaint about the goods after a contrast does not carry over to the courier', () => {
    expect(channels('送货什么的都很快，可是用后头皮屑很多，头皮很痒')).toEqual(['delivery:pos']);
    expect(channels('物流很快，可是洗完头发很干')).toEqual(['delivery:pos']);
    // What the channel's own staff do still carries on.
    expect(channels('物流很快，可是态度很差')).toEqual(['delivery:neg']);
  });
});

describe('销售 the verb', () => {
  it('selling is no salesperson; a salesperson who speaks is the store', () => {
    expect(channels('真没想到京东居然这样虚假销售')).toEqual(['marketplace:neg']);
    expect(channels('当当网怎么能销售如此质量的书呢？')).toEqual(['marketplace:neg']);
    expect(channels('专卖店的销售员说可以打折，很热情')).toEqual(['store:pos']);
  });
});
