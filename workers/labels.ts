/**
 * The display names the report uses for taxonomy ids, from the analysis lexicons (channels,
 * promises, aspects, scenarios in zh-CN and en) with the config's channel label overrides on top.
 */
import type { VocConfig } from '../core/config.js';
import { defaultLabels, withConfigChannelLabels, type Labels } from '../reports/labels.js';

export function reportLabels(config: VocConfig): Labels {
  return withConfigChannelLabels(defaultLabels, config);
}
