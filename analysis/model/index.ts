/**
 * Public API of the trainable models (`voc train`): a linear sentiment model and an aspect model
 * over word and character n-grams, a channel model (channel stances and breakpoints on top of the
 * rules), their model.json format, and `withModels`, which makes the rule classifier take
 * sentiment, aspects, channel stances and breakpoints from them.
 *
 *   const classifier = withModels(createClassifier(config), loadModels({ sentimentModel: 'model.json', channelModel: 'channels.json' }));
 */
export { trainSentimentModel, predictSentiment } from './sentiment-model.js';
export type { SentimentModel, SentimentExample, SentimentPrediction, SentimentTrainOptions } from './sentiment-model.js';
export { trainAspectModel, predictAspects } from './aspect-model.js';
export type { AspectModel, AspectExample, AspectPrediction, AspectTrainOptions, SubjectSentiment } from './aspect-model.js';
export { trainChannelModel, applyChannelModel } from './channel-model.js';
export type { ChannelModel, ChannelExample, SkippedPart } from './channel-model.js';
export { trainBreakpointModel, predictBreakpoints, breakpointScore } from './breakpoint-model.js';
export type { BreakpointModel, BreakpointExample } from './breakpoint-model.js';
export { trainStanceModel, predictStance, calibrateStances } from './stance-model.js';
export type { StanceModel, StanceExample } from './stance-model.js';
export { saveModel, loadModel, modelToJson, modelFromJson, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './serialize.js';
export type { TrainedModel, LoadedModel, TrainingNote } from './serialize.js';
export { withModels, loadModels } from './apply.js';
export type { Models, ModelPaths } from './apply.js';
export { trainSentimentFile, trainAspectsFile, trainChannelsFile, sentimentHoldout, aspectsHoldout, goldHoldout } from './train.js';
export type { TrainFileOptions, TrainReport, ChannelTrainFileOptions } from './train.js';
export { DEFAULT_FEATURES, forEachTerm, Vocabulary } from './features.js';
export type { FeatureConfig } from './features.js';
export { seededRandom, shuffled } from './random.js';
