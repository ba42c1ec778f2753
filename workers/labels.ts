/**
 * The display names the report uses for taxonomy ids: the analysis lexicons' zh-CN and en labels
 * (channels, promises, aspects, scenarios), with the config's channel label overrides on top.
 */
import type { VocConfig } from '../core/config.js';
import { aspectLabel, channelLabel, promiseLabel, scenarioLabel } from '../analysis/index.js';
import { withConfigChannelLabels, type Labels } from '../reports/labels.js';

export function reportLabels(config: VocConfig): Labels {
  const lexiconLabels: Labels = {
    channel: (id, locale) => channelLabel(id, locale),
    promise: (id, locale) => promiseLabel(id, locale),
    aspect: (id, locale) => aspectLabel(id, locale),
    scenario: (id, locale) => scenarioLabel(id, locale),
  };
  return withConfigChannelLabels(lexiconLabels, config);
}
