/**
 * Synthetic channel gold for the breakpoint model's tests, written for them (no third-party text).
 * Breakpoint posts say that the website and the store "are two different things" (两码事, 不是一回事):
 * an inconsistency no rule cue knows, so only a model trained on these posts can find it. The other
 * posts name the same two channels with praise or a complaint that is no breakpoint, and a few are
 * the rules' own breakpoints (their cues fire), labelled as such.
 */
export interface SyntheticGoldRow {
  text: string;
  channels: Array<{ channel: string; polarity: 'pos' | 'neg' | 'neutral' }>;
  breakpoint: boolean;
  breakpoint_channels: string[];
  breakpoint_kind: 'inconsistency' | 'handoff' | 'runaround' | null;
  question: boolean;
}

const WEBSITE = ['官网上', '网站上', '官方网站上'];
const WHAT = ['的价格', '的优惠', '的库存', '的活动', '的赠品', '的说法', '写的保修'];
const STORE = ['门店', '实体店', '专卖店'];
const GAP = ['两码事', '不是一回事'];
const TAIL = ['。', '，白跑一趟。', '，很无语。'];

const GOOD_SITE = ['官网下单很方便', '网站页面很清楚', '官网更新很及时'];
const GOOD_STORE = ['门店的店员很热情', '实体店环境不错', '专卖店的服务很专业'];
const BAD_STORE = ['门店排队太久了', '实体店的店员很冷淡', '专卖店停车很麻烦'];

function gap(site: string, what: string, store: string, g: string, tail: string): SyntheticGoldRow {
  return {
    text: `${site}${what}和${store}${g}${tail}`,
    channels: [
      { channel: 'website', polarity: 'neutral' },
      { channel: 'store', polarity: 'neg' },
    ],
    breakpoint: true,
    breakpoint_channels: ['store', 'website'],
    breakpoint_kind: 'inconsistency',
    question: false,
  };
}

function plain(site: string, store: string, storePolarity: 'pos' | 'neg'): SyntheticGoldRow {
  return {
    text: `${site}，${store}。`,
    channels: [
      { channel: 'website', polarity: 'pos' },
      { channel: 'store', polarity: storePolarity },
    ],
    breakpoint: false,
    breakpoint_channels: [],
    breakpoint_kind: null,
    question: false,
  };
}

/** Posts the rules' cues find, labelled as the breakpoints they are. */
const RULE_BREAKPOINTS: SyntheticGoldRow[] = [
  ['在官网收藏的商品，门店的人看不到。', 'handoff'],
  ['官网预约了保养，到了门店前台查无此单。', 'handoff'],
  ['官网上写着有货，到门店店员说早就没货了。', 'inconsistency'],
].map(([text, kind]) => ({
  text: text!,
  channels: [
    { channel: 'website', polarity: 'neutral' },
    { channel: 'store', polarity: 'neg' },
  ],
  breakpoint: true,
  breakpoint_channels: ['store', 'website'],
  breakpoint_kind: kind as 'handoff' | 'inconsistency',
  question: false,
}));

/**
 * Training rows (file order interleaves the kinds, so every cross-validation fold sees both) and
 * unseen test rows: the test gaps combine words in ways no training post did.
 */
export function breakpointGold(): { train: SyntheticGoldRow[]; test: SyntheticGoldRow[] } {
  const gaps: SyntheticGoldRow[] = [];
  let k = 0;
  for (const site of WEBSITE)
    for (const what of WHAT.slice(0, 5))
      gaps.push(gap(site, what, STORE[k % STORE.length]!, GAP[k % GAP.length]!, TAIL[k++ % TAIL.length]!));
  const plains: SyntheticGoldRow[] = [];
  for (const site of GOOD_SITE) for (const store of GOOD_STORE) plains.push(plain(site, store, 'pos'));
  for (const site of GOOD_SITE) for (const store of BAD_STORE) plains.push(plain(site, store, 'neg'));
  const train: SyntheticGoldRow[] = [];
  for (let i = 0; i < Math.max(gaps.length, plains.length); i++) {
    if (gaps[i]) train.push(gaps[i]!);
    if (plains[i]) train.push(plains[i]!);
  }
  train.push(...RULE_BREAKPOINTS.slice(0, 2));
  const test = [
    gap('官网上', '写的保修', '专卖店', '两码事', '。'),
    gap('网站上', '的说法', '门店', '不是一回事', '，白跑一趟。'),
    plain('官网更新很及时', '专卖店停车很麻烦', 'neg'),
    plain('网站页面很清楚', '门店的店员很热情', 'pos'),
    RULE_BREAKPOINTS[2]!,
  ];
  return { train, test };
}

/** JSON lines of gold rows. */
export function goldJsonl(rows: SyntheticGoldRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
