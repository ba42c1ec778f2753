/**
 * Judgements: what one judging word (or a breakpoint cue) says, where, and about which channels and
 * aspects. The classifier sums them into the post's sentiment and each channel's and aspect's stance.
 */
import type { Mention } from './channels.js';

/** What one complaint without a sentiment word of its own weighs: a breakpoint cue, or a question that
 *  complains (complaint-questions.ts). As much as a plain complaint word. */
export const COMPLAINT = -1;

export interface Judgement {
  value: number;
  /** Where the judging word is (question zones drop it). */
  pos: number;
  /** The judging words as evidence: the sentiment word, or a breakpoint cue's last part. */
  start: number;
  end: number;
  clause: number;
  channels: string[];
  aspects: string[];
  /** Praise told as how things were before a later complaint (一直很信赖京东，这次…): it still counts
   *  for the post, faded, but judges no channel now. */
  backdrop?: boolean;
  /** A low rating awarded to what follows 给 (一星是给快递小哥的): offset after 给. The review still rates
   *  one star (the post keeps the negative value); the channels named after 给 in its clause earned
   *  the star and are praised by it; other channels are not judged by it. */
  awardFrom?: number;
  /** A touchpoint the customer chooses, advises or forgives (以后还是去实体店吧; stance-idioms.ts): the
   *  only kind of judgement that judges a shop named as a reference point (see channelMentions). */
  choice?: boolean;
}

/** What judgement `j` says of `channel`: its value when it is about the channel, the award's praise
 *  for a channel named after its 给, else 0. */
export function valueFor(j: Judgement, channel: string, mentions: readonly Mention[]): number {
  if (j.backdrop) return 0;
  if (j.awardFrom === undefined) {
    // A loop, not includes(): the lists hold one or two channels, and channelMentions asks ~200
    // times a post; the call to the built-in costs more than the comparisons.
    const channels = j.channels;
    for (let k = 0; k < channels.length; k++) if (channels[k] === channel) return j.value;
    return 0;
  }
  for (const m of mentions) if (m.channel === channel && m.clause === j.clause && m.start >= j.awardFrom) return -j.value;
  return 0;
}
