/**
 * What every stage needs, bundled once per process and passed in explicitly (never global):
 * the config, the store, the classifier and the crawl context. Both the in-process runner and the
 * BullMQ processors take a `StageDeps`.
 */
import type { VocConfig } from '../core/config.js';
import type { Store } from '../store/store.js';
import type { Classifier } from '../analysis/index.js';
import type { CrawlContext } from '../crawlers/index.js';

export interface StageDeps {
  config: VocConfig;
  store: Store;
  classifier: Classifier;
  crawl: CrawlContext;
}
