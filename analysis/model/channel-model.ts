/**
 * The trainable channel model of `voc train channels --gold FILE`: what a user's own channel gold
 * teaches on top of the rules, in one model file. Two parts, each fitted only when the gold has
 * enough examples for it:
 * - `stance` (stance-model.ts): the stance of each detected channel, recalibrated;
 * - `breakpoints` (breakpoint-model.ts): which posts are breakpoints, and between which channels.
 * Channel detection, descriptors and everything else stay the rules'.
 */
import type { BreakpointKind, Classification, Polarity } from '../../core/types.js';
import { MIN_BREAKPOINT_POSTS, predictBreakpoints, trainBreakpointModel, type BreakpointModel } from './breakpoint-model.js';
import { calibrateStances, MIN_STANCE_MENTIONS, trainStanceModel, type StanceExample, type StanceModel } from './stance-model.js';

/** One labelled post (a channel gold row) and the rules' classification of it. */
export interface ChannelExample {
  text: string;
  rules: Classification;
  channels: ReadonlyArray<{ channel: string; polarity: Polarity }>;
  breakpoint: boolean;
  breakpointChannels: readonly string[];
  breakpointKind?: BreakpointKind | null;
}

/** A part not fitted: `found` examples of the kind it needs, `needed` at the least. */
export interface SkippedPart {
  part: 'stance' | 'breakpoints';
  /** stance: labelled channels the rules also detected; breakpoints: the rarer of breakpoint and other posts. */
  found: number;
  needed: number;
}

export interface ChannelModel {
  task: 'channels';
  stance?: StanceModel;
  breakpoints?: BreakpointModel;
  /** The parts left out for want of examples, for the training report. */
  skipped: SkippedPart[];
  training: { posts: number };
}

/** Fits the parts the examples are enough for; a RangeError when they are enough for none. */
export function trainChannelModel(examples: readonly ChannelExample[]): ChannelModel {
  const skipped: SkippedPart[] = [];
  const stanceExamples: StanceExample[] = [];
  for (const e of examples) {
    const gold = new Map(e.channels.map((c) => [c.channel, c.polarity]));
    for (const mention of e.rules.channels) {
      const polarity = gold.get(mention.channel);
      if (polarity) stanceExamples.push({ rules: e.rules, mention, gold: polarity });
    }
  }
  let stance: StanceModel | undefined;
  if (stanceExamples.length >= MIN_STANCE_MENTIONS) stance = trainStanceModel(stanceExamples);
  else skipped.push({ part: 'stance', found: stanceExamples.length, needed: MIN_STANCE_MENTIONS });
  const positives = examples.filter((e) => e.breakpoint).length;
  let breakpoints: BreakpointModel | undefined;
  if (positives >= MIN_BREAKPOINT_POSTS && examples.length - positives >= MIN_BREAKPOINT_POSTS)
    breakpoints = trainBreakpointModel(
      examples.map((e) => ({ text: e.text, rules: e.rules, breakpoint: e.breakpoint, channels: e.breakpointChannels, kind: e.breakpointKind ?? null })),
    );
  else skipped.push({ part: 'breakpoints', found: Math.min(positives, examples.length - positives), needed: MIN_BREAKPOINT_POSTS });
  if (!stance && !breakpoints)
    throw new RangeError(
      `${stanceExamples.length} labelled channel(s) the rules also detected (at least ${MIN_STANCE_MENTIONS} needed) and ${positives} post(s) with "breakpoint": true against ${examples.length - positives} without (at least ${MIN_BREAKPOINT_POSTS} of each needed)`,
    );
  return { task: 'channels', ...(stance ? { stance } : {}), ...(breakpoints ? { breakpoints } : {}), skipped, training: { posts: examples.length } };
}

/** `rules` (the rule classification of `text`) with the model's channel stances and breakpoints. */
export function applyChannelModel(model: ChannelModel, text: string, rules: Classification): Classification {
  // Both parts read the rules' own outputs, so the breakpoints see the rules' stances, as in training.
  const breakpoints = model.breakpoints ? predictBreakpoints(model.breakpoints, text, rules) : rules.breakpoints;
  const channels = model.stance ? calibrateStances(model.stance, rules) : rules.channels;
  return { ...rules, channels, breakpoints };
}
