/**
 * Brand-promise consistency: a verdict per channel and promise (kept / at risk / broken) with its
 * evidence, and per promise a consistency index across channels: 1 - Cramér's V of the channel x
 * (positive, negative) table, so 100 means every channel keeps the promise equally well and 0
 * means channels are as different as they can be. The chi-square test of the same table says
 * whether the differences are more than chance. Counts are posts (see tallyMatrix). Only channels
 * with enough posts for a verdict enter the test and the index: one post per channel makes any
 * two channels look as different as they can be.
 */
import type { ChannelId } from '../core/types.js';
import { cellOf, type MatrixTally, type PromiseMatrix } from './aggregate.js';
import { bestQuote, type Quote } from './quotes.js';
import { homogeneityTest, wilsonInterval, type HomogeneityTest, type Interval } from './stats.js';

/** Fewer posts than this with a descriptor of the promise on a channel give no verdict. */
export const MIN_VERDICT_HITS = 3;

export type Verdict = 'kept' | 'at_risk' | 'broken' | 'insufficient';

export interface PromiseVerdict {
  channel: ChannelId;
  promise: string;
  pos: number;
  neg: number;
  fulfilment: Interval;
  /**
   * kept: the 95% interval of fulfilment lies above 50%; broken: below 50%; at risk: it
   * straddles 50%; insufficient: fewer than MIN_VERDICT_HITS hits.
   */
  verdict: Verdict;
  /** The most-liked post on the verdict's side: a praise when the promise is kept, else a complaint. */
  quote: Quote | null;
}

export interface PromiseConsistency {
  promise: string;
  /** Channels with at least one post on the promise. */
  channels: number;
  /** Posts on the promise, summed over the channels (a post counts on each side it takes). */
  hits: number;
  /** Pooled fulfilment over the channels. */
  fulfilment: Interval;
  /** Channels with MIN_VERDICT_HITS posts or more: the ones the test and the index compare. */
  compared: number;
  test: HomogeneityTest | null;
  /** 1 - Cramér's V, in [0, 1]; null with fewer than two channels to compare. */
  index: number | null;
  /** Whether the promise is one of the brand's own (only those make the overall index). */
  configured: boolean;
}

export interface PromiseFigures {
  /** Cells with evidence, in matrix column (promise) then row (channel) order. */
  verdicts: PromiseVerdict[];
  consistency: PromiseConsistency[];
  /** Mean of the brand's own promises' indices, weighted by their compared posts; null when none has one. */
  index: number | null;
}

export function verdictOf(pos: number, neg: number): { fulfilment: Interval; verdict: Verdict } {
  const fulfilment = wilsonInterval(pos, pos + neg);
  if (pos + neg < MIN_VERDICT_HITS) return { fulfilment, verdict: 'insufficient' };
  if (fulfilment.lower > 0.5) return { fulfilment, verdict: 'kept' };
  if (fulfilment.upper < 0.5) return { fulfilment, verdict: 'broken' };
  return { fulfilment, verdict: 'at_risk' };
}

export function promiseFigures(matrix: PromiseMatrix, tally: MatrixTally, brandPromises: readonly string[]): PromiseFigures {
  const verdicts: PromiseVerdict[] = [];
  const consistency: PromiseConsistency[] = [];
  matrix.promises.forEach((promise, column) => {
    const cells = matrix.cells.map((row) => row[column]!).filter((c) => c.pos + c.neg > 0);
    for (const cell of cells) {
      const { fulfilment, verdict } = verdictOf(cell.pos, cell.neg);
      const best = cellOf(tally, cell.channel, promise)?.best ?? {};
      const evidence = verdict === 'kept' ? best.pos ?? best.neg : best.neg ?? best.pos;
      verdicts.push({ channel: cell.channel, promise, pos: cell.pos, neg: cell.neg, fulfilment, verdict, quote: evidence ? bestQuote([evidence]) ?? null : null });
    }
    if (cells.length === 0) return;
    const judged = cells.filter((c) => c.pos + c.neg >= MIN_VERDICT_HITS);
    const test = homogeneityTest(judged.map((c) => ({ successes: c.pos, trials: c.pos + c.neg })));
    const pos = cells.reduce((a, c) => a + c.pos, 0);
    const hits = cells.reduce((a, c) => a + c.pos + c.neg, 0);
    consistency.push({
      promise,
      channels: cells.length,
      hits,
      fulfilment: wilsonInterval(pos, hits),
      compared: judged.length,
      test: test ?? null,
      index: test ? 1 - test.cramersV : null,
      configured: brandPromises.includes(promise),
    });
  });
  // The overall index speaks for the brand's promises; a promise it never made (描述词 of 现代 in a
  // retailer's posts) is shown in its own row but does not move the brand's figure.
  const weighted = consistency.filter((c) => c.index !== null && c.configured);
  const weight = weighted.reduce((a, c) => a + c.test!.n, 0);
  const index = weight === 0 ? null : weighted.reduce((a, c) => a + c.index! * c.test!.n, 0) / weight;
  return { verdicts, consistency, index };
}
