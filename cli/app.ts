/**
 * Assembles the per-process dependencies from the config and environment: the store (embedded or
 * MongoDB), the classifier, the crawl context. Everything is passed on explicitly from here.
 */
import type { VocConfig } from '../core/config.js';
import { checkModelFiles, configSource, effectiveTarget, MODEL_TASKS, resolveTarget, storedFormOf } from '../core/config.js';
import type { Target } from '../core/types.js';
import { InputError, errorText } from '../core/errors.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { createClassifier, type Classifier } from '../analysis/index.js';
import { loadModels, withModels, type Models } from '../analysis/model/index.js';
import { evalClassifier } from '../analysis/eval/run.js';
import { createCrawlContext } from '../crawlers/index.js';
import type { StageDeps } from '../workers/deps.js';
import { authorSecret } from './secret.js';

export interface App extends StageDeps {
  close(): Promise<void>;
}

export async function openApp(config: VocConfig): Promise<App> {
  const secret = authorSecret(config.dataDir);
  const store = configuredTargets(
    await openStore({ dataDir: config.dataDir, ...(process.env.MONGODB_URI ? { mongoUri: process.env.MONGODB_URI } : {}) }),
    config,
  );
  try {
    const classifier = lazyClassifier(config);
    const crawl = createCrawlContext({ config, authorSecret: secret });
    // Targets declared in the config are the source of truth for their ids: keep the store in step.
    for (const [i, t] of config.targets.entries()) await store.saveTarget(resolveTarget(t, config, `targets.${i}`));
    return {
      config,
      store,
      classifier,
      crawl,
      async close() {
        await crawl.close?.();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * `store` whose targets are read as a crawl uses them and written as their input gave them (see
 * StoredTarget in core/config.ts): defaults and the private-address allowance come from `config`
 * when read, never from a copy frozen when the target was added. Every process (CLI, worker,
 * scheduler, console) gets its store here, so none sees a frozen copy.
 */
export function configuredTargets(store: Store, config: VocConfig): Store {
  const overrides: Partial<Store> = {
    getTarget: async (id) => {
      const t = await store.getTarget(id);
      return t && effectiveTarget(t, config);
    },
    listTargets: async () => (await store.listTargets()).map((t) => effectiveTarget(t, config)),
    // The store's type wants a whole Target; the missing defaults are filled in when it is read back.
    saveTarget: (target) => store.saveTarget(storedFormOf(target) as Target),
  };
  return new Proxy(store, {
    get(obj, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Store];
      const value = Reflect.get(obj, prop);
      return typeof value === 'function' ? value.bind(obj) : value;
    },
  });
}

/** The stored targets named on the command line, or all of them. */
export async function selectTargets(app: App, ids: string[]): Promise<Target[]> {
  const all = await app.store.listTargets();
  if (ids.length === 0) {
    if (all.length === 0)
      throw new InputError({
        en: 'no targets: add one with `voc targets add`, or under `targets:` in voc.config.yaml (see README, Configuration)',
        zh: '没有抓取目标：请用 `voc targets add` 添加，或写在 voc.config.yaml 的 `targets:` 下（见 README 的 Configuration 一节）',
      });
    return all;
  }
  return ids.map((id) => {
    const t = all.find((x) => x.id === id);
    if (!t) {
      const known = all.map((x) => x.id);
      throw new InputError({
        en: `unknown target "${id}"; known targets: ${known.join(', ') || 'none'}`,
        zh: `抓取目标“${id}”不存在；已有目标：${known.join('、') || '无'}`,
      });
    }
    return t;
  });
}

/**
 * The rule classifier, with the trained models the config names (`models:`) deciding sentiment,
 * aspects, channel stances and breakpoints. The aspect model's subjects map onto the taxonomy of the post's brand.
 */
export function classifierFor(config: VocConfig): Classifier {
  const models = configModels(config);
  const rules = createClassifier(config);
  return withModels(rules, models, { taxonomyOf: (brand) => config.brands.find((b) => b.id === brand)?.aspectTaxonomy });
}

/**
 * The trained models the config names, read and checked (file, format, task: an aspects model named
 * as the sentiment model is refused); an error names the field (models.sentiment: …). Used by the
 * classifier and by `voc config check`.
 */
export function configModels(config: Pick<VocConfig, 'models'>): Models {
  checkModelFiles(config);
  const models: Models = {};
  const pathKey = { sentiment: 'sentimentModel', aspects: 'aspectModel', channels: 'channelModel' } as const;
  for (const task of MODEL_TASKS) {
    const path = config.models[task];
    if (path === undefined) continue;
    try {
      Object.assign(models, loadModels({ [pathKey[task]]: path }));
    } catch (err) {
      if (err instanceof InputError) throw new InputError({ en: `models.${task}: ${err.message}`, zh: `models.${task}：${errorText(err, 'zh-CN')}` });
      throw err;
    }
  }
  return models;
}

/**
 * The models of `models` that were trained under another lexicon version than the config gives now
 * (the version `voc train` records: the rules' lexicon with the eval brand). Their inputs (the jieba
 * dictionary, and for a channel model the rules' own outputs) may have moved; they still apply.
 * Builds a classifier, so it takes a few seconds when there are models; none, no cost.
 */
export function modelsTrainedUnderOtherLexicon(config: VocConfig, models: Models): Array<{ task: string; trained: string; current: string }> {
  const trained = MODEL_TASKS.flatMap((task) => {
    const version = models[task]?.note?.lexiconVersion;
    return version ? [{ task, trained: version }] : [];
  });
  if (!trained.length) return [];
  const current = evalClassifier({ config }, 'retail').lexiconVersion;
  return trained.filter((e) => e.trained !== current).map((e) => ({ ...e, current }));
}

/**
 * Runs `fn`, prefixing a config problem it finds (an InputError naming a field: a lexicon addition,
 * a model file) with the file the config was read from, so the user knows which file to mend.
 */
export function inConfigFile<T>(config: VocConfig, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const file = configSource(config);
    if (file && err instanceof InputError) throw new InputError({ en: `${file}: ${err.message}`, zh: `${file}：${errorText(err, 'zh-CN')}` });
    throw err;
  }
}

/**
 * The classifier, built on first use: building it (lexicons, the segmenter's dictionary) takes
 * seconds, which commands that never classify (`targets list`, `schedule add`, `jobs failed`...)
 * should not pay. A lexicon problem in the config is reported when it is first used.
 */
function lazyClassifier(config: VocConfig): Classifier {
  let built: Classifier | undefined;
  const get = () => (built ??= inConfigFile(config, () => classifierFor(config)));
  return {
    get lexiconVersion() {
      return get().lexiconVersion;
    },
    get lexicons() {
      return get().lexicons;
    },
    classify: (post) => get().classify(post),
  };
}
