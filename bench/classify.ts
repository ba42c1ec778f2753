/**
 * `node dist/bench/classify.js [--json] [--posts 100000] [--seed 20261123] [--channel-model FILE]`
 *
 * Throughput of the full classifier against jieba segmentation alone, on ONE core (this process,
 * one thread), over the same realistic 50-300 character Chinese posts. The posts are composed from
 * a fixed list of fragments written for this benchmark (channels, promise descriptors, scenarios,
 * breakpoints, questions, filler) with a seeded PRNG, so every run measures the same texts; no
 * crawled or third-party text is used.
 *
 * Both contenders first warm up on other posts (V8 compiles the hot paths during the first few
 * thousand calls). The measured posts are then processed in blocks, segmentation and classification
 * alternating block by block, so that a neighbour's load on a shared machine hits both alike. Wall
 * time gives `*_posts_per_s`; CPU time of this process (`*_posts_per_cpu_s`) says what the work
 * costs when the machine is busy. `ratio` = classify / cut throughput (target >= 0.7), and
 * `peak_rss_mb` the peak resident set of the process (target < 600). With `--channel-model FILE` (a
 * model.json of `voc train channels`) the classifier also applies that model, to measure its cost.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import nodejieba from 'nodejieba';
import { parseConfig } from '../core/config.js';
import { createClassifier } from '../analysis/index.js';
import { loadModels, withModels } from '../analysis/model/apply.js';
import { seededRandom } from '../analysis/model/random.js';
import { benchOptions, count, flag, text } from './options.js';

const OPTIONS = {
  json: flag('print one JSON object instead of the text report'),
  posts: count(100_000, 'posts to classify'),
  seed: count(20261123, 'seed of the composed posts'),
  'channel-model': text('FILE', 'also apply a trained channel model (model.json of `voc train channels`)'),
};

// Fragments written for this benchmark. Each ends with its own punctuation.
const OPENERS = [
  '上周在官网下单了一台空气净化器，',
  '周末去门店看了新款，',
  '在京东旗舰店买的洗衣机，',
  '朋友推荐我用他们的App预约，',
  '第一次在小程序上买东西，',
  '双十一在天猫抢的，',
  '看了小红书上的测评才决定入手，',
  '公司年会抽奖抽到的，',
  '给爸妈买的，',
  '这是第三次回购了，',
  'Bought the new model on the website last week, ',
  '看了抖音直播下的单，',
];
const BODY = [
  '快递第二天就到了，包装很严实。',
  '配送小哥很热情，还帮忙搬上楼。',
  '物流太慢了，等了整整一周。',
  '客服态度很好，问题很快就解决了。',
  '打了三次客服电话都没人接，人工客服一直排队。',
  '门店的店员很专业，讲解得很周到。',
  '实体店排队排了一个小时，太麻烦了。',
  '售后上门安装很及时，师傅也很细心。',
  '申请退货一直没人处理，退款拖了半个月。',
  '质量不错，用了两个月没有任何问题。',
  '用了一周就出现异响，感觉做工一般。',
  '价格比门店便宜不少，性价比很高。',
  '官网上写着有赠品，到手却没有，客服说以门店为准。',
  '在App上预约好了，到了前台却说没有记录。',
  '客服让我找售后，售后又让我找客服，来回推了好几次。',
  '官网的价格和门店不一样，店员说线上价格不算数。',
  '整体设计很有科技感，操作也很智能。',
  '界面有点老旧，用起来不太方便。',
  '颜色和图片上的一样，很好看。',
  '噪音有点大，晚上睡觉能听到。',
  '续航很给力，充一次电能用三天。',
  '安装师傅迟到了两个小时，也没有提前打招呼。',
  '会员积分兑换很方便，优惠券也能直接用。',
  '说明书写得不清楚，看了半天才会用。',
  'The delivery was fast but the app kept crashing. ',
  '东西还行吧，没有想象中那么好，也不算差。',
  '这个价格能买到这样的品质，真的很划算！',
  '客服回复很敷衍，说了半天等于没说。',
];
const SCENARIOS = [
  '冬天在家用很暖和，',
  '下雨天出门不方便，',
  '带孩子的时候单手就能操作，',
  '在浴室里用也不怕水，',
  '高速上开着很稳，',
  '双手提着购物袋也能轻松开门，',
  '半夜收到货的，',
  '给老人用也很简单，',
  '出差的时候带着很方便，',
];
const CLOSERS = [
  '总体来说很满意，推荐大家购买。',
  '以后不会再买了，太失望了。',
  '请问有没有人遇到同样的问题？怎么解决的？',
  '希望商家能改进一下服务。',
  '给个五星好评吧😊',
  '就这样吧，凑合用。',
  '还会再来的！👍',
  '有点后悔，应该去实体店看看再买的。',
  '真心建议客服加强培训。',
];

/** Composes `n` posts of 50-300 characters from the fragments, fully determined by `seed`. */
export function benchmarkPosts(n: number, seed: number): string[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const posts: string[] = [];
  for (let i = 0; i < n; i++) {
    const target = 50 + Math.floor(rand() * 251);
    let text = pick(OPENERS);
    while (text.length < target) {
      const r = rand();
      const next = r < 0.15 ? pick(SCENARIOS) + pick(BODY) : r < 0.9 ? pick(BODY) : pick(CLOSERS);
      if (text.length + next.length > 300) break;
      text += next;
    }
    while (text.length < 50) text += pick(BODY);
    posts.push(text.length > 300 ? text.slice(0, 300) : text);
  }
  return posts;
}

interface Timing {
  wallNs: bigint;
  cpuUs: number;
}

function timed(fn: () => void, acc: Timing): void {
  const cpu = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  acc.wallNs += process.hrtime.bigint() - t0;
  const d = process.cpuUsage(cpu);
  acc.cpuUs += d.user + d.system;
}

function main(): void {
  const opts = benchOptions('classify.js', OPTIONS);
  const args = { json: opts.json, posts: opts.posts, seed: opts.seed, channelModel: opts['channel-model'] };
  const config = parseConfig({
    brands: [{ id: 'bench', name: '星驰', aliases: ['星驰电器'], products: ['净化器X1'], aspectTaxonomy: 'retail', promises: ['convenience', 'premium_service'] }],
  });
  const rules = createClassifier(config);
  const classifier = args.channelModel ? withModels(rules, loadModels({ channelModel: args.channelModel })) : rules;
  const posts = benchmarkPosts(args.posts, args.seed);
  const warmup = benchmarkPosts(4000, args.seed + 1);
  let sink = 0;
  for (const text of warmup) {
    sink += nodejieba.cut(text, true).length;
    sink += classifier.classify({ id: 'warm', text, brand: 'bench' }).channels.length;
  }

  const cut: Timing = { wallNs: 0n, cpuUs: 0 };
  const classify: Timing = { wallNs: 0n, cpuUs: 0 };
  const BLOCK = 2000;
  for (let start = 0; start < posts.length; start += BLOCK) {
    const block = posts.slice(start, start + BLOCK);
    timed(() => {
      for (const text of block) sink += nodejieba.cut(text, true).length;
    }, cut);
    timed(() => {
      block.forEach((text, k) => {
        sink += classifier.classify({ id: `bench:${start + k}`, text, brand: 'bench' }).channels.length;
      });
    }, classify);
  }

  const perS = (t: Timing) => posts.length / (Number(t.wallNs) / 1e9);
  const perCpuS = (t: Timing) => posts.length / (t.cpuUs / 1e6);
  const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
  const result = {
    posts: posts.length,
    classify_posts_per_s: round(perS(classify)),
    cut_posts_per_s: round(perS(cut)),
    ratio: round(perS(classify) / perS(cut), 3),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    classify_posts_per_cpu_s: round(perCpuS(classify)),
    cut_posts_per_cpu_s: round(perCpuS(cut)),
    cpu_ratio: round(perCpuS(classify) / perCpuS(cut), 3),
    mean_chars: round(posts.reduce((a, p) => a + p.length, 0) / posts.length, 1),
    lexicon_version: classifier.lexiconVersion,
  };
  if (sink < 0) console.error(sink); // keeps the work observable to the optimiser
  if (args.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`posts: ${result.posts} (mean ${result.mean_chars} characters)`);
    console.log(`classify: ${result.classify_posts_per_s} posts/s (${result.classify_posts_per_cpu_s} per CPU second)`);
    console.log(`jieba cut only: ${result.cut_posts_per_s} posts/s (${result.cut_posts_per_cpu_s} per CPU second)`);
    console.log(`ratio: ${result.ratio} (CPU ${result.cpu_ratio}); target >= 0.7`);
    console.log(`peak RSS: ${result.peak_rss_mb} MB; target < 600`);
  }
}

// Run only as a script, so tests can import the post generator.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
