/**
 * The display names the report uses for taxonomy ids: the zh-CN and en labels of the effective
 * lexicon (the shipped lexicons with the config's channels, aspects, promises and scenarios), with
 * the config's channel label overrides on top.
 */
import type { VocConfig } from '../core/config.js';
import { aspectLabel, channelLabel, promiseLabel, scenarioLabel } from '../analysis/index.js';
import { buildEffectiveLexicon } from '../analysis/effective.js';
import { loadLexicons, type Lexicons } from '../analysis/lexicons.js';
import { withConfigChannelLabels, type Labels } from '../reports/labels.js';

/**
 * `lexicons`: the effective lexicon already built for `config`, when there is one (a classifier's
 * `lexicons`); without it the lexicon is built here.
 */
export function reportLabels(config: VocConfig, lexicons?: Lexicons): Labels {
  // A promise or scenario the config defines (lexicon.promises.eco) is labelled as it says.
  const lex = lexicons ?? buildEffectiveLexicon(loadLexicons(), config).lex;
  const lexiconLabels: Labels = {
    channel: (id, locale) => channelLabel(id, locale, lex),
    promise: (id, locale) => promiseLabel(id, locale, lex),
    aspect: (id, locale) => aspectLabel(id, locale, undefined, lex),
    scenario: (id, locale) => scenarioLabel(id, locale, lex),
  };
  return withConfigChannelLabels(lexiconLabels, config);
}
