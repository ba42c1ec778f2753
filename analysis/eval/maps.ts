/**
 * How labels of public corpora meet voc's aspect ids.
 *
 * - Car-aspect subjects (动力, 油耗...) map to the ids of the `car` taxonomy (power, fuel_economy...).
 * - SemEval aspect categories (`PHONE#DESIGN_FEATURES`, `food`) map to aspect ids through a category
 *   map: built-in ones for the phone and camera (zh, SemEval-2016 Task 5) and laptop and restaurant
 *   (en, SemEval-2014/2016) sets, or a YAML file (`--map FILE`). A built-in map also brings the
 *   keywords of its aspects, which the eval adds to the config as a taxonomy of that name; a
 *   user's map may do the same under `aspects:`.
 *
 * Keys of a category map are exact categories, `ENTITY#*` or `*#ATTRIBUTE`, matched in that order
 * (case-insensitive); a category mapped to null, or matched by no key, is not an aspect voc tracks
 * and is left out of the scores (reported as `unmapped`).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { AspectAddition } from '../../core/config.js';
import { errorText, InputError, type Bilingual } from '../../core/errors.js';
import { phrase } from '../../core/phrases.js';
import type { Lexicons } from '../lexicons.js';
import { readInputFile } from './input-file.js';
import { describeIssue } from '../../core/schema-issues.js';

/** Car-corpus subjects whose names differ from the car taxonomy's zh-CN labels. */
export const CAR_SUBJECTS: Record<string, string> = {
  动力: 'power',
  价格: 'price',
  内饰: 'interior',
  配置: 'features',
  安全性: 'safety',
  外观: 'exterior',
  操控: 'handling',
  油耗: 'fuel_economy',
  空间: 'space',
  舒适性: 'comfort',
};

/**
 * Maps subject names to aspect ids of `taxonomy`: an explicit entry of `CAR_SUBJECTS` (car only),
 * else an aspect whose id or zh-CN / English label equals the subject, else a label starting with
 * it. Subjects that match nothing map to themselves (config-defined aspects may use such ids).
 */
export function subjectAspectMap(subjects: string[], lexicons: Pick<Lexicons, 'aspects'> | undefined, taxonomy: string): Map<string, string> {
  const aspects = lexicons?.aspects[taxonomy] ?? {};
  const out = new Map<string, string>();
  for (const s of subjects) {
    const key = s.trim().toLowerCase();
    const explicit = taxonomy === 'car' ? CAR_SUBJECTS[s.trim()] : undefined;
    const entries = Object.values(aspects);
    const exact = entries.find((a) => a.id.toLowerCase() === key || a.label['zh-CN'].toLowerCase() === key || a.label.en.toLowerCase() === key);
    const prefix = entries.find((a) => a.label['zh-CN'].startsWith(s.trim()) || a.label.en.toLowerCase().startsWith(key));
    out.set(s, explicit ?? exact?.id ?? prefix?.id ?? s);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SemEval category maps
// ---------------------------------------------------------------------------------------------

/** A category map with the taxonomy (and its keywords) the rule classifier uses for the eval. */
export interface CategoryMap {
  /** Built-in name or file path, for reports. */
  name: string;
  /** Aspect taxonomy id the eval's brand uses. */
  taxonomy: string;
  /** Aspect id -> keywords, added to the config's `aspects[taxonomy]`. */
  aspects: Record<string, string[]>;
  /** Category pattern -> aspect id (null = not tracked). */
  categories: Record<string, string | null>;
  /**
   * Where the map's aspects take their adjective tables (屏幕大 praises, 声音小 complains): aspect id
   * -> aspects of a shipped taxonomy whose `polar` tables it joins. Without it, aspect-dependent
   * adjectives next to the map's keywords judge nothing.
   */
  polarFrom?: { taxonomy: string; aspects: Record<string, string[]> };
}

/**
 * The aspects a map adds to the eval's config: its keywords, with the adjective tables of the
 * shipped aspects `polarFrom` names (joined in order; an unknown taxonomy or aspect adds nothing).
 */
export function mapAspects(map: CategoryMap, lexicons: Pick<Lexicons, 'aspects'>): Record<string, AspectAddition> {
  const out: Record<string, AspectAddition> = {};
  const source = map.polarFrom ? lexicons.aspects[map.polarFrom.taxonomy] : undefined;
  for (const [id, keywords] of Object.entries(map.aspects)) {
    const polar: Record<string, 'pos' | 'neg'> = {};
    for (const a of map.polarFrom?.aspects[id] ?? []) Object.assign(polar, source?.[a]?.polar ?? {});
    out[id] = Object.keys(polar).length ? { keywords, polar } : keywords;
  }
  return out;
}

const PHONE: CategoryMap = {
  name: 'phone',
  taxonomy: 'semeval_phone',
  aspects: {
    price: ['价格', '价钱', '售价', '性价比', '定价'],
    design: ['外观', '外形', '设计', '造型', '颜值', '颜色', '机身', '手感', '厚度'],
    quality: ['质量', '品质', '做工', '用料'],
    performance: ['性能', '速度', '流畅', '运行', '反应', '处理器', 'CPU', '内存', '配置', '卡顿', '发热'],
    display: ['屏幕', '屏', '显示', '分辨率', '触屏', '显示屏', '亮度'],
    battery: ['电池', '续航', '待机', '充电', '耗电', '电量'],
    multimedia: ['拍照', '摄像头', '相机', '像素', '音质', '喇叭', '外放', '声音', '耳机', '音乐', '视频'],
    system: ['系统', '软件', '应用', '安卓', 'Android', 'iOS', 'UI', '界面', '固件', '升级'],
    signal: ['信号', '通话', '网络', 'WiFi', 'wifi', '蓝牙', '上网'],
    keyboard: ['键盘', '按键', '输入法', '按钮'],
  },
  categories: {
    '*#PRICE': 'price',
    'PHONE#DESIGN_FEATURES': 'design',
    'HARDWARE#DESIGN_FEATURES': 'design',
    'PHONE#QUALITY': 'quality',
    'HARDWARE#QUALITY': 'quality',
    'PHONE#OPERATION_PERFORMANCE': 'performance',
    'HARDWARE#OPERATION_PERFORMANCE': 'performance',
    'CPU#*': 'performance',
    'MEMORY#*': 'performance',
    'DISPLAY#*': 'display',
    'BATTERY#*': 'battery',
    'POWER_SUPPLY#*': 'battery',
    'MULTIMEDIA_DEVICES#*': 'multimedia',
    'OS#*': 'system',
    'SOFTWARE#*': 'system',
    '*#CONNECTIVITY': 'signal',
    'PORTS#*': 'signal',
    'KEYBOARD#*': 'keyboard',
    'PHONE#GENERAL': null,
    'PHONE#USABILITY': null,
    'PHONE#MISCELLANEOUS': null,
  },
  polarFrom: {
    taxonomy: 'electronics',
    aspects: {
      price: ['price'],
      design: ['design'],
      quality: ['quality'],
      performance: ['performance'],
      display: ['display'],
      battery: ['battery'],
      multimedia: ['camera', 'audio'],
      system: ['software'],
      signal: ['connectivity'],
      keyboard: ['controls'],
    },
  },
};

const CAMERA: CategoryMap = {
  name: 'camera',
  taxonomy: 'semeval_camera',
  aspects: {
    price: ['价格', '价钱', '售价', '性价比', '定价'],
    image_quality: ['画质', '成像', '照片', '图像', '噪点', '色彩', '锐度', '解析力', '高感', '宽容度', '样片', '画面', '出片'],
    focus: ['对焦', '自动对焦', '合焦', '追焦', '跟焦'],
    lens: ['镜头', '焦段', '光圈', '变焦', '定焦', '广角', '长焦'],
    performance: ['性能', '速度', '连拍', '反应', '开机', '快门', '处理器'],
    design: ['外观', '设计', '造型', '做工', '机身', '颜色'],
    handling: ['手感', '握持', '操作', '操控'],
    portability: ['便携', '体积', '重量', '小巧', '轻便', '随身'],
    quality: ['质量', '品质', '耐用'],
    display: ['屏幕', '液晶屏', '翻转屏', '取景器', 'EVF', 'OVF', '屏'],
    battery: ['电池', '续航', '充电', '电量'],
    software: ['软件', '菜单', '固件', '系统', '功能', 'WiFi', 'wifi'],
    controls: ['按键', '按钮', '拨盘', '转盘', '键位'],
  },
  categories: {
    '*#PRICE': 'price',
    'PHOTO#*': 'image_quality',
    'FOCUS#*': 'focus',
    'LENS#*': 'lens',
    'CAMERA#OPERATION_PERFORMANCE': 'performance',
    'HARDWARE#OPERATION_PERFORMANCE': 'performance',
    'CPU#*': 'performance',
    'CAMERA#DESIGN_FEATURES': 'design',
    'HARDWARE#DESIGN_FEATURES': 'design',
    'CAMERA#USABILITY': 'handling',
    'HARDWARE#USABILITY': 'handling',
    'CAMERA#PORTABILITY': 'portability',
    'CAMERA#QUALITY': 'quality',
    'HARDWARE#QUALITY': 'quality',
    'DISPLAY#*': 'display',
    'BATTERY#*': 'battery',
    'POWER_SUPPLY#*': 'battery',
    'SOFTWARE#*': 'software',
    'OS#*': 'software',
    'KEYBOARD#*': 'controls',
    'CAMERA#GENERAL': null,
    'CAMERA#MISCELLANEOUS': null,
  },
  polarFrom: {
    taxonomy: 'electronics',
    aspects: {
      price: ['price'],
      image_quality: ['camera'],
      focus: ['camera'],
      lens: ['camera'],
      performance: ['performance'],
      design: ['design'],
      handling: ['controls'],
      portability: ['design'],
      quality: ['quality'],
      display: ['display'],
      battery: ['battery'],
      software: ['software'],
      controls: ['controls'],
    },
  },
};

const LAPTOP: CategoryMap = {
  name: 'laptop',
  taxonomy: 'semeval_laptop',
  aspects: {
    price: ['price', 'prices', 'priced', 'cost', 'money', 'value', 'expensive', 'cheap', 'affordable'],
    design: ['design', 'look', 'looks', 'size', 'weight', 'color', 'colour', 'sleek', 'case', 'lightweight'],
    quality: ['quality', 'build', 'durable', 'sturdy', 'reliable', 'reliability'],
    performance: ['performance', 'speed', 'processor', 'cpu', 'memory', 'ram', 'graphics', 'hard drive', 'boot', 'boots', 'runs', 'fast', 'slow'],
    usability: ['use', 'easy to use', 'user friendly', 'setup', 'set up'],
    battery: ['battery', 'battery life', 'charge', 'charger', 'power'],
    display: ['screen', 'display', 'resolution', 'monitor', 'brightness'],
    keyboard: ['keyboard', 'keys', 'trackpad', 'touchpad', 'mouse', 'track pad'],
    software: ['software', 'windows', 'os', 'operating system', 'programs', 'applications', 'apps', 'drivers', 'vista', 'mac os'],
    multimedia: ['speakers', 'sound', 'audio', 'camera', 'webcam', 'microphone'],
    ports: ['ports', 'usb', 'hdmi', 'wifi', 'wireless', 'bluetooth', 'connection'],
    support: ['support', 'customer service', 'tech support', 'warranty', 'repair', 'service center'],
  },
  categories: {
    '*#PRICE': 'price',
    'LAPTOP#DESIGN_FEATURES': 'design',
    'HARDWARE#DESIGN_FEATURES': 'design',
    'LAPTOP#QUALITY': 'quality',
    'HARDWARE#QUALITY': 'quality',
    'LAPTOP#OPERATION_PERFORMANCE': 'performance',
    'HARDWARE#OPERATION_PERFORMANCE': 'performance',
    'CPU#*': 'performance',
    'MEMORY#*': 'performance',
    'HARD_DISC#*': 'performance',
    'GRAPHICS#*': 'performance',
    'LAPTOP#USABILITY': 'usability',
    'BATTERY#*': 'battery',
    'POWER_SUPPLY#*': 'battery',
    'DISPLAY#*': 'display',
    'KEYBOARD#*': 'keyboard',
    'MOUSE#*': 'keyboard',
    'OS#*': 'software',
    'SOFTWARE#*': 'software',
    'MULTIMEDIA_DEVICES#*': 'multimedia',
    'PORTS#*': 'ports',
    '*#CONNECTIVITY': 'ports',
    'SUPPORT#*': 'support',
    'WARRANTY#*': 'support',
    'COMPANY#*': null,
    'LAPTOP#GENERAL': null,
    'LAPTOP#MISCELLANEOUS': null,
  },
};

const RESTAURANT: CategoryMap = {
  name: 'restaurant',
  taxonomy: 'semeval_restaurant',
  aspects: {
    food: ['food', 'dish', 'dishes', 'meal', 'menu', 'pizza', 'sushi', 'pasta', 'dessert', 'desserts', 'appetizer', 'appetizers', 'entree', 'entrees', 'taste', 'flavor', 'chef', 'portions', 'portion', 'fish', 'chicken', 'steak', 'salad', 'soup', 'wine', 'drinks'],
    service: ['service', 'staff', 'waiter', 'waitress', 'waiters', 'waitstaff', 'server', 'servers', 'host', 'hostess', 'manager', 'bartender', 'owner'],
    ambience: ['ambience', 'ambiance', 'atmosphere', 'decor', 'music', 'seating', 'noise', 'noisy', 'cozy', 'romantic', 'view', 'interior'],
    price: ['price', 'prices', 'priced', 'pricey', 'expensive', 'cheap', 'value', 'worth', 'bill', 'cost', 'overpriced', 'affordable'],
    location: ['location', 'neighborhood', 'located'],
  },
  categories: {
    food: 'food',
    service: 'service',
    ambience: 'ambience',
    price: 'price',
    'anecdotes/miscellaneous': null,
    '*#PRICES': 'price',
    'FOOD#*': 'food',
    'DRINKS#*': 'food',
    'SERVICE#*': 'service',
    'AMBIENCE#*': 'ambience',
    'LOCATION#*': 'location',
    'RESTAURANT#*': null,
  },
};

/** The built-in category maps by name. */
export const BUILTIN_MAPS: Record<string, CategoryMap> = { phone: PHONE, camera: CAMERA, laptop: LAPTOP, restaurant: RESTAURANT };

/**
 * The aspect id of a category: exact key, then `ENTITY#*`, then `*#ATTRIBUTE`. Returns null for a
 * category that is not tracked (mapped to null or matched by no key).
 */
export function mapCategory(map: CategoryMap, category: string): string | null {
  const index = lowerKeys(map.categories);
  const c = category.trim().toLowerCase();
  if (c in index) return index[c]!;
  const [entity, attribute] = c.split('#');
  if (attribute !== undefined) {
    if (`${entity}#*` in index) return index[`${entity}#*`]!;
    if (`*#${attribute}` in index) return index[`*#${attribute}`]!;
  }
  return null;
}

const lowered = new WeakMap<object, Record<string, string | null>>();
function lowerKeys(m: Record<string, string | null>): Record<string, string | null> {
  let out = lowered.get(m);
  if (!out) {
    out = Object.fromEntries(Object.entries(m).map(([k, v]) => [k.trim().toLowerCase(), v]));
    lowered.set(m, out);
  }
  return out;
}

/** The built-in map that knows the most of `categories` (by explicit, non-wildcard-only match), if any. */
export function detectCategoryMap(categories: string[]): CategoryMap | undefined {
  let best: CategoryMap | undefined;
  let bestScore = 0;
  for (const map of Object.values(BUILTIN_MAPS)) {
    const entities = new Set(
      Object.keys(map.categories)
        .map((k) => k.toLowerCase().split('#')[0]!)
        .filter((e) => e !== '*'),
    );
    let score = 0;
    for (const c of categories) if (entities.has(c.toLowerCase().split('#')[0]!)) score++;
    if (score > bestScore) {
      best = map;
      bestScore = score;
    }
  }
  return best;
}

/** An aspect id; the message's Chinese is registered with `phrase` (zod keeps only the English). */
const aspectId = z.string().regex(/^[A-Za-z0-9_\-\u3400-\u9fff]+$/, phrase('an aspect id (letters, digits, _ or -)', '应为方面 ID（字母、数字、_ 或 -）'));
const structuredMapSchema = z.strictObject({
  taxonomy: z.string().min(1).optional(),
  aspects: z.record(z.string(), z.array(z.string().min(1))).optional(),
  categories: z.record(z.string(), aspectId.nullable()),
});
const flatMapSchema = z.record(z.string(), aspectId.nullable());

/**
 * Resolves `--map`: a built-in name (phone, camera, laptop, restaurant) or a YAML file, either flat
 * (`CATEGORY: aspect_id`) or structured (`taxonomy`, `aspects` keywords, `categories`). A file
 * without its own keywords borrows the taxonomy and keywords of `fallback` (the detected built-in).
 */
export function loadCategoryMap(nameOrPath: string, fallback?: CategoryMap): CategoryMap {
  const builtin = BUILTIN_MAPS[nameOrPath.toLowerCase()];
  if (builtin) return builtin;
  const text = readInputFile(nameOrPath, {
    en: 'category map (--map; or one of phone, camera, laptop, restaurant)',
    zh: '类别映射（--map；或 phone、camera、laptop、restaurant 之一）',
  }).toString('utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new InputError({
      en: `${nameOrPath}: not valid YAML: ${(err as Error).message.split('\n')[0]}`,
      zh: `${nameOrPath}：不是有效的 YAML：${errorText(err as Error, 'zh-CN').split('\n')[0]}`,
    });
  }
  const expectation: Bilingual = {
    en: 'expected `CATEGORY: aspect_id` lines, or `categories:` with optional `taxonomy:` and `aspects:` (aspect_id: [keywords])',
    zh: '正确格式：若干行 `CATEGORY: aspect_id`，或 `categories:` 加上可选的 `taxonomy:` 和 `aspects:`（aspect_id: [关键词]）',
  };
  if (raw && typeof raw === 'object' && 'categories' in raw) {
    const parsed = structuredMapSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = describeIssue(parsed.error.issues[0]!);
      throw new InputError({ en: `${nameOrPath}: ${problem.en}; ${expectation.en}`, zh: `${nameOrPath}：${problem.zh}；${expectation.zh}` });
    }
    const m = parsed.data;
    return {
      name: nameOrPath,
      taxonomy: m.taxonomy ?? fallback?.taxonomy ?? 'semeval',
      aspects: m.aspects ?? fallback?.aspects ?? {},
      categories: m.categories,
    };
  }
  const parsed = flatMapSchema.safeParse(raw);
  if (!parsed.success || Object.keys(parsed.data).length === 0) {
    const problem: Bilingual = parsed.success ? { en: 'the map is empty', zh: '映射是空的' } : describeIssue(parsed.error.issues[0]!);
    throw new InputError({ en: `${nameOrPath}: ${problem.en}; ${expectation.en}`, zh: `${nameOrPath}：${problem.zh}；${expectation.zh}` });
  }
  return { name: nameOrPath, taxonomy: fallback?.taxonomy ?? 'semeval', aspects: fallback?.aspects ?? {}, categories: parsed.data };
}

