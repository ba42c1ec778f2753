/**
 * Public API of the analysis stage: build a classifier from the config, classify posts, and look up
 * report labels of channels, promises, aspects and scenarios in zh-CN or English.
 *
 *   const classifier = createClassifier(config);
 *   const c = classifier.classify({ id: post.id, text: post.text, brand: post.brand });
 */
export { createClassifier } from './classifier.js';
export type { Classifier, ClassifierOptions, PostInput } from './classifier.js';
export { loadLexicons, defaultLexiconDir } from './lexicons.js';
export type { Lexicons, ChannelDef, PromiseDef, AspectDef, ScenarioDef, CueDef, Label } from './lexicons.js';
export {
  channelLabel,
  promiseLabel,
  aspectLabel,
  scenarioLabel,
  scenarioTypeLabel,
  breakpointKindLabel,
  sentimentLabel,
} from './labels.js';
export { normalise, toOriginalSpan } from './normalise.js';
export { detectLang } from './lang.js';
